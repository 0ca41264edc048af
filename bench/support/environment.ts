import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type * as EmbeddedPostgresModule from '../../src/database/embedded-postgres';
import { quoteIdentifier } from '../../src/database/sql';
import { freePort } from '../../test/support/free-port';
import type { BenchEnvironment } from './report';

export interface OpenedEnvironment extends BenchEnvironment {
  /** e.g. "postgres 17.6 (DATABASE_URL)", for the results file. */
  readonly description: { postgres: string; redis: string };
  close(): Promise<void>;
}

/**
 * A database of this run on DATABASE_URL's server (an embedded PostgreSQL when unset) and a
 * Redis key prefix of its own on REDIS_URL (the in-process pub/sub when unset).
 */
export async function openEnvironment(
  source: NodeJS.ProcessEnv = process.env,
): Promise<OpenedEnvironment> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const database = `cwm_bench_${runId}`;
  const redis = source.REDIS_URL
    ? { url: source.REDIS_URL, keyPrefix: `cwm-bench:${runId}:` }
    : undefined;
  const server = source.DATABASE_URL
    ? { url: source.DATABASE_URL, stop: () => Promise.resolve(), kind: 'DATABASE_URL' }
    : await embeddedServer();
  try {
    await withClient(server.url, (client) =>
      client.query(`CREATE DATABASE ${quoteIdentifier(database)}`),
    );
    const url = new URL(server.url);
    url.pathname = `/${database}`;
    const version = await withClient(url.toString(), async (client) => {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return rows[0]?.server_version ?? 'unknown';
    });
    return {
      databaseUrl: url.toString(),
      redis,
      description: {
        postgres: `PostgreSQL ${version} (${server.kind})`,
        redis: redis ? 'Redis (REDIS_URL)' : 'in-process pub/sub (REDIS_URL unset)',
      },
      async close() {
        try {
          await withClient(server.url, (client) =>
            client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`),
          );
        } finally {
          await server.stop();
        }
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function embeddedServer(): Promise<{ url: string; stop(): Promise<void>; kind: string }> {
  // Loaded only here, as the entry point does: the package is an ES module, needed only
  // when no server is given (and never under jest, whose global setup provides one).
  const { startEmbeddedPostgres } = loadEmbeddedPostgres();
  const runDir = await mkdtemp(path.join(tmpdir(), 'cwm-bench-'));
  const handle = await startEmbeddedPostgres({
    dataDir: path.join(runDir, 'postgres'),
    port: await freePort(),
    database: 'postgres',
    persistent: false,
  });
  return {
    url: handle.url,
    kind: 'embedded',
    async stop() {
      await handle.stop();
      await rm(runDir, { recursive: true, force: true });
    },
  };
}

function loadEmbeddedPostgres(): typeof EmbeddedPostgresModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../src/database/embedded-postgres') as typeof EmbeddedPostgresModule;
}

export async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function dropSchemas(databaseUrl: string, ...schemas: string[]): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    for (const schema of schemas) {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    }
  });
}

/** A schema name no other benchmark of the run uses. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}
