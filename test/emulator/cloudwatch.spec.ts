import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  GetMetricStatisticsCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import {
  cloudWatchClient,
  ec2Client,
  http,
  ManualClock,
  MINUTE,
  OTHER_REGION,
  rejectionOf,
  START_TIME,
  startTestEmulator,
  TEST_REGION,
  TEST_TIMING,
} from './emulator.factory';

type Metric = 'cpu' | 'memory';

const METRICS: Record<Metric, { Namespace: string; MetricName: string }> = {
  cpu: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' },
  memory: { Namespace: 'CWAgent', MetricName: 'mem_used_percent' },
};

function query(
  id: string,
  instanceId: string,
  metric: Metric,
  options: { period?: number; stat?: string } = {},
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { ...METRICS[metric], Dimensions: [{ Name: 'InstanceId', Value: instanceId }] },
      Period: options.period ?? 60,
      Stat: options.stat ?? 'Average',
    },
  };
}

const at = (minutesFromStart: number) => new Date(START_TIME + minutesFromStart * MINUTE);

describe('CloudWatch metrics', () => {
  let clock: ManualClock;
  let emulator: RunningEmulator;
  let cloudWatch: CloudWatchClient;
  let instanceId: string;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await startTestEmulator({ clock: clock.now });
    cloudWatch = cloudWatchClient(emulator);
    instanceId = emulator.fleet.addInstances({ region: TEST_REGION })[0]?.instanceId ?? '';
  });

  afterEach(async () => {
    cloudWatch.destroy();
    await emulator.close();
  });

  async function metricData(
    input: Partial<GetMetricDataCommandInput> &
      Pick<GetMetricDataCommandInput, 'MetricDataQueries'>,
  ) {
    const output = await cloudWatch.send(
      new GetMetricDataCommand({ StartTime: at(-10), EndTime: at(0), ...input }),
    );
    return output.MetricDataResults ?? [];
  }

  it('should return one datapoint per minute while running, newest first', async () => {
    const [cpu, memory] = await metricData({
      MetricDataQueries: [query('cpu', instanceId, 'cpu'), query('memory', instanceId, 'memory')],
    });

    const expectedTimestamps = Array.from({ length: 10 }, (_, index) => at(-1 - index));
    expect(cpu).toMatchObject({ Id: 'cpu', Label: 'CPUUtilization', StatusCode: 'Complete' });
    expect(cpu?.Timestamps).toEqual(expectedTimestamps);
    expect(memory?.Timestamps).toEqual(expectedTimestamps);
    for (const value of [...(cpu?.Values ?? []), ...(memory?.Values ?? [])]) {
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThanOrEqual(100);
    }
    expect(cpu?.Values).not.toEqual(memory?.Values);
  });

  it('should give the same curve for the same instance on every call', async () => {
    const first = await metricData({ MetricDataQueries: [query('cpu', instanceId, 'cpu')] });
    clock.advance(MINUTE);
    const later = await metricData({ MetricDataQueries: [query('cpu', instanceId, 'cpu')] });

    expect(later[0]?.Values).toEqual(first[0]?.Values);
  });

  it('should return no datapoints, rather than zeros, for the minutes the instance was stopped', async () => {
    const ec2: EC2Client = ec2Client(emulator);
    try {
      await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    } finally {
      ec2.destroy();
    }
    clock.advance(TEST_TIMING.stoppingToStoppedMs);
    expect(emulator.fleet.getInstance(instanceId)?.state).toBe('stopped');
    clock.advance(10 * MINUTE);

    const [cpu] = await metricData({
      StartTime: at(-5),
      EndTime: at(10),
      MetricDataQueries: [query('cpu', instanceId, 'cpu')],
    });

    expect(cpu?.Timestamps).toEqual([at(-1), at(-2), at(-3), at(-4), at(-5)]);
    expect(cpu?.Values).toHaveLength(5);
    expect(cpu?.Values).not.toContain(0);
  });

  it('should order datapoints oldest first with ScanBy TimestampAscending', async () => {
    const [descending] = await metricData({ MetricDataQueries: [query('cpu', instanceId, 'cpu')] });
    const [ascending] = await metricData({
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [query('cpu', instanceId, 'cpu')],
    });

    expect(ascending?.Timestamps).toEqual([...(descending?.Timestamps ?? [])].reverse());
    expect(ascending?.Values).toEqual([...(descending?.Values ?? [])].reverse());
  });

  it('should aggregate 5-minute periods from the one-minute samples', async () => {
    const [minutes, average, maximum, count] = await metricData({
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        query('minutes', instanceId, 'cpu'),
        query('average', instanceId, 'cpu', { period: 300 }),
        query('maximum', instanceId, 'cpu', { period: 300, stat: 'Maximum' }),
        query('samples', instanceId, 'cpu', { period: 300, stat: 'SampleCount' }),
      ],
    });

    const firstFive = minutes?.Values?.slice(0, 5) ?? [];
    expect(average?.Timestamps).toEqual([at(-10), at(-5)]);
    expect(average?.Values?.[0]).toBeCloseTo(
      firstFive.reduce((sum, value) => sum + value, 0) / 5,
      10,
    );
    expect(maximum?.Values?.[0]).toBe(Math.max(...firstFive));
    expect(count?.Values).toEqual([5, 5]);
  });

  it('should show a value set through the fleet from the current period on, until cleared', async () => {
    const [before] = await metricData({ MetricDataQueries: [query('cpu', instanceId, 'cpu')] });
    emulator.fleet.setNextMetrics(instanceId, { cpu: 97 });

    const [minutes, fiveMinutes, memory] = await metricData({
      EndTime: at(1),
      MetricDataQueries: [
        query('cpu', instanceId, 'cpu'),
        query('cpu5', instanceId, 'cpu', { period: 300 }),
        query('memory', instanceId, 'memory'),
      ],
    });
    expect(minutes?.Timestamps?.[0]).toEqual(at(0));
    expect(minutes?.Values?.[0]).toBe(97);
    expect(minutes?.Values?.slice(1)).toEqual(before?.Values?.slice(0, 10));
    expect(fiveMinutes?.Values?.[0]).toBe(97);
    expect(memory?.Values).not.toContain(97);

    clock.advance(3 * MINUTE);
    const [later] = await metricData({
      EndTime: at(4),
      MetricDataQueries: [query('cpu', instanceId, 'cpu')],
    });
    expect(later?.Values?.slice(0, 4)).toEqual([97, 97, 97, 97]);

    emulator.fleet.setNextMetrics(instanceId, { cpu: null });
    const [cleared] = await metricData({
      EndTime: at(4),
      MetricDataQueries: [query('cpu', instanceId, 'cpu')],
    });
    expect(cleared?.Values).not.toContain(97);
  });

  it('should return empty results for an unknown instance, another metric or another region', async () => {
    const elsewhere = emulator.fleet.addInstances({ region: OTHER_REGION })[0]?.instanceId ?? '';
    const results = await metricData({
      MetricDataQueries: [
        query('unknown', 'i-0123456789abcdef0', 'cpu'),
        query('other', elsewhere, 'cpu'),
        {
          Id: 'disk',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/EC2',
              MetricName: 'DiskReadOps',
              Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
            },
            Period: 60,
            Stat: 'Average',
          },
        },
      ],
    });

    expect(
      results.map((result) => [result.Id, result.Timestamps, result.Values, result.StatusCode]),
    ).toEqual([
      ['unknown', [], [], 'Complete'],
      ['other', [], [], 'Complete'],
      ['disk', [], [], 'Complete'],
    ]);
  });

  it('should reject a period that is not a multiple of 60 with InvalidParameterValue', async () => {
    const error = await rejectionOf(
      metricData({ MetricDataQueries: [query('cpu', instanceId, 'cpu', { period: 90 })] }),
    );

    expect(error.name).toBe('InvalidParameterValueException');
    expect(error.Code).toBe('InvalidParameterValue');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain('multiple of 60');
  });

  it('should reject query ids that do not start with a lowercase letter, or repeat', async () => {
    const uppercase = await rejectionOf(
      metricData({ MetricDataQueries: [query('Cpu', instanceId, 'cpu')] }),
    );
    expect(uppercase.Code).toBe('InvalidParameterValue');
    const repeated = await rejectionOf(
      metricData({
        MetricDataQueries: [query('cpu', instanceId, 'cpu'), query('cpu', instanceId, 'memory')],
      }),
    );
    expect(repeated.Code).toBe('InvalidParameterValue');
  });

  it('should answer 500 queries and refuse 501', async () => {
    const queries = (count: number) =>
      Array.from({ length: count }, (_, index) =>
        query(`q${index}`, instanceId, 'cpu', { period: 300 }),
      );

    const results = await metricData({ MetricDataQueries: queries(500) });
    expect(results).toHaveLength(500);

    const error = await rejectionOf(metricData({ MetricDataQueries: queries(501) }));
    expect(error.name).toBe('InvalidParameterValueException');
    expect(error.message).toContain('500');
  });

  it('should page datapoints across queries with MaxDatapoints and NextToken', async () => {
    const queries = [query('cpu', instanceId, 'cpu'), query('memory', instanceId, 'memory')];
    const first = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: at(-10),
        EndTime: at(0),
        MaxDatapoints: 15,
        MetricDataQueries: queries,
      }),
    );
    const second = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: at(-10),
        EndTime: at(0),
        MaxDatapoints: 15,
        MetricDataQueries: queries,
        NextToken: first.NextToken,
      }),
    );

    expect(
      first.MetricDataResults?.map((result) => [
        result.Id,
        result.Values?.length,
        result.StatusCode,
      ]),
    ).toEqual([
      ['cpu', 10, 'Complete'],
      ['memory', 5, 'PartialData'],
    ]);
    expect(
      second.MetricDataResults?.map((result) => [
        result.Id,
        result.Values?.length,
        result.StatusCode,
      ]),
    ).toEqual([['memory', 5, 'Complete']]);
    expect(second.NextToken).toBeUndefined();
    expect(second.MetricDataResults?.[0]?.Timestamps?.[0]).toEqual(at(-6));
  });

  it('should answer GetMetricStatistics with every requested statistic per period', async () => {
    const [minutes] = await metricData({
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [query('cpu', instanceId, 'cpu')],
    });
    const output = await cloudWatch.send(
      new GetMetricStatisticsCommand({
        ...METRICS.cpu,
        Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
        StartTime: at(-10),
        EndTime: at(0),
        Period: 300,
        Statistics: ['Average', 'Maximum', 'Minimum', 'Sum', 'SampleCount'],
      }),
    );

    const firstFive = minutes?.Values?.slice(0, 5) ?? [];
    const sum = firstFive.reduce((total, value) => total + value, 0);
    expect(output.Label).toBe('CPUUtilization');
    expect(output.Datapoints).toHaveLength(2);
    const [first] = output.Datapoints ?? [];
    expect(first?.Timestamp).toEqual(at(-10));
    expect(first?.Unit).toBe('Percent');
    expect(first?.SampleCount).toBe(5);
    expect(first?.Sum).toBeCloseTo(sum, 10);
    expect(first?.Average).toBeCloseTo(sum / 5, 10);
    expect(first?.Maximum).toBe(Math.max(...firstFive));
    expect(first?.Minimum).toBe(Math.min(...firstFive));
  });

  it('should refuse GetMetricStatistics for more than 1440 datapoints', async () => {
    const error = await rejectionOf(
      cloudWatch.send(
        new GetMetricStatisticsCommand({
          ...METRICS.cpu,
          StartTime: at(-1441),
          EndTime: at(0),
          Period: 60,
          Statistics: ['Average'],
        }),
      ),
    );
    expect(error.Code).toBe('InvalidParameterCombination');
  });
});

