import {
  execute,
  GraphQLError,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { compileQuery } from 'graphql-jit';
import { compiledExecution } from '../../src/http/compiled-execution';

/** A resolver's failure the way the service's are: an Error of its own, with no extensions. */
class RefusedError extends Error {
  readonly code = 'FORBIDDEN';
}

interface Sample {
  at: string;
  cpu: number | null;
}

const SampleType = new GraphQLObjectType<Sample>({
  name: 'Sample',
  fields: {
    at: { type: new GraphQLNonNull(GraphQLString) },
    cpu: { type: GraphQLInt },
  },
});

const WorkerType = new GraphQLObjectType<{ id: string; name: string | null }>({
  name: 'Worker',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    name: { type: new GraphQLNonNull(GraphQLString) },
    samples: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(SampleType))),
      args: { limit: { type: new GraphQLNonNull(GraphQLInt) } },
      resolve: async (worker, { limit }: { limit: number }) =>
        await Promise.resolve(
          [60, null, 12].slice(0, limit).map((cpu, minute) => ({
            at: `${worker.id}@${minute}`,
            cpu,
          })),
        ),
    },
    secret: {
      type: GraphQLString,
      resolve: () => {
        throw new RefusedError('operators only');
      },
    },
  },
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      engine: { type: GraphQLString },
      workers: {
        type: new GraphQLList(WorkerType),
        args: { first: { type: new GraphQLNonNull(GraphQLInt) } },
        resolve: (_root, { first }: { first: number }) =>
          [
            { id: 'w1', name: 'alpha' },
            { id: 'w2', name: null },
          ].slice(0, first),
      },
    },
  }),
});

const run = compiledExecution(schema, { compileAfterRuns: 1, maxCompiledDocuments: 100 });

/** A document's answer compiled (it runs on graphql-js the first time), and graphql-js's. */
async function bothWays(
  query: string,
  variableValues?: Record<string, unknown>,
  operationName?: string,
): Promise<{ compiled: ExecutionResult; graphqlJs: ExecutionResult }> {
  const args: ExecutionArgs = { schema, document: parse(query), variableValues, operationName };
  await run(args);
  return { compiled: await run(args), graphqlJs: await execute(args) };
}

/** Tells the engine that ran: graphql-js calls a function it finds in a field, graphql-jit not. */
const engineOf = (result: ExecutionResult) =>
  (result.data as { engine?: string } | null)?.engine === 'graphql-js' ? 'graphql-js' : 'compiled';

