import { type FanoutMode, workerIdOf } from './fanout/protocol';
import { type RawBroadcaster, startRawBroadcaster } from './fanout/raw-broadcaster';
import { metricSample, nextMessageText } from './fanout/sample';
import {
  type FanoutTarget,
  type Pacing,
  runScenario,
  type ScenarioResult,
} from './fanout/scenario';
import { type FanoutService, startFanoutService } from './fanout/service';
import {
  type Benchmark,
  type BenchResult,
  type BenchRow,
  type BenchSize,
  check,
  ratio,
} from './support/report';

interface FanoutSize extends Pacing {
  /** Largest first: the idle-memory target is read on the freshest process. */
  subscribers: number[];
}

/**
 * Samples are spaced and each waits for the previous one to reach every client, so the
 * figures are delivery latency, not the queue a backlog would build.
 */
const SIZES: Record<BenchSize, FanoutSize> = {
  full: {
    subscribers: [5_000, 1_000],
    rounds: 50,
    intervalMs: 200,
    probes: 5,
    memoryReadings: 5,
    settleMs: 500,
  },
  tiny: {
    subscribers: [10],
    rounds: 3,
    intervalMs: 20,
    probes: 1,
    memoryReadings: 1,
    settleMs: 0,
  },
};

/** graphql-ws first: its idle memory is read before the baseline's sockets grew the process. */
const MODES: FanoutMode[] = ['graphql-all', 'graphql-one', 'raw'];

const LABELS: Record<FanoutMode, string> = {
  'graphql-all': 'graphql-ws all workers',
  'graphql-one': 'graphql-ws one worker each',
  raw: 'raw ws broadcast',
};

const MAX_P99_VS_RAW = 2;
const MAX_KB_PER_SUBSCRIPTION = 20;
const KB = 1024;

interface Measurement extends ScenarioResult {
  mode: FanoutMode;
  subscribers: number;
}

/**
 * workerMetrics fanned out by the service (in this process, on Redis when the run has it) to
 * graphql-ws clients in a separate process, against a bare `ws` server in this process
 * broadcasting the same text to as many clients.
 */
export const fanoutBenchmark: Benchmark = {
  name: 'fanout',
  async run(context) {
    const size = SIZES[context.size];
    const service = await startFanoutService(context.env);
    try {
      const raw = await startRawBroadcaster();
      try {
        const measurements: Measurement[] = [];
        for (const subscribers of size.subscribers) {
          for (const mode of MODES) {
            context.log(`${LABELS[mode]}, ${subscribers} subscribers`);
            const target = targetOf(mode, subscribers, service, raw);
            const result = await runScenario(target, subscribers, size, context.log);
            measurements.push({ mode, subscribers, ...result });
          }
        }
        return report(measurements, size);
      } finally {
        await raw.close();
      }
    } finally {
      await service.close();
    }
  },
};

function targetOf(
  mode: FanoutMode,
  subscribers: number,
  service: FanoutService,
  raw: RawBroadcaster,
): FanoutTarget {
  switch (mode) {
    case 'graphql-all':
      return {
        mode,
        url: service.webSocketUrl,
        publish: (publishedAt, status) =>
          service.pubSub.publish(
            'WORKER_METRICS',
            metricSample(workerIdOf(0), publishedAt, status),
          ),
        openConnections: () => service.openConnections(),
      };
    case 'graphql-one': {
      const workerIds = Array.from({ length: subscribers }, (_, index) => workerIdOf(index));
      return {
        mode,
        url: service.webSocketUrl,
        publish: async (publishedAt, status) => {
          await Promise.all(
            workerIds.map((workerId) =>
              service.pubSub.publish('WORKER_METRICS', metricSample(workerId, publishedAt, status)),
            ),
          );
        },
        openConnections: () => service.openConnections(),
      };
    }
    case 'raw':
      return {
        mode,
        url: raw.url,
        publish: (publishedAt, status) => {
          raw.broadcast(nextMessageText(metricSample(workerIdOf(0), publishedAt, status)));
          return Promise.resolve();
        },
        openConnections: () => Promise.resolve(raw.openConnections()),
      };
  }
}

