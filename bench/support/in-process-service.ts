import { startApp, type RunningApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { BenchEnvironment } from './report';

export interface InProcessService {
  app: RunningApp;
  config: Config;
}

/**
 * The whole service in this process, on its built-in emulator and the schema `schema`, without
 * polling (a benchmark seeds or publishes what it measures, and polls would write meanwhile),
 * on the run's Redis when it has one. `settings` add environment variables or override these.
 */
export async function startInProcessService(
  env: BenchEnvironment,
  schema: string,
  settings: Record<string, string | undefined> = {},
): Promise<InProcessService> {
  const config = loadConfig({
    LOG_LEVEL: 'error',
    DATABASE_URL: env.databaseUrl,
    DATABASE_SCHEMA: schema,
    PORT: '0',
    EMULATOR_DEMO_FLEET: 'false',
    WORKER_MONITORING_ENABLED: 'false',
    REDIS_URL: env.redis?.url,
    REDIS_KEY_PREFIX: env.redis?.keyPrefix,
    ...settings,
  });
  const app = await startApp(config, env.databaseUrl, createLogger(config.logLevel));
  return { app, config };
}
