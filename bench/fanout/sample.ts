import type { MetricSampleEvent } from '../../src/entities/metric-sample.entity';
import { CheckStatus, WorkerStatus } from '../../src/entities/worker-status.enum';
import { toStatusChecks } from '../../src/entities/worker.entity';
import { type SampleStatus, SUBSCRIPTION_ID } from './protocol';

const MINUTE_MS = 60_000;

/**
 * A sample as the poller publishes it, stamped with its publish time: `collectedAt` is how the
 * clients tell each message's latency.
 */
export function metricSample(
  workerId: string,
  publishedAt: number,
  status: SampleStatus,
): MetricSampleEvent {
  const datapointAt = new Date(Math.floor(publishedAt / MINUTE_MS) * MINUTE_MS - MINUTE_MS);
  return {
    workerId,
    status: WorkerStatus[status],
    systemCheck: CheckStatus.OK,
    instanceCheck: CheckStatus.OK,
    cpuUtilization: 42.5,
    memoryUtilization: 61.25,
    cpuDatapointAt: datapointAt,
    memoryDatapointAt: datapointAt,
    cmlStatus: null,
    labsRunning: null,
    nodesRunning: null,
    collectedAt: new Date(publishedAt),
  };
}

/**
 * The text graphql-ws sends a subscriber of WORKER_METRICS_SUBSCRIPTION for this sample, byte
 * for byte (the benchmark reports both sizes): what the raw baseline broadcasts.
 */
export function nextMessageText(sample: MetricSampleEvent): string {
  return JSON.stringify({
    id: SUBSCRIPTION_ID,
    type: 'next',
    payload: {
      data: {
        workerMetrics: {
          workerId: sample.workerId,
          status: sample.status,
          statusChecks: toStatusChecks(sample.systemCheck, sample.instanceCheck),
          cpuUtilization: sample.cpuUtilization,
          memoryUtilization: sample.memoryUtilization,
          cpuDatapointAt: sample.cpuDatapointAt?.toISOString() ?? null,
          memoryDatapointAt: sample.memoryDatapointAt?.toISOString() ?? null,
          collectedAt: sample.collectedAt.toISOString(),
        },
      },
    },
  });
}
