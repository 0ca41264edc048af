import 'reflect-metadata';
import { startApp } from './app';
import { Config, ConfigError, loadConfig } from './config';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { createLogger, Logger } from './logger';

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  let app;
  try {
    app = await startApp(config, database.url, logger);
  } catch (error) {
    await database.stop();
    throw error;
  }
  const running = app;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      return;
    }
    stopping = true;
    const startedAt = Date.now();
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    running.beginShutdown();
    // A request or job that hangs must not keep an orchestrator waiting past its own deadline.
    setTimeout(() => {
      logger.error(
        { timeoutMs: config.shutdownTimeoutMs },
        'shutdown did not finish in time (SHUTDOWN_TIMEOUT_MS); exiting anyway',
      );
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    running
      .close()
      .then(() => database.stop())
      .then(
        () => {
          logger.info({ durationMs: Date.now() - startedAt }, 'shut down cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  for (const signal of SHUTDOWN_SIGNALS) {
    // embedded-postgres installs handlers that stop the database and exit at once, under the
    // running service; here the service closes first, then its database.
    process.removeAllListeners(signal);
    process.once(signal, stop);
  }
}

async function openDatabase(
  config: Config,
  logger: Logger,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const database = config.database;
  if (database.kind === 'external') {
    return { url: database.url, stop: () => Promise.resolve() };
  }
  const log = logger.child({ component: 'embedded-postgres' });
  const embedded = await startEmbeddedPostgres({
    dataDir: database.dataDir,
    port: database.port,
    database: 'cml_worker_monitor',
    persistent: true,
    onLog: (line) => log.debug(line),
  });
  logger.info({ dataDir: database.dataDir, port: database.port }, 'embedded PostgreSQL started');
  return embedded;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `cml-worker-monitor failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
