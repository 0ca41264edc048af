import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { Alert } from '../entities/alert.entity';
import { AlertNotification } from '../entities/alert-notification.entity';
import { AlertRemediation } from '../entities/alert-remediation.entity';
import { MetricSample } from '../entities/metric-sample.entity';
import { Worker } from '../entities/worker.entity';
import { migrations } from '../entities/migrations';
import type { Logger } from '../logger';
import { quoteIdentifier } from './sql';

export const entities = [Worker, MetricSample, Alert, AlertNotification, AlertRemediation];

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  schema: string;
  logger?: Logger;
  /** Called for every SQL statement the data source sends (not Agenda's own pool). */
  onStatement?: () => void;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
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
    },
    logger: options.logger ? new PinoTypeOrmLogger(options.logger, options.onStatement) : undefined,
    logging: options.logger ? ['error', 'warn', 'migration'] : false,
  });
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

class PinoTypeOrmLogger implements TypeOrmLogger {
  constructor(
    private readonly logger: Logger,
    private readonly onStatement: (() => void) | undefined,
  ) {}

  logQuery(): void {
    this.onStatement?.();
  }

  logQueryError(error: string | Error, query: string): void {
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
    if (level === 'warn') {
      this.logger.warn({ detail: message }, 'typeorm warning');
    } else {
      this.logger.debug({ detail: message }, 'typeorm');
    }
  }
}
