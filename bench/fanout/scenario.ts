import { setTimeout as sleep } from 'node:timers/promises';
import { ClientProcess } from './client-process';
import { calibratedClock, type Clock, nextWholeMillisecond } from './clock';
import { settledMemory } from './memory';
import {
  type ClientSummary,
  type FanoutMode,
  MEASURED_STATUS,
  PROBE_STATUS,
  type SampleStatus,
} from './protocol';

/** Where the clients connect, and how a sample reaches every one of them once. */
export interface FanoutTarget {
  mode: FanoutMode;
  url: string;
  publish(publishedAt: number, status: SampleStatus): Promise<void>;
  openConnections(): Promise<number>;
}

export interface Pacing {
  /** Measured samples (K). */
  rounds: number;
  /**
   * Least time from one sample to the next; nor does a sample go out before the previous one
   * reached every client (or ROUND_TIMEOUT_MS passed).
   */
  intervalMs: number;
  /** Probes every client must have received before measuring: they also warm both processes up. */
  probes: number;
  /** Memory readings taken at rest, before and after the clients subscribe. */
  memoryReadings: number;
  /** Lets the last probes' buffers and timers go before the idle reading. */
  settleMs: number;
}

export interface ScenarioResult {
  summary: ClientSummary;
  /** The service process's growth with every client connected, subscribed and idle, per client. */
  rssPerSubscriptionBytes: number;
  heapPerSubscriptionBytes: number;
  /**
   * This process's CPU time (the service's or the baseline's) per message delivered: unlike
   * latency, barely moved by other processes competing for the cores.
   */
  cpuMicrosPerMessage: number;
}

/** Whatever the size, a round that takes longer is reported as lost rather than waited for. */
const ROUND_TIMEOUT_MS = 15_000;
/** Until the next probe: short, as the first ones are lost while subscriptions come up. */
const PROBE_WAIT_MS = 250;
const WARM_UP_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 30_000;

/** Opens `subscribers` clients on `target`, reads memory at rest, then measures the rounds. */
export async function runScenario(
  target: FanoutTarget,
  subscribers: number,
  pacing: Pacing,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  await drained(target);
  const before = await settledMemory(pacing.memoryReadings);
  const clients = ClientProcess.start({
    url: target.url,
    mode: target.mode,
    subscribers,
    rounds: pacing.rounds,
  });
  try {
    const connectTimeoutMs = 30_000 + 20 * subscribers;
    if (!(await clients.waitFor('connected', connectTimeoutMs))) {
      throw new Error(`${subscribers} clients did not connect within ${connectTimeoutMs} ms`);
    }
    const clock = calibratedClock();
    await warmUp(target, clients, clock, pacing.probes);
    await sleep(pacing.settleMs);
    const idle = await settledMemory(pacing.memoryReadings);
    const cpuMicros = await measureRounds(target, clients, clock, pacing, log);
    const summary = await clients.summary(ROUND_TIMEOUT_MS);
    if (summary.failures > 0) {
      log(`  ${summary.failures} sockets closed or messages refused while measuring`);
    }
    return {
      summary,
      rssPerSubscriptionBytes: (idle.rssBytes - before.rssBytes) / subscribers,
      heapPerSubscriptionBytes: (idle.heapUsedBytes - before.heapUsedBytes) / subscribers,
      cpuMicrosPerMessage: cpuMicros / summary.delivered,
    };
  } finally {
    await clients.stop();
  }
}

/** Publishes the measured samples, paced; resolves with the CPU time they cost this process. */
async function measureRounds(
  target: FanoutTarget,
  clients: ClientProcess,
  clock: Clock,
  pacing: Pacing,
  log: (line: string) => void,
): Promise<number> {
  let cpuMicros = 0;
  for (let round = 0; round < pacing.rounds; round += 1) {
    const publishedAt = nextWholeMillisecond(clock);
    // From the publish on: the wait for a whole millisecond is the benchmark's, not the fan-out's.
    const cpuAtPublish = process.cpuUsage();
    await target.publish(publishedAt, MEASURED_STATUS);
    const [completed] = await Promise.all([
      clients.waitFor('round', ROUND_TIMEOUT_MS, (line) => line.publishedAt === publishedAt),
      sleep(pacing.intervalMs),
    ]);
    const cpu = process.cpuUsage(cpuAtPublish);
    cpuMicros += cpu.user + cpu.system;
    if (!completed) {
      log(`  round ${round + 1} did not reach every client within ${ROUND_TIMEOUT_MS} ms`);
    }
  }
  return cpuMicros;
}

/**
 * A subscription is live once the service has subscribed to its channel, which graphql-ws does
 * not acknowledge: probes go out until `probes` of them reached every client.
 */
async function warmUp(
  target: FanoutTarget,
  clients: ClientProcess,
  clock: Clock,
  probes: number,
): Promise<void> {
  const deadline = Date.now() + WARM_UP_TIMEOUT_MS;
  let delivered = 0;
  while (delivered < probes) {
    if (Date.now() > deadline) {
      throw new Error(`the clients did not all receive a probe within ${WARM_UP_TIMEOUT_MS} ms`);
    }
    await target.publish(nextWholeMillisecond(clock), PROBE_STATUS);
    // Any probe counts: one sent before the last subscription was live never completes, and
    // one still on its way when the next goes out completes later.
    const round = await clients.waitFor('round', PROBE_WAIT_MS, (line) => line.probe);
    delivered += round ? 1 : 0;
  }
}

/** The previous scenario's sockets must be gone before this one's memory is read. */
async function drained(target: FanoutTarget): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while ((await target.openConnections()) > 0) {
    if (Date.now() > deadline) {
      throw new Error(`connections still open ${DRAIN_TIMEOUT_MS} ms after their clients left`);
    }
    await sleep(100);
  }
}
