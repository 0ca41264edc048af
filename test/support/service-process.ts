import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './free-port';
import { testDatabaseUrl } from './test-database';

const root = path.join(__dirname, '..', '..');

export interface ServiceProcess {
  /** The GraphQL URL; for ROLE=worker, the base URL of the health endpoints. */
  readonly graphqlUrl: string;
  readonly output: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Kills the process at once (SIGKILL), as a crash or an OOM kill would. */
  kill(): Promise<void>;
}

/**
 * Runs the service's entry point (`src/main.ts`) in a child process, as `npm start` does but
 * without the build step, and resolves once it says it serves.
 */
export function startServiceProcess(
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TS_NODE_SWC: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
        resolve({
          graphqlUrl: url,
          output,
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
