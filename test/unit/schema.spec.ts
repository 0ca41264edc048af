import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isObjectType, type GraphQLObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
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

describe('field resolution', () => {
  it('should leave plain data to graphql-js: only declared field resolvers wrap a field', async () => {
    const pubSub = new InProcessPubSub();
    const schema = await buildAppSchema({ pubSub });
    await pubSub.close();
    const storage = getMetadataStorage();
    const typeNames = new Map(storage.objectTypes.map((type) => [type.target, type.name]));
    const declared = new Set(
      storage.fieldResolvers.map(
        (resolver) =>
          `${typeNames.get(resolver.getObjectType?.() ?? resolver.target)}.${resolver.schemaName}`,
      ),
    );
    const roots = new Set(
      [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].map(
        (type) => type?.name,
      ),
    );

    const wrapped = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith('__') && !roots.has(type.name))
      .flatMap((type) =>
        Object.values((type as GraphQLObjectType).getFields())
          .filter((field) => field.resolve !== undefined)
          .map((field) => `${type.name}.${field.name}`),
      );

    expect(wrapped.filter((field) => !declared.has(field))).toEqual([]);
    expect(wrapped).toEqual(expect.arrayContaining(['Worker.metrics', 'Worker.alerts']));
  });

  it('should give compiled execution data to read: no field without a resolver names a method', async () => {
    const pubSub = new InProcessPubSub();
    const schema = await buildAppSchema({ pubSub });
    await pubSub.close();
    // graphql-js's default resolver calls a function it finds; compiled code reads it as it is.
    const methodOf = (target: { prototype?: object }, name: string) => {
      for (let proto = target.prototype; proto; proto = Object.getPrototypeOf(proto) as object) {
        const descriptor = Object.getOwnPropertyDescriptor(proto, name);
        if (descriptor) {
          return typeof descriptor.value === 'function' && proto !== Object.prototype;
        }
      }
      return false;
    };
    const readAsProperties = getMetadataStorage().objectTypes.flatMap((metadata) => {
      const type = schema.getType(metadata.name);
      if (!isObjectType(type)) {
        return [];
      }
      return Object.values(type.getFields())
        .filter((field) => field.resolve === undefined)
        .map((field) => ({ target: metadata.target, field: `${type.name}.${field.name}` }));
    });

    expect(
      readAsProperties
        .filter(({ target, field }) => methodOf(target, field.split('.')[1] ?? ''))
        .map(({ field }) => field),
    ).toEqual([]);
    expect(readAsProperties.map(({ field }) => field)).toEqual(
      expect.arrayContaining(['Worker.name', 'MetricSample.collectedAt', 'Alert.state']),
    );
  });
});
