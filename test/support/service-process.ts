import { ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './free-port';
import { testDatabaseUrl } from './test-database';

/** Compiled (`npm run bench`): the built entry point; from TypeScript (the tests): ts-node. */
const compiled = __filename.endsWith('.js');
/**
 * Where the entries are: the repository (this file is test/support/service-process.ts), or the
 * build, which mirrors it (dist/test/support/service-process.js beside dist/src/main.js).
 */
const root = path.join(__dirname, '..', '..');
/** The repository itself, where `npm` runs: the build's parent when compiled. */
const repositoryRoot = compiled ? path.join(root, '..') : root;

export interface ServiceProcess {
  /** The GraphQL URL; for ROLE=worker, the base URL of the health endpoints. */
  readonly graphqlUrl: string;
  readonly pid: number;
  readonly output: string[];
  /** CPU seconds (user + system) and peak resident memory so far, from /proc. */
  usage(): Promise<ProcessUsage>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Kills the process at once (SIGKILL), as a crash or an OOM kill would. */
  kill(): Promise<void>;
}

export interface ProcessUsage {
  cpuSeconds: number;
  peakRssBytes: number;
  rssBytes: number;
}

export interface EntryOptions {
  nodeOptions?: readonly string[];
  /**
   * A build of this repository elsewhere (its `dist`): runs the entry compiled there, from the
   * folder holding it, so that its modules resolve from that folder's node_modules.
   */
  build?: string;
}

/** Runs a TypeScript entry of this repository in a child process, compiled or through ts-node. */
export function spawnEntry(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: EntryOptions & { ipc?: boolean } = {},
): ChildProcess {
  const build = options.build ?? (compiled ? root : undefined);
  const file = build ? path.join(build, `${entry}.js`) : path.join(root, `${entry}.ts`);
  const loader = build ? [] : ['-r', 'ts-node/register'];
  return spawn(process.execPath, [...(options.nodeOptions ?? []), ...loader, file, ...args], {
    cwd: options.build ? path.dirname(options.build) : repositoryRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // A benchmark measures what production runs: graphql-js skips its development checks.
      ...(process.env.NODE_ENV === 'production' ? { NODE_ENV: 'production' } : {}),
      TS_NODE_SWC: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs the service's entry point (`src/main.ts`) in a child process, as `npm start` does but
 * without the build step, and resolves once it says it serves.
 */
export function startServiceProcess(
  env: NodeJS.ProcessEnv,
  options: EntryOptions & { timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  // Every document compiled from its first run: the path production takes from the second on.
  const child = spawnEntry(
    'src/main',
    [],
    { GRAPHQL_COMPILE_AFTER_RUNS: '0', ...env },
    {
      nodeOptions: options.nodeOptions,
      build: options.build,
    },
  );
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
    output.push(line),
  );

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service did not start within ${timeoutMs} ms:\n${output.join('\n')}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with ${code} before serving:\n${output.join('\n')}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      output.push(line);
      const url = readyUrl(line);
      if (url) {
        clearTimeout(timer);
        const pid = child.pid ?? 0;
        resolve({
          graphqlUrl: url,
          pid,
          output,
          usage: () => processUsage(pid),
          stop: () => stop(child, exited),
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
  });
}

const READY_MESSAGES = new Set(['GraphQL API and GraphiQL ready', 'health endpoints ready']);

/** The GraphQL URL, or for a ROLE=worker process the base URL of its health endpoints. */
function readyUrl(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg && READY_MESSAGES.has(entry.msg) ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
  }
  return exited;
}

/** Linux's clock ticks per second for /proc times (USER_HZ), fixed at 100 on every arch Node runs. */
const CLOCK_TICKS = 100;

export async function processUsage(pid: number): Promise<ProcessUsage> {
  const [stat, status] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8'),
    readFile(`/proc/${pid}/status`, 'utf8'),
  ]);
  // The command name (field 2) may hold spaces; the fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const kilobytes = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return {
    cpuSeconds: ticks / CLOCK_TICKS,
    peakRssBytes: kilobytes('VmHWM') * 1024,
    rssBytes: kilobytes('VmRSS') * 1024,
  };
}

/**
 * What a service process needs to join the others of a test: the test database under
 * `schema`, this run's Redis prefix when REDIS_URL is set, and a standalone emulator, with
 * polls every `intervalMs`.
 */
export async function sharedServiceEnv(options: {
  schema: string;
  emulatorEndpoint: string;
  region: string;
  intervalMs: number;
}): Promise<NodeJS.ProcessEnv> {
  return {
    PORT: String(await freePort()),
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_SCHEMA: options.schema,
    ...(process.env.REDIS_URL
      ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: process.env.TEST_REDIS_PREFIX }
      : {}),
    AWS_MODE: 'aws',
    AWS_ENDPOINT_URL: options.emulatorEndpoint,
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    WORKER_METRICS_POLL_INTERVAL: String(options.intervalMs / 1000),
    WORKER_METRICS_PERIOD: '60',
    JOBS_PROCESS_EVERY_MS: '200',
    WORKER_POLL_BATCH_WINDOW_MS: '100',
  };
}
