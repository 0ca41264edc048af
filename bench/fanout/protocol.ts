/**
 * What the fan-out benchmark and its client process agree on. The client process loads this
 * file and `ws` only: nothing of the service, so 5,000 sockets start quickly and cost little.
 */

/**
 * graphql-all: every client watches the whole fleet; graphql-one: client i watches worker i;
 * raw: plain WebSockets that receive the same text a graphql-ws `next` message carries.
 */
export type FanoutMode = 'graphql-all' | 'graphql-one' | 'raw';

export interface ClientOptions {
  url: string;
  mode: FanoutMode;
  subscribers: number;
  /** Measured rounds to wait for; each brings one message to every client. */
  rounds: number;
}

/**
 * Probes (PENDING) tell the client that its subscriptions are live and warm both sides up;
 * only RUNNING samples are measured.
 */
export type SampleStatus = 'PENDING' | 'RUNNING';
export const PROBE_STATUS: SampleStatus = 'PENDING';
export const MEASURED_STATUS: SampleStatus = 'RUNNING';

/** The operation id every client gives its one subscription. */
export const SUBSCRIPTION_ID = '1';

/** The dashboard's selection (test/operations/monitoring.graphql): payloads of the real size. */
export const WORKER_METRICS_SUBSCRIPTION = `subscription WorkerMetrics($workerId: ID) {
  workerMetrics(workerId: $workerId) {
    workerId
    status
    statusChecks {
      system
      instance
    }
    cpuUtilization
    memoryUtilization
    cpuDatapointAt
    memoryDatapointAt
    collectedAt
  }
}`;

/**
 * A worker id per client for graphql-one. The subscription does not look the worker up, so no
 * registry row is needed; the ids are UUIDs only to keep channel names real-sized.
 */
export function workerIdOf(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** One line of the client process's stdout, as JSON. */
export type ClientLine =
  /** Every socket is open (and, over graphql-ws, acknowledged and subscribed). */
  | { event: 'connected' }
  /** Every client has received the sample (or probe) published at `publishedAt`. */
  | { event: 'round'; publishedAt: number; probe: boolean; slowestMs: number }
  | { event: 'summary'; summary: ClientSummary }
  | { event: 'failed'; reason: string };

export interface ClientSummary {
  delivered: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * Sum over rounds of publish-to-last-delivery: the time the fan-out kept the system busy,
   * which the pauses between rounds do not dilute.
   */
  busyMs: number;
  /** Size of one measured message as received: the raw baseline must match graphql-ws's. */
  messageBytes: number;
  /** Sockets closed, and errors received, after the setup. */
  failures: number;
}
