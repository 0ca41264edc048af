import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../../src/database/data-source';
import { quoteIdentifier } from '../../src/database/sql';

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'TEST_DATABASE_URL is unset: run the tests through jest, whose global setup provides it',
    );
  }
  return url;
}

/** A schema no other suite uses, so suites never see each other's rows. */
export function uniqueSchemaName(): string {
  return `t_${randomBytes(5).toString('hex')}`;
}

/** A migrated data source on a schema of its own; drop it with `dropTestDataSource`. */
export async function createTestDataSource(schema = uniqueSchemaName()): Promise<DataSource> {
  const dataSource = createDataSource({ url: testDatabaseUrl(), schema, poolSize: 4 });
  await dataSource.initialize();
  await runMigrations(dataSource);
  return dataSource;
}

export async function dropTestDataSource(dataSource: DataSource): Promise<void> {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (schema) {
    await dataSource.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  }
  await dataSource.destroy();
}

/** Drops a schema that a service (in this process or another) migrated and filled. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
