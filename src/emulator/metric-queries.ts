import {
  AwsServiceError,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
} from './aws-error';
import type { EmulatedFleet } from './fleet.state';
import type { MetricKind } from './metric-curves';
import {
  BASIC_STATISTICS,
  INSTANCE_DIMENSION,
  type MetricBucket,
  metricBuckets,
  metricKindOf,
  type StatisticFunction,
  statisticFunction,
} from './metric-series';
import type { RequestReader } from './request-reader';

const QUERY_LIMIT = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const STATISTICS_DATAPOINT_LIMIT = 1_440;
const QUERY_ID_PATTERN = /^[a-z][a-zA-Z0-9_]{0,254}$/;

/** One CloudWatch call: the account, the region it was made in and its input. */
export interface CloudWatchCall {
  fleet: EmulatedFleet;
  region: string;
  input: RequestReader;
}

export interface MetricDataResult {
  Id: string;
  Label: string;
  /** Epoch milliseconds; each protocol renders them its own way. */
  Timestamps: number[];
  Values: number[];
  StatusCode: 'Complete' | 'PartialData';
}

export interface GetMetricDataOutput {
  MetricDataResults: MetricDataResult[];
  NextToken: string | undefined;
}

export interface StatisticsDatapoint {
  Timestamp: number;
  statistics: Array<[string, number]>;
}

export interface GetMetricStatisticsOutput {
  Label: string;
  Datapoints: StatisticsDatapoint[];
}

interface ResolvedQuery {
  id: string;
  label: string;
  returnData: boolean;
  kind: MetricKind | undefined;
  instanceId: string | undefined;
  periodSeconds: number;
  statistic: StatisticFunction;
}

/** GetMetricData as CloudWatch validates and answers it, whatever the wire format. */
export function getMetricData({ fleet, region, input }: CloudWatchCall): GetMetricDataOutput {
  const queries = input.structs('MetricDataQueries');
  if (!queries || queries.length === 0) {
    throw missingParameter('MetricDataQueries');
  }
  if (queries.length > QUERY_LIMIT) {
    throw invalidParameterValue(
      `The collection MetricDataQueries must not have a size greater than ${QUERY_LIMIT}.`,
    );
  }
  const { startMs, endMs } = timeRange(input);
  const scanBy = input.string('ScanBy') ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw invalidParameterValue(
      `The value ${scanBy} for parameter ScanBy is not valid. Use TimestampDescending or TimestampAscending.`,
    );
  }
  const maxDatapoints = input.number('MaxDatapoints') ?? DEFAULT_MAX_DATAPOINTS;
  if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
    throw invalidParameterValue('The parameter MaxDatapoints must be a positive integer.');
  }
  const resolved = resolveQueries(queries);
  const now = fleet.now();
  const results = resolved
    .filter((query) => query.returnData)
    .map((query): MetricDataResult => {
      const instance =
        query.instanceId === undefined ? undefined : fleet.find(region, query.instanceId);
      const buckets: MetricBucket[] =
        instance && query.kind
          ? metricBuckets(
              instance,
              query.kind,
              { startMs, endMs, periodSeconds: query.periodSeconds },
              now,
            )
          : [];
      if (scanBy === 'TimestampDescending') {
        buckets.reverse();
      }
      return {
        Id: query.id,
        Label: query.label,
        Timestamps: buckets.map((bucket) => bucket.timestamp),
        Values: buckets.map((bucket) => query.statistic(bucket.samples)),
        StatusCode: 'Complete',
      };
    });
  return pageResults(results, input.string('NextToken'), maxDatapoints);
}

