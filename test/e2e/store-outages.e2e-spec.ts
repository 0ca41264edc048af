import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../support/free-port';
import {
  startPrivatePostgres,
  startPrivateRedis,
  type PrivateStore,
} from '../support/private-stores';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { testDatabaseUrl, uniqueSchemaName } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const OUTAGE_MS = 3_000;

interface LogLine {
  level: number;
  time: number;
  msg: string;
  connection?: string;
  errors?: number;
  outageMs?: number;
}

/** Every line the service wrote, as JSON; fails on the first one that is not. */
function logLines(service: ServiceProcess): LogLine[] {
  return service.output.map((line) => {
    try {
      return JSON.parse(line) as LogLine;
    } catch {
      throw new Error(`a line of the service's output is not JSON: ${line}`);
    }
  });
}

const serviceEnv = async (env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> => ({
  PORT: String(await freePort()),
  DATABASE_SCHEMA: uniqueSchemaName(),
  EMULATOR_PORT: '0',
  EMULATOR_DEMO_FLEET: 'false',
  JOBS_PROCESS_EVERY_MS: '200',
  ...env,
});

/**
 * Takes a store away for OUTAGE_MS while the service runs, brings it back, and returns what the
 * service logged from the loss until it said each of `connections` recovered, and a second on.
 */
async function throughOutage(
  service: ServiceProcess,
  store: { stop(): Promise<void>; restart(): Promise<void> },
  connections: string[],
): Promise<LogLine[]> {
  // The service says it serves a moment before it says where to go: that line is no outage's.
  await waitFor(
    () => logLines(service).some((line) => line.msg.startsWith('dashboard on ')),
    5_000,
  );
  const lostAt = Date.now();
  await store.stop();
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  await store.restart();
  await waitFor(
    () =>
      connections.every((connection) =>
        logLines(service).some(
          (line) => line.connection === connection && line.msg.endsWith('connection recovered'),
        ),
      ),
    15_000,
    200,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return logLines(service).filter((line) => line.time >= lostAt);
}

function expectOneLossAndRecovery(lines: LogLine[], connection: string): void {
  const ofConnection = lines.filter((line) => line.connection === connection);
  expect(ofConnection.map((line) => [line.level, line.msg])).toEqual([
    [40, `${connection} connection lost`],
    [30, `${connection} connection recovered`],
  ]);
  const recovered = ofConnection[1];
  expect(recovered.errors).toBeGreaterThanOrEqual(1);
  expect(recovered.outageMs).toBeGreaterThanOrEqual(OUTAGE_MS - 500);
}

/** Names the lines past the first `most`, so that a failure says what else was logged. */
function expectNothingElse(lines: LogLine[], most: number): void {
  expect(lines.slice(most).map((line) => line.msg)).toEqual([]);
}

/** The Redis outage needs a redis-server of its own; the embedded defaults need none. */
const redisServerAvailable = spawnSync('redis-server', ['--version']).status === 0;
if (!redisServerAvailable && process.env.CI) {
  throw new Error('redis-server is required in CI for the Redis outage test and is not on PATH');
}
const itWithRedisServer = redisServerAvailable ? it : it.skip;

describe('logs during store outages', () => {
  let service: ServiceProcess | undefined;
  let store: PrivateStore | undefined;

  afterEach(async () => {
    await service?.stop();
    await store?.stop();
    service = undefined;
    store = undefined;
  });

  itWithRedisServer(
    'should log a Redis outage as one warning and one recovery with its error count',
    async () => {
      const port = await freePort();
      store = await startPrivateRedis(port);
      service = await startServiceProcess(
        await serviceEnv({ DATABASE_URL: testDatabaseUrl(), REDIS_URL: store.url }),
      );
      const redis = { current: store };

      const lines = await throughOutage(
        service,
        {
          stop: () => redis.current.stop(),
          restart: async () => {
            redis.current = store = await startPrivateRedis(port);
          },
        },
        ['redis'],
      );

      expectOneLossAndRecovery(lines, 'redis');
      expectNothingElse(lines, 4);
    },
    40_000,
  );

  it('should log a PostgreSQL outage as one warning and one recovery per client, without dumps', async () => {
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'cwm-outage-')), 'postgres');
    const port = await freePort();
    try {
      store = await startPrivatePostgres(dataDir, port);
      service = await startServiceProcess(await serviceEnv({ DATABASE_URL: store.url }));
      const postgres = { current: store };

      const lines = await throughOutage(
        service,
        {
          stop: () => postgres.current.stop(),
          restart: async () => {
            postgres.current = store = await startPrivatePostgres(dataDir, port);
          },
        },
        ['postgres', 'jobStore'],
      );

      expectOneLossAndRecovery(lines, 'postgres');
      expectOneLossAndRecovery(lines, 'jobStore');
      expectNothingElse(lines, 4);
      expect(Math.max(...service.output.map((line) => line.length))).toBeLessThan(1_000);
    } finally {
      await service?.stop();
      service = undefined;
      await store?.stop();
      store = undefined;
      await rm(path.dirname(dataDir), { recursive: true, force: true });
    }
  }, 60_000);
});
