import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { DescribeInstanceStatusCommand, EC2Client, type InstanceStatus } from '@aws-sdk/client-ec2';
import { CheckStatus, WorkerStatus } from '../../entities/worker-status.enum';
import { toDomainError, unknownInstanceIds } from './aws-error.mapper';
import { toWorkerStatus } from './fleet.gateway';
import { chunk } from '../../lib/chunk';
import { forEachLimited } from '../../lib/for-each-limited';

export interface InstanceHealth {
  instanceId: string;
  status: WorkerStatus;
  systemCheck: CheckStatus | null;
  instanceCheck: CheckStatus | null;
}

export interface HealthReport {
  health: Map<string, InstanceHealth>;
  /** Ids EC2 answered InvalidInstanceID.NotFound for: the instances are gone. */
  missing: string[];
}

export interface Datapoint {
  value: number;
  /** Start of the CloudWatch period the value averages. */
  at: Date;
}

export interface Utilization {
  cpu: Datapoint | null;
  memory: Datapoint | null;
}

export interface UtilizationQuery {
  periodSeconds: number;
  /** How many periods back to look for the newest datapoint. */
  lookbackPeriods: number;
  now: Date;
}

/** Batched reads of a fleet's state and utilization: a few calls per region, not a few per worker. */
export interface FleetTelemetry {
  /** DescribeInstanceStatus with IncludeAllInstances, at most 100 ids per call. */
  describeHealth(region: string, instanceIds: readonly string[]): Promise<HealthReport>;
  /** GetMetricData, at most 500 queries (250 instances) per call. Every id is in the result. */
  readUtilization(
    region: string,
    instanceIds: readonly string[],
    query: UtilizationQuery,
  ): Promise<Map<string, Utilization>>;
}

export const DESCRIBE_STATUS_BATCH = 100;
export const METRIC_QUERIES_PER_CALL = 500;
const QUERIES_PER_INSTANCE = 2;
const INSTANCES_PER_METRIC_CALL = METRIC_QUERIES_PER_CALL / QUERIES_PER_INSTANCE;
/** The fewest instances that fill whole calls of both kinds (5 DescribeInstanceStatus, 2 GetMetricData). */
export const INSTANCES_PER_WHOLE_CALLS = leastCommonMultiple(
  DESCRIBE_STATUS_BATCH,
  INSTANCES_PER_METRIC_CALL,
);

const CHECK_STATUSES: Record<string, CheckStatus> = {
  ok: CheckStatus.OK,
  impaired: CheckStatus.IMPAIRED,
  initializing: CheckStatus.INITIALIZING,
  'insufficient-data': CheckStatus.INSUFFICIENT_DATA,
  'not-applicable': CheckStatus.NOT_APPLICABLE,
};

export function toCheckStatus(ec2: string | undefined): CheckStatus | null {
  return (ec2 && CHECK_STATUSES[ec2]) || null;
}

interface TelemetryClients {
  ec2For(region: string): EC2Client;
  cloudWatchFor(region: string): CloudWatchClient;
}

export class AwsFleetTelemetry implements FleetTelemetry {
  private readonly maxConcurrentCalls: number;

  constructor(
    private readonly clients: TelemetryClients,
    options: { maxConcurrentCalls?: number } = {},
  ) {
    // EC2's Describe* bucket refills at 20 calls/s: a 10,000-worker region still fits.
    this.maxConcurrentCalls = options.maxConcurrentCalls ?? 8;
  }

  async describeHealth(region: string, instanceIds: readonly string[]): Promise<HealthReport> {
    const report: HealthReport = { health: new Map(), missing: [] };
    await forEachLimited(
      chunk(instanceIds, DESCRIBE_STATUS_BATCH),
      this.maxConcurrentCalls,
      (ids) => this.describeChunk(region, ids, report),
    );
    return report;
  }

  async readUtilization(
    region: string,
    instanceIds: readonly string[],
    query: UtilizationQuery,
  ): Promise<Map<string, Utilization>> {
    const result = new Map<string, Utilization>(
      instanceIds.map((id) => [id, { cpu: null, memory: null }]),
    );
    await forEachLimited(
      chunk(instanceIds, INSTANCES_PER_METRIC_CALL),
      this.maxConcurrentCalls,
      async (ids) => {
        const results = await this.getMetricData(region, ids, query);
        ids.forEach((id, index) => {
          result.set(id, {
            cpu: newest(results.get(`c${index}`)),
            memory: newest(results.get(`m${index}`)),
          });
        });
      },
    );
    return result;
  }