function report(measurements: Measurement[], size: FanoutSize): BenchResult {
  const find = (mode: FanoutMode, subscribers: number) =>
    measurements.find((m) => m.mode === mode && m.subscribers === subscribers);
  const messagesPerSecond = (m: Measurement) => m.summary.delivered / (m.summary.busyMs / 1000);
  const rows: BenchRow[] = measurements.map((m) => {
    const baseline = m.mode === 'raw' ? undefined : find('raw', m.subscribers);
    return {
      mode: LABELS[m.mode],
      subscribers: m.subscribers,
      samples: size.rounds,
      messages: m.summary.delivered,
      lost: m.summary.expected - m.summary.delivered,
      'p50 ms': m.summary.p50Ms,
      'p99 ms': m.summary.p99Ms,
      'max ms': m.summary.maxMs,
      'messages/s': Math.round(messagesPerSecond(m)),
      'p99 vs raw': baseline ? ratio(m.summary.p99Ms, baseline.summary.p99Ms) : null,
      'messages/s vs raw': baseline
        ? ratio(messagesPerSecond(m), messagesPerSecond(baseline))
        : null,
      'CPU us/msg': m.cpuMicrosPerMessage,
      'CPU vs raw': baseline ? ratio(m.cpuMicrosPerMessage, baseline.cpuMicrosPerMessage) : null,
      'RSS/sub KB': m.rssPerSubscriptionBytes / KB,
      'heap/sub KB': m.heapPerSubscriptionBytes / KB,
      'bytes/msg': m.summary.messageBytes,
    };
  });

  const largest = Math.max(...size.subscribers);
  const graphqlP99 = find('graphql-all', largest)?.summary.p99Ms ?? NaN;
  const rawP99 = find('raw', largest)?.summary.p99Ms ?? NaN;
  const p99VsRaw = ratio(graphqlP99, rawP99);
  // The larger of the two graphql-ws modes: per-worker channels may cost more than one.
  const kbPerSubscription = Math.max(
    ...(['graphql-all', 'graphql-one'] as const).map(
      (mode) => (find(mode, largest)?.rssPerSubscriptionBytes ?? NaN) / KB,
    ),
  );
  return {
    name: 'fanout',
    description:
      `workerMetrics to S graphql-ws clients in another process (one sample every ` +
      `${size.intervalMs} ms at least, each delivered before the next) against a bare ws ` +
      `broadcast of the same text; latency = receipt - publish time carried in the sample; ` +
      `messages/s over the time each sample took to reach every client; CPU = this ` +
      `process's CPU time (service or baseline) per message, which other load on the machine ` +
      `barely moves; RSS/sub = service ` +
      `RSS growth with S idle subscriptions, over S (KB = 1,024 bytes).`,
    rows,
    targets: [
      // All workers only: one worker each sends S distinct samples through Redis where the
      // baseline broadcasts one text, so its ratio is in the table, not held to the target.
      check(
        `p99 within ${MAX_P99_VS_RAW}x raw ws at ${largest} subscribers (${LABELS['graphql-all']})`,
        `<= ${MAX_P99_VS_RAW}x`,
        `${p99VsRaw.toFixed(2)}x (${graphqlP99.toFixed(1)} ms vs ${rawP99.toFixed(1)} ms)`,
        p99VsRaw <= MAX_P99_VS_RAW,
      ),
      check(
        `RSS per idle subscription at ${largest} subscribers`,
        `<= ${MAX_KB_PER_SUBSCRIPTION} KB`,
        `${kbPerSubscription.toFixed(1)} KB`,
        kbPerSubscription <= MAX_KB_PER_SUBSCRIPTION,
      ),
    ],
  };
}
