import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildAppSchema, printAppSchema } from '../src/schema/build-schema';
import { InProcessPubSub } from '../src/services/pubsub/in-process.pub-sub';

/** Writes the SDL the code builds to src/schema/schema.graphql (a test fails when they drift). */
async function emitSchema(): Promise<void> {
  const target = path.join(__dirname, '..', 'src', 'schema', 'schema.graphql');
  await writeFile(target, printAppSchema(await buildAppSchema({ pubSub: new InProcessPubSub() })));
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}

void emitSchema();
