import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findImportCycles, formatCycles } from '../../scripts/check-import-cycles';

describe(findImportCycles.name, () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'cwm-import-cycles-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Writes `files` (path under the root → source) and returns the cycles, as relative paths. */
  async function cyclesOf(files: Record<string, string>) {
    for (const [name, source] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, name)), { recursive: true });
      await writeFile(path.join(root, name), source);
    }
    return findImportCycles(root).map((cycle) => ({
      files: cycle.files.map((file) => path.relative(root, file)),
      typeOnly: cycle.typeOnly,
    }));
  }

  it('should find two files that import each other', async () => {
    const cycles = await cyclesOf({
      'a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });

    expect(cycles).toEqual([{ files: ['a.ts', 'b.ts', 'a.ts'], typeOnly: [false, false] }]);
  });

  it('should find nothing in imports that form no cycle, a diamond included', async () => {
    const cycles = await cyclesOf({
      'main.ts': "import './left';\nimport './right';\nimport 'node:path';\n",
      'left.ts': "export * from './shared';\n",
      'right.ts': "export { shared } from './shared/index';\n",
      'shared.ts': 'export const shared = 1;\n',
      'shared/index.ts': "import { shared } from '../shared';\nexport { shared };\n",
    });

    expect(cycles).toEqual([]);
  });

  it('should count a cycle made by type-only imports, and say which they are', async () => {
    const cycles = await cyclesOf({
      'server.ts':
        "import { serveWs } from './ws';\nexport interface Endpoint { serveWs: typeof serveWs }\n",
      'ws.ts':
        "import type { Endpoint } from './server';\nexport function serveWs(_: Endpoint) {}\n",
      'job.ts':
        "import { type Queue } from './queue';\nexport const JOB = 'job';\nexport let q: Queue;\n",
      'queue.ts': "export type Queue = import('./job').Job;\n",
    });

    expect(cycles).toEqual([
      { files: ['job.ts', 'queue.ts', 'job.ts'], typeOnly: [true, true] },
      { files: ['server.ts', 'ws.ts', 'server.ts'], typeOnly: [false, true] },
    ]);
  });

  it('should follow require(), import() and folders, and list a longer cycle as its chain', async () => {
    const cycles = await cyclesOf({
      'jobs/scheduler.ts': "export const load = () => import('../services/alerts.js');\n",

      'services/alerts.ts': "export const job = () => require('./notifications');\n",
      'services/notifications.ts': "export * from '../jobs/scheduler';\n",
      // Extensionless, which only require() resolves: still an import.
      'lone.ts': "export const again = () => import('./lone');\n",
    });

    expect(cycles).toEqual([
      { files: ['lone.ts', 'lone.ts'], typeOnly: [false] },
      {
        files: [
          'jobs/scheduler.ts',
          'services/alerts.ts',
          'services/notifications.ts',
          'jobs/scheduler.ts',
        ],
        typeOnly: [false, false, false],
      },
    ]);
  });

  it('should print each cycle as a chain of files, marking type-only imports', async () => {
    await cyclesOf({
      'a.ts': "import type { B } from './b';\nexport const a = 1;\nexport type A = B;\n",
      'b.ts': "import { a } from './a';\nexport type B = typeof a;\n",
    });

    expect(formatCycles(findImportCycles(root), root)).toBe(
      ['  1. a.ts', '      → b.ts (type only)', '      → a.ts'].join('\n'),
    );
  });
});