function resolveQueries(queries: readonly RequestReader[]): ResolvedQuery[] {
  const seen = new Set<string>();
  return queries.map((query, index) => {
    const where = `MetricDataQueries.member.${index + 1}`;
    const id = query.string('Id');
    if (id === undefined) {
      throw missingParameter(`${where}.Id`);
    }
    if (!QUERY_ID_PATTERN.test(id)) {
      throw invalidParameterValue(
        `The value ${id} for parameter ${where}.Id is not valid. Ids must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    }
    if (seen.has(id)) {
      throw invalidParameterValue(
        `The value ${id} for parameter ${where}.Id is used more than once.`,
      );
    }
    seen.add(id);
    if (query.string('Expression') !== undefined) {
      throw invalidParameterValue(
        `${where}.Expression: metric math expressions are not supported here; use MetricStat.`,
      );
    }
    const metricStat = query.struct('MetricStat');
    if (!metricStat) {
      throw missingParameter(`${where}.MetricStat`);
    }
    const metric = metricStat.struct('Metric');
    const namespace = metric?.string('Namespace');
    const metricName = metric?.string('MetricName');
    if (namespace === undefined || metricName === undefined) {
      throw missingParameter(`${where}.MetricStat.Metric.Namespace and MetricName`);
    }
    const statName = metricStat.string('Stat');
    if (statName === undefined) {
      throw missingParameter(`${where}.MetricStat.Stat`);
    }
    const statistic = statisticFunction(statName);
    if (!statistic) {
      throw invalidParameterValue(
        `The value ${statName} for parameter ${where}.MetricStat.Stat is not valid.`,
      );
    }
    return {
      id,
      label: query.string('Label') ?? metricName,
      returnData: query.boolean('ReturnData') ?? true,
      kind: metricKindOf(namespace, metricName),
      instanceId: instanceDimension(metric?.structs('Dimensions')),
      periodSeconds: validPeriod(metricStat.number('Period'), `${where}.MetricStat.Period`),
      statistic,
    };
  });
}

/** CloudWatch matches dimensions exactly: the metrics exist under `InstanceId` alone. */
function instanceDimension(dimensions: RequestReader[] | undefined): string | undefined {
  if (!dimensions || dimensions.length !== 1) {
    return undefined;
  }
  const [dimension] = dimensions;
  return dimension?.string('Name') === INSTANCE_DIMENSION ? dimension.string('Value') : undefined;
}

function validPeriod(period: number | undefined, name: string): number {
  if (period === undefined) {
    throw missingParameter(name);
  }
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) {
    throw invalidParameterValue(`The parameter ${name} must be a multiple of 60.`);
  }
  return period;
}

function timeRange(input: RequestReader): { startMs: number; endMs: number } {
  const startMs = input.time('StartTime');
  const endMs = input.time('EndTime');
  if (startMs === undefined) {
    throw missingParameter('StartTime');
  }
  if (endMs === undefined) {
    throw missingParameter('EndTime');
  }
  if (startMs >= endMs) {
    throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
  }
  return { startMs, endMs };
}

/**
 * Cuts the datapoints, counted across queries in order, to `maxDatapoints` per call. The token
 * is the number already returned; a query whose datapoints go on in the next call is PartialData.
 */
function pageResults(
  results: MetricDataResult[],
  token: string | undefined,
  maxDatapoints: number,
): GetMetricDataOutput {
  const offset = token === undefined ? 0 : decodeToken(token);
  const end = offset + maxDatapoints;
  const page: MetricDataResult[] = [];
  let position = 0;
  for (const result of results) {
    const count = result.Timestamps.length;
    const from = Math.max(offset, position) - position;
    const to = Math.min(end, position + count) - position;
    if (to > from || (count === 0 && offset === 0)) {
      page.push({
        ...result,
        Timestamps: result.Timestamps.slice(from, to),
        Values: result.Values.slice(from, to),
        StatusCode: position + count > end ? 'PartialData' : 'Complete',
      });
    }
    position += count;
  }
  return { MetricDataResults: page, NextToken: position > end ? encodeToken(end) : undefined };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeToken(token: string): number {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof decoded === 'object' && decoded !== null && 'offset' in decoded) {
      const { offset } = decoded;
      if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) {
        return offset;
      }
    }
  } catch {
    // An undecodable token is reported below like any other invalid one.
  }
  throw new AwsServiceError('InvalidNextToken', "The service couldn't process the NextToken.");
}

/** GetMetricStatistics for the basic statistics, one datapoint per period with samples. */
export function getMetricStatistics({
  fleet,
  region,
  input,
}: CloudWatchCall): GetMetricStatisticsOutput {
  const namespace = input.string('Namespace');
  const metricName = input.string('MetricName');
  if (namespace === undefined) {
    throw missingParameter('Namespace');
  }
  if (metricName === undefined) {
    throw missingParameter('MetricName');
  }
  const { startMs, endMs } = timeRange(input);
  const periodSeconds = validPeriod(input.number('Period'), 'Period');
  if (input.strings('ExtendedStatistics') !== undefined) {
    throw invalidParameterValue(
      'ExtendedStatistics are not supported here; use GetMetricData with a pNN Stat.',
    );
  }
  const statistics = input.strings('Statistics');
  if (!statistics || statistics.length === 0) {
    throw missingParameter('Statistics');
  }
  const functions = statistics.map((name): [string, StatisticFunction] => {
    const statistic = BASIC_STATISTICS.includes(name) ? statisticFunction(name) : undefined;
    if (!statistic) {
      throw invalidParameterValue(
        `The value ${name} for parameter Statistics is not valid. Use ${BASIC_STATISTICS.join(', ')}.`,
      );
    }
    return [name, statistic];
  });
  const requested = Math.ceil((endMs - startMs) / (periodSeconds * 1000));
  if (requested > STATISTICS_DATAPOINT_LIMIT) {
    throw invalidParameterCombination(
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${STATISTICS_DATAPOINT_LIMIT}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const kind = metricKindOf(namespace, metricName);
  const instanceId = instanceDimension(input.structs('Dimensions'));
  const instance = instanceId === undefined ? undefined : fleet.find(region, instanceId);
  const buckets =
    instance && kind
      ? metricBuckets(instance, kind, { startMs, endMs, periodSeconds }, fleet.now())
      : [];
  return {
    Label: metricName,
    Datapoints: buckets.map((bucket) => ({
      Timestamp: bucket.timestamp,
      statistics: functions.map(([name, statistic]): [string, number] => [
        name,
        statistic(bucket.samples),
      ]),
    })),
  };
}