describe('compiled execution', () => {
  it('should answer as graphql-js does, nested lists, arguments and async resolvers alike', async () => {
    const { compiled, graphqlJs } = await bothWays(
      'query Page($first: Int!) { workers(first: $first) { id samples(limit: 3) { at cpu } } }',
      { first: 2 },
    );

    expect(compiled).toEqual(graphqlJs);
    expect(JSON.stringify(compiled)).toBe(JSON.stringify(graphqlJs));
  });

  it("should give a resolver's error graphql-js's shape: extensions, path, locations and the error thrown", async () => {
    const { compiled, graphqlJs } = await bothWays('{ workers(first: 1) { id secret } }');
    const [error] = compiled.errors ?? [];

    expect(JSON.stringify(compiled)).toBe(JSON.stringify(graphqlJs));
    expect(error).toBeInstanceOf(GraphQLError);
    // Apollo Server reads the code of every error's extensions, which must be there.
    expect(error?.extensions).toEqual({});
    expect(error?.originalError).toBeInstanceOf(RefusedError);
    expect(error?.path).toEqual(['workers', 0, 'secret']);
    expect(error?.locations).toEqual([{ line: 1, column: 26 }]);
  });

  it("should null the nearest nullable parent of a null where none may be, with graphql-js's error", async () => {
    const { compiled, graphqlJs } = await bothWays('{ workers(first: 2) { id name } }');

    expect(compiled.data).toEqual({ workers: [{ id: 'w1', name: 'alpha' }, null] });
    expect(JSON.stringify(compiled)).toBe(JSON.stringify(graphqlJs));
    expect(compiled.errors?.[0]?.extensions).toEqual({});
  });

  it.each([
    ['missing', {}],
    ['of the wrong type', { first: 'ten' }],
    ['null where none may be', { first: null }],
  ])(
    "should refuse a variable %s with graphql-js's words, which Apollo Server answers with BAD_USER_INPUT",
    async (_case, variables) => {
      const { compiled, graphqlJs } = await bothWays(
        'query Page($first: Int!) { workers(first: $first) { id } }',
        variables,
      );

      expect(compiled).not.toHaveProperty('data');
      expect(compiled.errors?.map((error) => error.toJSON())).toEqual(
        graphqlJs.errors?.map((error) => error.toJSON()),
      );
      expect(compiled.errors?.[0]?.nodes).toHaveLength(1);
      expect(compiled.errors?.[0]?.message).toMatch(/^Variable "\$first" (got invalid value|of)/);
    },
  );

  it("should run each named operation of a document as its own, and an unknown one with graphql-js's error", async () => {
    const query = `query One { workers(first: 1) { id } }
      query Two { workers(first: 2) { name } }`;
    const run1 = await bothWays(query, undefined, 'One');
    const run2 = await bothWays(query, undefined, 'Two');
    const missing = await bothWays(query, undefined, 'Three');
    const unnamed = await bothWays(query);

    expect(run1.compiled).toEqual({ data: { workers: [{ id: 'w1' }] } });
    expect(JSON.stringify(run2.compiled)).toBe(JSON.stringify(run2.graphqlJs));
    expect(missing.compiled).toEqual(missing.graphqlJs);
    expect(missing.compiled.errors?.[0]?.message).toBe('Unknown operation named "Three".');
    expect(unnamed.compiled).toEqual(unnamed.graphqlJs);
  });

  it('should run a document on graphql-js the first time, and compiled from the second on', async () => {
    const document = parse('{ engine }');
    const rootValue = { engine: () => 'graphql-js' };
    const engines: string[] = [];
    for (let time = 0; time < 3; time += 1) {
      engines.push(engineOf(await run({ schema, document, rootValue })));
    }

    expect(engines).toEqual(['graphql-js', 'compiled', 'compiled']);
    // And so is each new document, however many came before.
    expect(engineOf(await run({ schema, document: parse('{ engine }'), rootValue }))).toBe(
      'graphql-js',
    );
  });

  it.each([
    [0, ['compiled', 'compiled', 'compiled']],
    [2, ['graphql-js', 'graphql-js', 'compiled']],
  ])(
    'should compile a document after %d runs on graphql-js',
    async (compileAfterRuns, expected) => {
      const runAfter = compiledExecution(schema, { compileAfterRuns, maxCompiledDocuments: 100 });
      const document = parse('{ engine }');
      const rootValue = { engine: () => 'graphql-js' };
      const engines: string[] = [];
      for (let time = 0; time < 3; time += 1) {
        engines.push(engineOf(await runAfter({ schema, document, rootValue })));
      }

      expect(engines).toEqual(expected);
    },
  );

  it('should keep the code of the documents run last, and compile one it dropped again when it comes back', async () => {
    const compiles: string[] = [];
    const counting: typeof compileQuery = (...args) => {
      compiles.push(args[2] ?? '');
      return compileQuery(...args);
    };
    const keeping = compiledExecution(schema, {
      compileAfterRuns: 0,
      maxCompiledDocuments: 2,
      compile: counting,
    });
    const documents = Object.fromEntries(
      ['A', 'B', 'C'].map((name) => [name, parse(`query ${name} { engine }`)]),
    );
    const rootValue = { engine: () => 'graphql-js' };
    const engines: string[] = [];
    for (const name of ['A', 'A', 'B', 'C', 'C', 'B', 'A']) {
      const document = documents[name];
      engines.push(engineOf(await keeping({ schema, document, rootValue, operationName: name })));
    }

    expect(engines.every((engine) => engine === 'compiled')).toBe(true);
    // A goes when C comes (B ran since); B stays, having run after A.
    expect(compiles).toEqual(['A', 'B', 'C', 'A']);
  });

  it('should answer the same document alike again, with other variables', async () => {
    const document = parse('query Page($first: Int!) { workers(first: $first) { id } }');
    const answers: ExecutionResult[] = [];
    for (const first of [1, 2, 1]) {
      answers.push(await run({ schema, document, variableValues: { first } }));
    }

    expect(answers).toEqual([
      { data: { workers: [{ id: 'w1' }] } },
      { data: { workers: [{ id: 'w1' }, { id: 'w2' }] } },
      { data: { workers: [{ id: 'w1' }] } },
    ]);
  });

  it('should leave a schema it was not made for to graphql-js', async () => {
    // The same field as ours: compiled against our schema, the document would run.
    const other = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { engine: { type: GraphQLString } } }),
    });
    const atOnce = compiledExecution(schema, { compileAfterRuns: 0, maxCompiledDocuments: 100 });
    const document = parse('{ engine }');
    const rootValue = { engine: () => 'graphql-js' };
    const engines: string[] = [];
    for (let time = 0; time < 2; time += 1) {
      engines.push(engineOf(await atOnce({ schema: other, document, rootValue })));
    }

    expect(engines).toEqual(['graphql-js', 'graphql-js']);
    expect(engineOf(await atOnce({ schema, document, rootValue }))).toBe('compiled');
  });
});
