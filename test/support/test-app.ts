import { startApp, RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { POLLED } from '../../src/entities/change-source.enum';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { testLogger } from './silent-logger';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from './test-database';

export const TEST_REGION = 'eu-west-1';

export interface TestApp extends RunningApp {
  readonly schema: string;
  /** Publishes a marker status change for `subscribeReady` (UNKNOWN to UNKNOWN, never a real one). */
  probe(workerId: string | undefined): Promise<void>;
}

export const isProbe = (event: {
  workerStatusChanged: { previousStatus: string; status: string };
}) =>
  event.workerStatusChanged.previousStatus === 'UNKNOWN' &&
  event.workerStatusChanged.status === 'UNKNOWN';

/**
 * The whole service, in this process, on a schema of its own, a free port, the built-in
 * emulator and (when REDIS_URL is set) Redis under this run's key prefix.
 */
export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  /** Another app's schema, to start on the registry it left. */
  schema = uniqueSchemaName(),
): Promise<TestApp> {
  const redis = process.env.REDIS_URL
    ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: process.env.TEST_REDIS_PREFIX }
    : {};
  const config = loadConfig({
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_SCHEMA: schema,
    PORT: '0',
    AWS_REGION: TEST_REGION,
    EMULATOR_DEMO_FLEET: 'false',
    // 4566 belongs to the service a developer may be running beside the tests.
    EMULATOR_PORT: '0',
    // Every document compiled from its first run: the path production takes from the second on.
    GRAPHQL_COMPILE_AFTER_RUNS: '0',
    ...redis,
    ...env,
  });
  const app = await startApp(
    config,
    config.database.kind === 'external' ? config.database.url : '',
    testLogger(),
  );
  return {
    ...app,
    schema,
    probe: (workerId) =>
      app.pubSub.publish('WORKER_STATUS_CHANGED', {
        workerId: workerId ?? 'probe',
        previousStatus: WorkerStatus.UNKNOWN,
        status: WorkerStatus.UNKNOWN,
        changedAt: new Date(),
        ...POLLED,
      }),
    async close() {
      await app.close();
      await dropSchema(schema);
    },
  };
}
