import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { spawnEntry } from '../../test/support/service-process';

/** One handler under load: every answer must be 200 and exactly `expectBody`. */
export interface LoadTarget {
  name: string;
  url: string;
  body: string;
  expectBody: string;
}

export interface LoadPlan {
  targets: LoadTarget[];
  connections: number;
  /** Each target alone, before the measured rounds; 0 for none. */
  warmupSeconds: number;
  durationSeconds: number;
  rounds: number;
}

export interface LoadRun {
  target: string;
  /** 0 for the warm-up. */
  round: number;
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Non-2xx answers, connection errors, timeouts and bodies other than expected. */
  failed: number;
  failures: { non2xx: number; errors: number; timeouts: number; mismatches: number };
}

export interface MeasuredRun extends LoadRun {
  /**
   * CPU time this process spent per answer during the run. Both handlers serve from this
   * process, one at a time; this moves much less than requests/s when other programs compete
   * for the cores.
   */
  cpuMsPerRequest: number;
}

/** One line of the load generator's output. */
export type LoadMessage = { started: { target: string; round: number } } | { finished: LoadRun };

const LOAD_GENERATOR = 'bench/query/load-generator';

/**
 * Runs the plan in a child process (`load-generator.ts`), so that the load generator does not
 * share an event loop, nor a core, with the handlers it measures: in the same process it would
 * parse every answer on the thread that serves them, adding the same cost to each request of
 * both handlers and pulling their ratio towards 1.
 */
export async function runLoad(plan: LoadPlan): Promise<MeasuredRun[]> {
  // The bodies are too large for an argument; the plan goes through a file.
  const directory = await mkdtemp(path.join(tmpdir(), 'cwm-query-bench-'));
  try {
    const planFile = path.join(directory, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    return await runChild(planFile, expectedSeconds(plan));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function expectedSeconds(plan: LoadPlan): number {
  return plan.targets.length * (plan.warmupSeconds + plan.rounds * plan.durationSeconds);
}

function runChild(planFile: string, expectedSeconds: number): Promise<MeasuredRun[]> {
  const child = spawnEntry(LOAD_GENERATOR, [planFile], {});
  const runs: MeasuredRun[] = [];
  let cpuAtStart = process.cpuUsage();
  let unexpected: string | undefined;
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const message = parseMessage(line);
    if (!message) {
      unexpected ??= `not a message: ${line}`;
      child.kill('SIGKILL');
    } else if ('started' in message) {
      cpuAtStart = process.cpuUsage();
    } else {
      const cpu = process.cpuUsage(cpuAtStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      runs.push({ ...message.finished, cpuMsPerRequest: cpuMs / message.finished.requests });
    }
  });
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    // Room for the child's start (ts-node under the tests) and autocannon's own shutdown.
    const timer = setTimeout(() => child.kill('SIGKILL'), (2 * expectedSeconds + 60) * 1000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(runs);
      } else {
        const detail = unexpected ?? Buffer.concat(stderr).toString('utf8');
        reject(new Error(`the load generator ended with ${code ?? signal}:\n${detail}`));
      }
    });
  });
}

function parseMessage(line: string): LoadMessage | undefined {
  try {
    return JSON.parse(line) as LoadMessage;
  } catch {
    return undefined;
  }
}
