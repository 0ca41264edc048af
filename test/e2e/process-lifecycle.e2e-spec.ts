import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client as PgClient } from 'pg';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.server';
import { Worker } from '../../src/entities/worker.entity';
import { WorkersDocument } from '../generated/graphql';
import { buildWorker } from '../support/factories';
import { requestData } from '../support/graphql-client';
import {
  sharedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../support/service-process';
import { freePort } from '../support/free-port';
import { TEST_REGION } from '../support/test-app';
import { createTestDataSource, testDatabaseUrl, uniqueSchemaName } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const INTERVAL_MS = 2_000;
const FLEET_SIZE = 30;
const SHUTDOWN_TIMEOUT_MS = 15_000;
/** Slower than a whole interval's slack, so a poll is in flight when the signal comes. */
const AWS_LATENCY_MS = 1_500;

const describeWithRedis = process.env.REDIS_URL ? describe : describe.skip;

/**
 * Service processes started, stopped and split into roles on one registry and a standalone
 * emulator, as an orchestrator would run them.
 */
describe('service process lifecycle', () => {
  const schema = uniqueSchemaName();
  let emulator: RunningEmulator;
  let db: PgClient;
  let workerIds: string[];

  const startService = async (env: NodeJS.ProcessEnv = {}) =>
    startServiceProcess({
      ...(await sharedServiceEnv({
        schema,
        emulatorEndpoint: emulator.endpoint,
        region: TEST_REGION,
        intervalMs: INTERVAL_MS,
      })),
      JOBS_LOCK_LIFETIME_MS: '30000',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      ...env,
    });

  const samplesSince = async (since: number) => {
    const { rows } = await db.query<{ workerId: string; collectedAt: Date }>(
      `SELECT "workerId", "collectedAt" FROM ${schema}.metric_sample WHERE "collectedAt" >= $1`,
      [new Date(since)],
    );
    return rows;
  };

  const lockedPollJobs = async () => {
    const { rows } = await db.query<{ count: string }>(
      `SELECT count(*) FROM ${schema}.agenda_jobs
       WHERE name = 'poll-worker' AND locked_at IS NOT NULL`,
    );
    return Number(rows[0].count);
  };

  const nextBoundary = () => (Math.floor(Date.now() / INTERVAL_MS) + 1) * INTERVAL_MS;

  beforeAll(async () => {
    emulator = await startEmulator({ defaultRegion: TEST_REGION });
    const instances = emulator.fleet.addInstances({
      count: FLEET_SIZE,
      region: TEST_REGION,
      state: 'running',
    });
    // Registered before any process starts, as after a deployment: the first boot gives each
    // worker its job.
    const registry = await createTestDataSource(schema);
    const saved = await registry
      .getRepository(Worker)
      .save(
        instances.map((instance) =>
          registry
            .getRepository(Worker)
            .create(buildWorker({ awsRegion: TEST_REGION, awsInstanceId: instance.instanceId })),
        ),
      );
    workerIds = saved.map((worker) => worker.id);
    await registry.destroy();
    db = new PgClient({ connectionString: testDatabaseUrl() });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
    await emulator.close();
  });

  it('should finish the poll in flight on SIGTERM, exit 0 and leave no job locked', async () => {
    const service = await startService();
    await waitFor(async () => (await samplesSince(0)).length >= FLEET_SIZE, 15_000);
    emulator.fleet.setFaults({ action: 'DescribeInstanceStatus', latencyMs: AWS_LATENCY_MS });
    const boundary = nextBoundary();
    await waitFor(() => Date.now() > boundary + 300, INTERVAL_MS + 1_000);
    expect(await lockedPollJobs()).toBeGreaterThan(0);

    const signalledAt = Date.now();
    const code = await service.stop();
    const tookMs = Date.now() - signalledAt;

    emulator.fleet.setFaults({ action: 'DescribeInstanceStatus', latencyMs: 0 });
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(await lockedPollJobs()).toBe(0);
    const finished = new Set((await samplesSince(boundary)).map((row) => row.workerId));
    expect(finished.size).toBe(FLEET_SIZE);
    expect(service.output.some((line) => line.includes('shut down cleanly'))).toBe(true);
  }, 60_000);

  describeWithRedis('split into an api and a worker process', () => {
    let api: ServiceProcess;
    let worker: ServiceProcess | undefined;

    afterAll(async () => {
      await Promise.allSettled([api.stop(), worker?.stop()]);
    });

    it('should serve GraphQL from the api process without running its jobs', async () => {
      api = await startService({ ROLE: 'api' });
      const since = Date.now();

      const { workers } = await requestData(api.graphqlUrl, WorkersDocument, {});
      await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS + 500));

      expect(workers.totalCount).toBe(FLEET_SIZE);
      expect(await samplesSince(since)).toEqual([]);
      const origin = new URL(api.graphqlUrl).origin;
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    }, 60_000);

    it('should poll every worker in the first cycle of the worker process, and serve no GraphQL', async () => {
      worker = await startService({ ROLE: 'worker' });
      const boundary = nextBoundary();

      const polled = await waitFor(async () => {
        const rows = await samplesSince(boundary);
        return new Set(rows.map((row) => row.workerId)).size === FLEET_SIZE ? rows : undefined;
      }, 3 * INTERVAL_MS);

      const firstCycle = polled.filter((row) => row.collectedAt.getTime() < boundary + INTERVAL_MS);
      expect(new Set(firstCycle.map((row) => row.workerId))).toEqual(new Set(workerIds));
      const origin = worker.graphqlUrl;
      expect((await fetch(`${origin}/graphql`)).status).toBe(404);
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${origin}/readyz`)).json()).toEqual({ status: 'ready' });
    }, 60_000);
  });
});

/** `npm start` after its build: the start script, run as a terminal runs a job (its own group). */
interface StartedScript {
  readonly pid: number;
  readonly output: string[];
  readonly exited: Promise<number | null>;
  /** Resolves once the service serves; rejects if the script exits first. */
  readonly ready: Promise<void>;
}

function runStartScript(env: NodeJS.ProcessEnv): StartedScript {
  const root = path.join(__dirname, '..', '..');
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', 'ts-node/register', path.join(root, 'scripts', 'start.ts')],
    {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TS_NODE_SWC: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        output.push(line);
        if (line.includes('"GraphQL API and GraphiQL ready"')) {
          resolve();
        }
      });
    }
    void exited.then((code) =>
      reject(new Error(`the start script exited with ${code}:\n${output.join('\n')}`)),
    );
  });
  // A start that is meant to fail is awaited through `exited` alone.
  ready.catch(() => undefined);
  return { pid: child.pid ?? 0, output, exited, ready };
}

/** The script's process group and the embedded PostgreSQL, which runs in a group of its own. */
function processesOf(script: StartedScript, dataDir: string): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  const group = table
    .trim()
    .split('\n')
    .map((row) => row.trim().split(/\s+/))
    .filter(([, pgid, stat]) => Number(pgid) === script.pid && !stat.startsWith('Z'))
    .map(([pid]) => Number(pid));
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const postgres = existsSync(pidFile)
    ? [Number(readFileSync(pidFile, 'utf8').split('\n')[0])]
    : [];
  return [...group, ...postgres];
}

function isRunning(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const jsonLines = (output: string[]) =>
  output.map((line) => {
    try {
      return JSON.parse(line) as { level: number; msg: string; [field: string]: unknown };
    } catch {
      throw new Error(`not a JSON line: ${line}`);
    }
  });

describe('npm start', () => {
  let runDir: string;
  let dataDir: string;
  let dashboardDir: string;
  let postgresPort: number;

  const embeddedEnv = async (env: NodeJS.ProcessEnv = {}) => ({
    PORT: String(await freePort()),
    EMBEDDED_POSTGRES_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
    EMULATOR_PORT: '0',
    EMULATOR_DEMO_FLEET: 'false',
    // A clean clone has no dashboard build, which the service rightly warns of.
    DASHBOARD_DIR: dashboardDir,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...env,
  });

  const stopped = async (script: StartedScript, signal: () => void) => {
    await script.ready;
    const processes = processesOf(script, dataDir);
    expect(processes.length).toBeGreaterThanOrEqual(3);
    signal();
    const code = await script.exited;
    return { code, left: processes.filter(isRunning) };
  };

  beforeAll(async () => {
    runDir = await mkdtemp(path.join(tmpdir(), 'cwm-start-'));
    dataDir = path.join(runDir, 'postgres');
    dashboardDir = path.join(runDir, 'dashboard');
    await mkdir(dashboardDir);
    await writeFile(
      path.join(dashboardDir, 'index.html'),
      '<!doctype html><title>dashboard</title>',
    );
    postgresPort = await freePort();
  });

  afterAll(async () => {
    await rm(runDir, { recursive: true, force: true });
  });

  it('should log the dashboard, GraphiQL and emulator URLs, the emulator elsewhere when 4566 is taken', async () => {
    const holder = await listen(4566);
    // A warning from Node in the service's process (not the start script's), whatever Node
    // version runs it: not all of them have one of their own to give at start.
    const warning = path.join(runDir, 'emit-warning.js');
    await writeFile(
      warning,
      "if (/[\\\\/]src[\\\\/]main\\.[jt]s$/.test(process.argv[1])) setImmediate(() => process.emitWarning('from the test', 'TestWarning'));\n",
    );
    try {
      const script = runStartScript(
        await embeddedEnv({
          EMULATOR_PORT: undefined,
          EMULATOR_DEMO_FLEET: 'true',
          NODE_OPTIONS: `--require ${warning}`,
        }),
      );
      await script.ready;
      process.kill(script.pid, 'SIGTERM');
      expect(await script.exited).toBe(0);

      const lines = jsonLines(script.output);
      const urls = lines.find((line) => typeof line.dashboard === 'string');
      const port = /:(\d+)\/$/.exec(String(urls?.dashboard))?.[1];
      expect(urls).toMatchObject({
        dashboard: `http://127.0.0.1:${port}/`,
        graphiql: `http://127.0.0.1:${port}/graphql`,
        emulator: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      expect(urls?.emulator).not.toBe('http://127.0.0.1:4566');
      expect(urls?.msg).toContain(String(urls?.emulator));
      expect(lines.some((line) => line.msg.startsWith('port 4566 is taken'))).toBe(true);
      expect(lines).toContainEqual(
        expect.objectContaining({
          msg: 'process warning',
          warning: expect.objectContaining({ name: 'TestWarning', message: 'from the test' }),
        }),
      );
    } finally {
      holder?.close();
    }
  }, 60_000);

  it('should stop the service and then its PostgreSQL on SIGTERM, exit 0 and leave nothing running', async () => {
    const script = runStartScript(await embeddedEnv());

    const { code, left } = await stopped(script, () => process.kill(script.pid, 'SIGTERM'));

    expect(code).toBe(0);
    expect(left).toEqual([]);
    expect(script.output.some((line) => line.includes('shut down cleanly'))).toBe(true);
  }, 60_000);

  it('should exit 0 on a Ctrl-C to the whole process group, with no warning and nothing left', async () => {
    const script = runStartScript(await embeddedEnv());

    const { code, left } = await stopped(script, () => process.kill(-script.pid, 'SIGINT'));

    expect(code).toBe(0);
    expect(left).toEqual([]);
    const lines = jsonLines(script.output);
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
    expect(lines.filter((line) => line.msg === 'shutting down')).toHaveLength(1);
    expect(lines.at(-1)?.msg).toBe('shut down cleanly');
  }, 60_000);

  it('should refuse a second start on the same data directory, naming it, and exit 1', async () => {
    const first = runStartScript(await embeddedEnv());
    await first.ready;
    try {
      const second = runStartScript(await embeddedEnv());

      expect(await second.exited).toBe(1);
      expect(second.output).toEqual([
        expect.stringMatching(
          new RegExp(
            `cannot start: .*data directory ${dataDir} \\(EMBEDDED_POSTGRES_DIR\\) is in use`,
          ),
        ),
      ]);
    } finally {
      process.kill(first.pid, 'SIGTERM');
      expect(await first.exited).toBe(0);
    }
  }, 60_000);

  it('should refuse a port in use, naming it, and exit 1', async () => {
    const port = await freePort();
    const holder = await listen(port);
    try {
      const script = runStartScript({
        PORT: String(port),
        DATABASE_URL: testDatabaseUrl(),
        DATABASE_SCHEMA: uniqueSchemaName(),
        EMULATOR_PORT: '0',
        EMULATOR_DEMO_FLEET: 'false',
      });

      expect(await script.exited).toBe(1);
      expect(script.output).toContain(
        `cml-worker-monitor cannot start: port ${port} on 127.0.0.1 (PORT) is in use by another process: is cml-worker-monitor already running?`,
      );
    } finally {
      holder?.close();
    }
  }, 60_000);
});
