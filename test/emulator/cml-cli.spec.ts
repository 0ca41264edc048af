import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const STARTUP_TIMEOUT_MS = 20_000;

function runCli(env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'src/emulator/cli.ts', '--port', '0'],
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_SWC: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function output(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`No ${String(pattern)} in the CLI's ${stream}:\n${text}`)),
      STARTUP_TIMEOUT_MS,
    );
    child[stream]?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

describe('Emulator CLI, CML side', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    child = undefined;
  });

  it('should print where the controllers answer and give tokens EMULATOR_CML_TOKEN_LIFETIME_MS', async () => {
    child = runCli({ EMULATOR_CML_TOKEN_LIFETIME_MS: '60000' });
    const printed = await output(child, 'stdout', /(i-[0-9a-f]{17}) {2}cml-worker-04/);
    const endpoint = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1] ?? '';
    const instanceId = /(i-[0-9a-f]{17}) {2}cml-worker-01/.exec(printed)?.[1] ?? '';

    expect(printed).toContain(`CML controllers:    ${endpoint}/cml/{instanceId}/api/v0/...`);
    const answer = await fetch(`${endpoint}/cml/${instanceId}/api/v0/authenticate`, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'admin' }),
    });
    const token = (await answer.json()) as string;
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(60);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });

  it('should refuse a token lifetime that is not a whole number of milliseconds, with exit code 2', async () => {
    child = runCli({ EMULATOR_CML_TOKEN_LIFETIME_MS: '8h' });
    const stderr = output(child, 'stderr', /Usage:/);

    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(2);
    expect(await stderr).toMatch(/EMULATOR_CML_TOKEN_LIFETIME_MS must be a whole number/);
  });
});
