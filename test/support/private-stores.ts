import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { spawnEntry } from './service-process';

/** A store a test can take away from the service and bring back on the same port. */
export interface PrivateStore {
  readonly url: string;
  stop(): Promise<void>;
}

/** Resolves with the first stdout line that `accept` turns into a URL. */
function urlFrom(
  child: ChildProcess,
  accept: (line: string) => string | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      output.push(line);
      const url = accept(line);
      if (url) {
        lines.close();
        resolve(url);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`store exited with ${code} before it was ready:\n${output.join('\n')}`)),
    );
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }
}

/** redis-server without persistence on `port`; stop() kills it as a crash would. */
export async function startPrivateRedis(port: number): Promise<PrivateStore> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await urlFrom(child, (line) => (line.includes('Ready to accept connections') ? line : undefined));
  return { url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child, 'SIGKILL') };
}

/** An embedded PostgreSQL on `dataDir` and `port`; stop() shuts it down fast, data kept. */
export async function startPrivatePostgres(dataDir: string, port: number): Promise<PrivateStore> {
  const child = spawnEntry('test/support/private-postgres.process', [dataDir, String(port)], {});
  const url = await urlFrom(child, (line) => (line.startsWith('postgres://') ? line : undefined));
  return { url, stop: () => stopChild(child, 'SIGTERM') };
}
