import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, print, visit, type ASTVisitor } from 'graphql';

const servedSchema = path.join(__dirname, '..', '..', 'src', 'schema', 'schema.graphql');
/** The package's launcher of its native binary, as `npx relay-compiler` runs it. */
const relayCli = require.resolve('relay-compiler/cli.js');

/** A paginated list of workers, each card refetchable on its own: what a Relay client writes. */
const SOURCES = {
  'WorkerList.ts': `export const workerList = graphql\`
  fragment WorkerList_query on Query
  @argumentDefinitions(first: { type: "Int", defaultValue: 20 }, after: { type: "String" })
  @refetchable(queryName: "WorkerListPaginationQuery") {
    workers(first: $first, after: $after) @connection(key: "WorkerList_workers") {
      edges {
        node {
          id
          ...WorkerCard_worker
        }
      }
    }
  }
\`;
`,
  'WorkerCard.ts': `export const workerCard = graphql\`
  fragment WorkerCard_worker on Worker @refetchable(queryName: "WorkerCardRefetchQuery") {
    name
    status
    lastPolledAt
  }
\`;
`,
};

const ARTIFACTS = [
  'WorkerCardRefetchQuery.graphql.ts',
  'WorkerCard_worker.graphql.ts',
  'WorkerListPaginationQuery.graphql.ts',
  'WorkerList_query.graphql.ts',
];

/** The served SDL with what `visitor` leaves out of it. */
function without(sdl: string, visitor: ASTVisitor): string {
  return print(visit(parse(sdl), visitor));
}

const NO_NODE: ASTVisitor = {
  InterfaceTypeDefinition: (node) => (node.name.value === 'Node' ? null : undefined),
  ObjectTypeDefinition: (node) => ({
    ...node,
    interfaces: node.interfaces?.filter((implemented) => implemented.name.value !== 'Node'),
    fields:
      node.name.value === 'Query'
        ? node.fields?.filter((field) => field.name.value !== 'node')
        : node.fields,
  }),
};

const FORWARD_PAGE_INFO_ONLY: ASTVisitor = {
  ObjectTypeDefinition: (node) =>
    node.name.value === 'PageInfo'
      ? {
          ...node,
          fields: node.fields?.filter(
            (field) => !['hasPreviousPage', 'startCursor'].includes(field.name.value),
          ),
        }
      : undefined,
};

describe('relay-compiler over the served schema', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'cwm-relay-'));
    await mkdir(path.join(root, 'src'));
    await mkdir(path.join(root, '__generated__'));
    for (const [name, source] of Object.entries(SOURCES)) {
      await writeFile(path.join(root, 'src', name), source);
    }
    await writeFile(
      path.join(root, 'relay.config.json'),
      JSON.stringify({
        src: './src',
        schema: './schema.graphql',
        language: 'typescript',
        artifactDirectory: './__generated__',
      }),
    );
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Compiles the sources against `sdl`: the exit code and what the compiler said. */
  async function compile(sdl: string): Promise<{ code: number; output: string }> {
    await writeFile(path.join(root, 'schema.graphql'), sdl);
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [relayCli], {
        cwd: root,
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  }

  it('should compile a @connection on workers and a @refetchable Worker', async () => {
    const { code, output } = await compile(await readFile(servedSchema, 'utf8'));

    expect({ code, output }).toMatchObject({ code: 0 });
    expect((await readdir(path.join(root, '__generated__'))).sort()).toEqual(ARTIFACTS);
    const refetch = await readFile(
      path.join(root, '__generated__', 'WorkerCardRefetchQuery.graphql.ts'),
      'utf8',
    );
    expect(refetch).toContain('node(id: $id)');
  });

  it('should refuse a @refetchable Worker against the schema without Node', async () => {
    const sdl = without(await readFile(servedSchema, 'utf8'), NO_NODE);
    expect(sdl).not.toMatch(/\bNode\b/);

    const { code, output } = await compile(sdl);

    expect(code).not.toBe(0);
    expect(output).toContain('@refetchable');
    expect(await readdir(path.join(root, '__generated__'))).toEqual([]);
  });

  it('should refuse the @connection against a PageInfo without hasPreviousPage and startCursor', async () => {
    const { code, output } = await compile(
      without(await readFile(servedSchema, 'utf8'), FORWARD_PAGE_INFO_ONLY),
    );

    expect(code).not.toBe(0);
    expect(output).toContain('hasPreviousPage');
    expect(output).toContain('startCursor');
  });
});