describe('CloudWatch wire formats', () => {
  let emulator: RunningEmulator;
  let instanceId: string;

  beforeEach(async () => {
    emulator = await startTestEmulator({ clock: new ManualClock().now });
    instanceId = emulator.fleet.addInstances({ region: TEST_REGION })[0]?.instanceId ?? '';
  });

  afterEach(() => emulator.close());

  it('should send JSON errors with the modelled type and the query-compatible error header', async () => {
    const response = await http(emulator, '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData',
      },
      body: {
        StartTime: START_TIME / 1000,
        EndTime: START_TIME / 1000 - 60,
        MetricDataQueries: [query('cpu', instanceId, 'cpu')],
      },
    });

    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
    expect(response.json).toEqual({
      __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException',
      message: 'The parameter StartTime must be less than the parameter EndTime.',
    });
  });

  it('should answer the query protocol that older SDKs send, in XML', async () => {
    const form = new URLSearchParams({
      Action: 'GetMetricData',
      Version: '2010-08-01',
      StartTime: at(-2).toISOString(),
      EndTime: at(0).toISOString(),
      'MetricDataQueries.member.1.Id': 'cpu',
      'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'AWS/EC2',
      'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'CPUUtilization',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'InstanceId',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': instanceId,
      'MetricDataQueries.member.1.MetricStat.Period': '60',
      'MetricDataQueries.member.1.MetricStat.Stat': 'Maximum',
    });

    const response = await http(emulator, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });

    expect(response.status).toBe(200);
    expect(response.text).toContain(
      '<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">',
    );
    expect(response.text).toContain(
      `<Timestamps><member>${at(-1).toISOString()}</member><member>${at(-2).toISOString()}</member></Timestamps>`,
    );
    expect(response.text).toMatch(
      /<Values><member>[\d.]+<\/member><member>[\d.]+<\/member><\/Values><StatusCode>Complete<\/StatusCode>/,
    );

    form.set('MetricDataQueries.member.1.MetricStat.Period', '45');
    const failed = await http(emulator, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(failed.status).toBe(400);
    expect(failed.text).toContain('<Error><Type>Sender</Type><Code>InvalidParameterValue</Code>');
  });

  it('should answer an unknown JSON operation with UnknownOperationException', async () => {
    const response = await http(emulator, '/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.PutMetricAlarm',
      },
      body: {},
    });

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      __type: 'com.amazonaws.cloudwatch#UnknownOperationException',
    });
  });
});
