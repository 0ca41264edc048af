import { freePort } from './free-port';
import { testDatabaseUrl } from './test-database';

export { startServiceProcess, type ServiceProcess } from '../../bench/support/service-process';

/**
 * What a service process needs to join the others of a test: the test database under
 * `schema`, this run's Redis prefix when REDIS_URL is set, and a standalone emulator, with
 * polls every `intervalMs`.
 */
export async function sharedServiceEnv(options: {
  schema: string;
  emulatorEndpoint: string;
  region: string;
  intervalMs: number;
}): Promise<NodeJS.ProcessEnv> {
  return {
    PORT: String(await freePort()),
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_SCHEMA: options.schema,
    ...(process.env.REDIS_URL
      ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: process.env.TEST_REDIS_PREFIX }
      : {}),
    AWS_MODE: 'aws',
    AWS_ENDPOINT_URL: options.emulatorEndpoint,
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    WORKER_METRICS_POLL_INTERVAL: String(options.intervalMs / 1000),
    WORKER_METRICS_PERIOD: '60',
    JOBS_PROCESS_EVERY_MS: '200',
    WORKER_POLL_BATCH_WINDOW_MS: '100',
  };
}
