import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildAppSchema, printAppSchema } from '../../src/schema/build-schema';
import { InProcessPubSub } from '../../src/services/pubsub/in-process.pub-sub';

const root = path.join(__dirname, '..', '..');

describe('committed GraphQL artifacts', () => {
  it('should match the schema the code builds (run `npm run schema:emit` after changing it)', async () => {
    const pubSub = new InProcessPubSub();
    const built = printAppSchema(await buildAppSchema({ pubSub }));
    await pubSub.close();

    expect(await readFile(path.join(root, 'src/schema/schema.graphql'), 'utf8')).toBe(built);
  });

  it('should match the typed documents codegen makes (run `npm run codegen` after changing them)', async () => {
    const codegen = path.join(root, 'node_modules', '.bin', 'graphql-codegen');

    await expect(
      promisify(execFile)(codegen, ['--config', 'codegen.yml', '--check'], { cwd: root }),
    ).resolves.toBeDefined();
  });
});
