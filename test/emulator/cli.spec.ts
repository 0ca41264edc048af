import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ec2Client, TEST_REGION } from './emulator.factory';

const ROOT = path.resolve(__dirname, '../..');
const STARTUP_TIMEOUT_MS = 20_000;

function runCli(args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'src/emulator/cli.ts', ...args],
    { cwd: ROOT, env: { ...process.env, TS_NODE_SWC: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Resolves with the first match of `pattern` in the process's output, or fails after a while. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`No ${String(pattern)} in the CLI's output:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `The CLI exited with ${String(code)} before printing ${String(pattern)}:\n${output}`,
        ),
      );
    });
  });
}

describe('Emulator CLI', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    child = undefined;
  });

  it('should serve a demo fleet on the printed endpoint and stop cleanly on SIGTERM', async () => {
    child = runCli(['--port', '0', '--instances', '6', '--region', TEST_REGION]);
    const [, endpoint = ''] = await waitForOutput(
      child,
      /listening on (http:\/\/127\.0\.0\.1:\d+)\n[\s\S]*cml-worker-06/,
    );

    const ec2 = ec2Client({ endpoint });
    try {
      const output = await ec2.send(new DescribeInstancesCommand({}));
      const names = output.Reservations?.flatMap((reservation) =>
        (reservation.Instances ?? []).map(
          (instance) => instance.Tags?.find((tag) => tag.Key === 'Name')?.Value,
        ),
      );
      expect(names).toEqual([
        'cml-worker-01',
        'cml-worker-02',
        'cml-worker-03',
        'cml-worker-04',
        'cml-worker-05',
        'cml-worker-06',
      ]);
    } finally {
      ec2.destroy();
    }

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  it('should refuse bad arguments with its usage and exit code 2', async () => {
    child = runCli(['--instances', 'many']);
    const stderr: Buffer[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(2);
    expect(Buffer.concat(stderr).toString('utf8')).toMatch(
      /--instances must be a whole number[\s\S]*Usage:/,
    );
  });
});
