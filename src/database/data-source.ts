import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { Alert } from '../entities/alert.entity';
import { AuditEvent } from '../entities/audit-event.entity';
import { AlertNotification } from '../entities/alert-notification.entity';
import { AlertRemediation } from '../entities/alert-remediation.entity';
import { MetricSample } from '../entities/metric-sample.entity';
import { NotificationGroup, NotificationGroupAlert } from '../entities/notification-group.entity';
import { Silence } from '../entities/silence.entity';
import { Worker } from '../entities/worker.entity';
import { WorkerStatusTransition } from '../entities/worker-status-transition.entity';
import { migrations } from '../entities/migrations';
import type { Logger } from '../logger';
import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ConnectionWatch, isConnectionError, watchPool } from '../observability/connection-watch';
import { quoteIdentifier } from './sql';
import { typeParsers } from './type-parsers';

export const entities = [
  Worker,
  MetricSample,
  Alert,
  AlertNotification,
  AlertRemediation,
  NotificationGroup,
  NotificationGroupAlert,
  Silence,
  WorkerStatusTransition,
  AuditEvent,
];

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  schema: string;
  logger?: Logger;
  /** Called for every SQL statement the data source sends (not Agenda's own pool). */
  onStatement?: () => void;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return options.logger
    ? new WatchedDataSource(options, options.logger)
    : new DataSource({ ...dataSourceOptions(options), logging: false });
}

function dataSourceOptions(options: DataSourceOptions) {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    uuidExtension: 'pgcrypto',
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: {
      max: options.poolSize,
      // Migrations name their objects unqualified, so the schema goes on the search path too.
      options: `-c search_path=${options.schema}`,
      types: typeParsers,
    },
  } as const;
}

/** The one client of the watch: TypeORM's pool, whichever of its connections failed. */
const POOL = 'pool';

/**
 * Reports its connections' outages as `postgres` ones, and no longer once destroyed: a pool
 * closed on purpose is no outage.
 */
class WatchedDataSource extends DataSource {
  private readonly watch: ConnectionWatch;

  constructor(options: DataSourceOptions, logger: Logger) {
    const watch = new ConnectionWatch({ name: 'postgres', logger });
    super({
      ...dataSourceOptions(options),
      // TypeORM's default logs a warning for each idle connection the server drops; the
      // watch hears of those from the pool itself.
      poolErrorHandler: () => undefined,
      logger: new PinoTypeOrmLogger(logger, watch, options.onStatement),
      logging: ['error', 'warn', 'migration'],
    });
    this.watch = watch;
  }

  override async initialize(): Promise<this> {
    await super.initialize();
    watchPool((this.driver as PostgresDriver).master as Pool, this.watch, POOL);
    return this;
  }

  override async destroy(): Promise<void> {
    this.watch.close();
    await super.destroy();
  }
}

/** Several service processes may boot at once; the advisory lock lets exactly one migrate. */
const MIGRATION_LOCK_KEY = 7_302_114;

export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schemaOf(dataSource))}`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    await runner.release();
  }
}

function schemaOf(dataSource: DataSource): string {
  return (dataSource.options as { schema?: string }).schema ?? 'public';
}

/** TypeORM's warning for a checked-out connection that failed: the outage, seen mid-statement. */
const CONNECTION_WARNING = 'Postgres connection raised an error';

class PinoTypeOrmLogger implements TypeOrmLogger {
  constructor(
    private readonly logger: Logger,
    private readonly watch: ConnectionWatch,
    private readonly onStatement: (() => void) | undefined,
  ) {}

  logQuery(): void {
    this.onStatement?.();
  }

  logQueryError(error: string | Error, query: string): void {
    if (isConnectionError(error)) {
      this.watch.down(POOL, error);
    }
    this.logger.debug({ err: error, query }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ time, query }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (typeof message === 'string' && message.startsWith(CONNECTION_WARNING)) {
      this.watch.down(POOL, message);
    } else if (level === 'warn') {
      this.logger.warn({ detail: message }, 'typeorm warning');
    } else {
      this.logger.debug({ detail: message }, 'typeorm');
    }
  }
}
