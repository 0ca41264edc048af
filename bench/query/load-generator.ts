import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import type { LoadMessage, LoadPlan, LoadTarget } from './load-runner';

/**
 * The load generator's process (see `runLoad`): reads the plan from the file named by its
 * argument and tells on stdout, one JSON line each, when a run starts and how it went.
 */
async function main(): Promise<void> {
  const planFile = process.argv[2];
  if (!planFile) {
    throw new Error('usage: load-generator <plan.json>');
  }
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as LoadPlan;
  if (plan.warmupSeconds > 0) {
    for (const target of plan.targets) {
      await measure(target, plan, plan.warmupSeconds, 0);
    }
  }
  for (let round = 1; round <= plan.rounds; round += 1) {
    // A B, B A, A B...: a drift of the machine over the run (cache, another tenant) weighs on
    // both handlers alike.
    const order = round % 2 === 1 ? plan.targets : [...plan.targets].reverse();
    for (const target of order) {
      await measure(target, plan, plan.durationSeconds, round);
    }
  }
}

function tell(message: LoadMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function measure(
  target: LoadTarget,
  plan: LoadPlan,
  seconds: number,
  round: number,
): Promise<void> {
  tell({ started: { target: target.name, round } });
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: target.body,
    expectBody: target.expectBody,
    connections: plan.connections,
    pipelining: 1,
    duration: seconds,
  });
  const failures = {
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
  };
  tell({
    finished: {
      target: target.name,
      round,
      requests: result.requests.total,
      requestsPerSecond: result.requests.total / result.duration,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      // Timeouts are counted among the errors too.
      failed: result.non2xx + result.errors + result.mismatches,
      failures,
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