  /**
   * EC2 fails the whole call when one id is unknown, naming every unknown id: those are
   * reported missing and the call is made again for the others.
   */
  private async describeChunk(
    region: string,
    instanceIds: readonly string[],
    report: HealthReport,
  ): Promise<void> {
    let remaining = [...instanceIds];
    while (remaining.length > 0) {
      try {
        for (const status of await this.describeStatuses(region, remaining)) {
          const health = toHealth(status);
          report.health.set(health.instanceId, health);
        }
        return;
      } catch (error) {
        const unknown = unknownInstanceIds(error, remaining);
        if (unknown.length === 0) {
          throw toDomainError(error, { region });
        }
        report.missing.push(...unknown);
        remaining = remaining.filter((id) => !unknown.includes(id));
      }
    }
  }

  private async describeStatuses(region: string, ids: string[]): Promise<InstanceStatus[]> {
    const statuses: InstanceStatus[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.ec2For(region).send(
        new DescribeInstanceStatusCommand({
          InstanceIds: ids,
          IncludeAllInstances: true,
          NextToken: nextToken,
        }),
      );
      statuses.push(...(page.InstanceStatuses ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return statuses;
  }

  private async getMetricData(
    region: string,
    instanceIds: readonly string[],
    query: UtilizationQuery,
  ): Promise<Map<string, MetricDataResult>> {
    const periodMs = query.periodSeconds * 1000;
    const queries = instanceIds.flatMap((instanceId, index): MetricDataQuery[] => [
      metricQuery(`c${index}`, 'AWS/EC2', 'CPUUtilization', instanceId, query.periodSeconds),
      metricQuery(`m${index}`, 'CWAgent', 'mem_used_percent', instanceId, query.periodSeconds),
    ]);
    const merged = new Map<string, MetricDataResult>();
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.clients.cloudWatchFor(region).send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(query.now.getTime() - periodMs * query.lookbackPeriods),
            EndTime: query.now,
            ScanBy: 'TimestampDescending',
            NextToken: nextToken,
          }),
        );
        for (const result of page.MetricDataResults ?? []) {
          mergeResult(merged, result);
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      throw toDomainError(error, { region });
    }
    return merged;
  }
}

/** One CloudWatch query for an instance's metric, averaged per period. */
export function metricQuery(
  id: string,
  namespace: string,
  metricName: string,
  instanceId: string,
  period: number,
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: namespace,
        MetricName: metricName,
        Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
      },
      Period: period,
      Stat: 'Average',
    },
  };
}

function mergeResult(merged: Map<string, MetricDataResult>, result: MetricDataResult): void {
  if (!result.Id) {
    return;
  }
  const known = merged.get(result.Id);
  if (!known) {
    merged.set(result.Id, {
      ...result,
      Timestamps: [...(result.Timestamps ?? [])],
      Values: [...(result.Values ?? [])],
    });
    return;
  }
  known.Timestamps?.push(...(result.Timestamps ?? []));
  known.Values?.push(...(result.Values ?? []));
}

/** The value of the newest timestamp, whatever order the answer came in; none is null, not 0. */
function newest(result: MetricDataResult | undefined): Datapoint | null {
  const timestamps = result?.Timestamps ?? [];
  const values = result?.Values ?? [];
  let best: Datapoint | null = null;
  timestamps.forEach((timestamp, index) => {
    const value = values[index];
    if (value !== undefined && (best === null || timestamp > best.at)) {
      best = { value, at: timestamp };
    }
  });
  return best;
}

function toHealth(status: InstanceStatus): InstanceHealth {
  return {
    instanceId: status.InstanceId ?? '',
    status: toWorkerStatus(status.InstanceState?.Name),
    systemCheck: toCheckStatus(status.SystemStatus?.Status),
    instanceCheck: toCheckStatus(status.InstanceStatus?.Status),
  };
}

function leastCommonMultiple(a: number, b: number): number {
  const greatestCommonDivisor = (x: number, y: number): number =>
    y === 0 ? x : greatestCommonDivisor(y, x % y);
  return (a * b) / greatestCommonDivisor(a, b);
}
