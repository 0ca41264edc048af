import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { DescribeInstanceStatusCommand, EC2Client, type InstanceStatus } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { DomainError, ErrorCode } from '../../src/errors/domain-error';
import { CheckStatus, WorkerStatus } from '../../src/entities/worker-status.enum';
import {
  AwsFleetTelemetry,
  DESCRIBE_STATUS_BATCH,
  METRIC_QUERIES_PER_CALL,
  toCheckStatus,
} from '../../src/services/aws/fleet-telemetry.gateway';
import { toWorkerStatus } from '../../src/services/aws/fleet.gateway';

const REGION = 'eu-west-1';
const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const ec2 = mockClient(EC2Client);
const cloudWatch = mockClient(CloudWatchClient);
const NOW = new Date('2026-11-24T12:00:30Z');
const QUERY = { periodSeconds: 60, lookbackPeriods: 3, now: NOW };

const ids = (count: number) =>
  Array.from({ length: count }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);

const running = (instanceId: string): InstanceStatus => ({
  InstanceId: instanceId,
  InstanceState: { Name: 'running', Code: 16 },
  SystemStatus: { Status: 'ok' },
  InstanceStatus: { Status: 'ok' },
});

const awsError = (name: string, message: string, fault: 'client' | 'server' = 'client') =>
  Object.assign(new Error(message), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: fault === 'client' ? 400 : 500 },
  });

/** Answers after a tick and records the most calls ever under way at once. */
function concurrencyProbe() {
  let inFlight = 0;
  const probe = { max: 0 };
  const answer = async <T>(output: T): Promise<T> => {
    inFlight += 1;
    probe.max = Math.max(probe.max, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    inFlight -= 1;
    return output;
  };
  return Object.assign(probe, { answer });
}

describe(AwsFleetTelemetry.name, () => {
  const telemetry = new AwsFleetTelemetry({
    ec2For: (region) => new EC2Client({ region, credentials }),
    cloudWatchFor: (region) => new CloudWatchClient({ region, credentials }),
  });

  beforeEach(() => {
    ec2.reset();
    cloudWatch.reset();
  });

  describe('describeHealth', () => {
    it('should ask about at most 100 instances per call, including stopped ones', async () => {
      ec2.on(DescribeInstanceStatusCommand).callsFake((input: { InstanceIds: string[] }) => ({
        InstanceStatuses: input.InstanceIds.map(running),
      }));

      const report = await telemetry.describeHealth(REGION, ids(250));

      const calls = ec2.commandCalls(DescribeInstanceStatusCommand);
      expect(calls.map((call) => call.args[0].input.InstanceIds?.length)).toEqual([100, 100, 50]);
      expect(calls.every((call) => call.args[0].input.IncludeAllInstances === true)).toBe(true);
      expect(report.health.size).toBe(250);
      expect(report.health.get(ids(1)[0])).toEqual({
        instanceId: ids(1)[0],
        status: WorkerStatus.RUNNING,
        systemCheck: CheckStatus.OK,
        instanceCheck: CheckStatus.OK,
      });
      expect(report.missing).toEqual([]);
    });

    it('should report the instances EC2 no longer knows, and the others from one more call', async () => {
      const [kept, gone, alsoGone] = ids(3);
      ec2
        .on(DescribeInstanceStatusCommand)
        .rejectsOnce(
          awsError(
            'InvalidInstanceID.NotFound',
            `The instance IDs '${gone}, ${alsoGone}' do not exist`,
          ),
        )
        .resolves({ InstanceStatuses: [running(kept)] });

      const report = await telemetry.describeHealth(REGION, [kept, gone, alsoGone]);

      expect(report.missing).toEqual([gone, alsoGone]);
      expect([...report.health.keys()]).toEqual([kept]);
      expect(ec2.commandCalls(DescribeInstanceStatusCommand)[1].args[0].input.InstanceIds).toEqual([
        kept,
      ]);
    });

    it('should make no call when every instance of a chunk is gone', async () => {
      const [gone] = ids(1);
      ec2
        .on(DescribeInstanceStatusCommand)
        .rejects(
          awsError('InvalidInstanceID.NotFound', `The instance ID '${gone}' does not exist`),
        );

      const report = await telemetry.describeHealth(REGION, [gone]);

      expect(report).toEqual({ health: new Map(), missing: [gone] });
      expect(ec2.commandCalls(DescribeInstanceStatusCommand)).toHaveLength(1);
    });

    it('should map each state and each of the two checks as EC2 reports them', async () => {
      const [pending, stopping, stopped, terminated, impaired, rebooting] = ids(6);
      ec2.on(DescribeInstanceStatusCommand).resolves({
        InstanceStatuses: [
          { InstanceId: pending, InstanceState: { Name: 'pending' } },
          {
            InstanceId: stopping,
            InstanceState: { Name: 'stopping' },
            SystemStatus: { Status: 'not-applicable' },
            InstanceStatus: { Status: 'not-applicable' },
          },
          { InstanceId: stopped, InstanceState: { Name: 'stopped' } },
          { InstanceId: terminated, InstanceState: { Name: 'terminated' } },
          {
            InstanceId: impaired,
            InstanceState: { Name: 'running' },
            SystemStatus: { Status: 'impaired' },
            InstanceStatus: { Status: 'initializing' },
          },
          {
            InstanceId: rebooting,
            InstanceState: { Name: 'rebooting' as never },
            SystemStatus: { Status: 'insufficient-data' },
            InstanceStatus: { Status: 'something-new' as never },
          },
        ],
      });

      const { health } = await telemetry.describeHealth(REGION, ids(6));

      expect([...health.values()].map((h) => [h.status, h.systemCheck, h.instanceCheck])).toEqual([
        [WorkerStatus.PENDING, null, null],
        [WorkerStatus.STOPPING, CheckStatus.NOT_APPLICABLE, CheckStatus.NOT_APPLICABLE],
        [WorkerStatus.STOPPED, null, null],
        [WorkerStatus.TERMINATED, null, null],
        [WorkerStatus.RUNNING, CheckStatus.IMPAIRED, CheckStatus.INITIALIZING],
        [WorkerStatus.UNKNOWN, CheckStatus.INSUFFICIENT_DATA, null],
      ]);
    });

    it('should follow NextToken and keep every page', async () => {
      const [first, second] = ids(2);
      ec2
        .on(DescribeInstanceStatusCommand)
        .resolvesOnce({ InstanceStatuses: [running(first)], NextToken: 'page-2' })
        .resolves({ InstanceStatuses: [running(second)] });

      const report = await telemetry.describeHealth(REGION, [first, second]);

      expect([...report.health.keys()]).toEqual([first, second]);
      const inputs = ec2.commandCalls(DescribeInstanceStatusCommand).map((c) => c.args[0].input);
      expect(inputs.map((input) => [input.InstanceIds, input.NextToken])).toEqual([
        [[first, second], undefined],
        [[first, second], 'page-2'],
      ]);
    });

    it('should leave an instance EC2 does not list out of both the health and the missing', async () => {
      const [listed, unlisted] = ids(2);
      ec2.on(DescribeInstanceStatusCommand).resolves({ InstanceStatuses: [running(listed)] });

      const report = await telemetry.describeHealth(REGION, [listed, unlisted]);

      expect([...report.health.keys()]).toEqual([listed]);
      expect(report.missing).toEqual([]);
    });

    it('should retry only the chunk that named unknown instances', async () => {
      const all = ids(250);
      const gone = [all[5], all[150]];
      ec2.on(DescribeInstanceStatusCommand).callsFake((input: { InstanceIds: string[] }) => {
        const unknown = input.InstanceIds.filter((id) => gone.includes(id));
        if (unknown.length > 0) {
          throw awsError(
            'InvalidInstanceID.NotFound',
            `The instance ID '${unknown[0]}' does not exist`,
          );
        }
        return { InstanceStatuses: input.InstanceIds.map(running) };
      });

      const report = await telemetry.describeHealth(REGION, all);

      expect([...report.missing].sort()).toEqual([...gone].sort());
      expect(report.health.size).toBe(248);
      expect(ec2.commandCalls(DescribeInstanceStatusCommand)).toHaveLength(5);
    });

    it('should fail with NOT_FOUND, without retrying, when the unknown ids named are not in the chunk', async () => {
      ec2
        .on(DescribeInstanceStatusCommand)
        .rejects(
          awsError(
            'InvalidInstanceID.NotFound',
            "The instance ID 'i-0fffffffffffffff0' does not exist",
          ),
        );

      const error: unknown = await telemetry
        .describeHealth(REGION, ids(3))
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: ErrorCode.NOT_FOUND });
      expect(ec2.commandCalls(DescribeInstanceStatusCommand)).toHaveLength(1);
    });

    it('should fail with UPSTREAM_UNAVAILABLE when EC2 fails on its side', async () => {
      ec2
        .on(DescribeInstanceStatusCommand)
        .rejects(awsError('InternalError', 'An internal error has occurred', 'server'));

      await expect(telemetry.describeHealth(REGION, ids(1))).rejects.toMatchObject({
        code: ErrorCode.UPSTREAM_UNAVAILABLE,
      });
    });

    it('should fail with UPSTREAM_UNAVAILABLE when AWS keeps throttling', async () => {
      ec2.on(DescribeInstanceStatusCommand).rejects(
        Object.assign(new Error('Rate exceeded'), {
          name: 'RequestLimitExceeded',
          $fault: 'client',
        }),
      );

      await expect(telemetry.describeHealth(REGION, ids(2))).rejects.toMatchObject({
        code: ErrorCode.UPSTREAM_UNAVAILABLE,
      });
    });

    it('should make no call for no instance', async () => {
      await telemetry.describeHealth(REGION, []);
      await telemetry.readUtilization(REGION, [], QUERY);

      expect(ec2.calls()).toHaveLength(0);
      expect(cloudWatch.calls()).toHaveLength(0);
    });
  });

  describe('readUtilization', () => {
    const answerEveryQuery = (values: (index: number) => { at: Date; value: number }[]) =>
      cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
        MetricDataResults: (input.MetricDataQueries ?? []).map((query, index) => ({
          Id: query.Id,
          Timestamps: values(index).map((point) => point.at),
          Values: values(index).map((point) => point.value),
          StatusCode: 'Complete',
        })),
      }));

    it('should ask for CPU and memory of at most 250 instances per call', async () => {
      answerEveryQuery(() => []);

      await telemetry.readUtilization(REGION, ids(251), QUERY);

      const inputs = cloudWatch
        .commandCalls(GetMetricDataCommand)
        .map((call) => call.args[0].input);
      expect(inputs.map((input) => input.MetricDataQueries?.length)).toEqual([500, 2]);
      const [cpu, memory] = inputs[0].MetricDataQueries ?? [];
      expect(cpu.MetricStat).toEqual({
        Metric: {
          Namespace: 'AWS/EC2',
          MetricName: 'CPUUtilization',
          Dimensions: [{ Name: 'InstanceId', Value: ids(1)[0] }],
        },
        Period: 60,
        Stat: 'Average',
      });
      expect(memory.MetricStat?.Metric).toMatchObject({
        Namespace: 'CWAgent',
        MetricName: 'mem_used_percent',
      });
      expect(inputs[0]).toMatchObject({
        StartTime: new Date(NOW.getTime() - 180_000),
        EndTime: NOW,
        ScanBy: 'TimestampDescending',
      });
    });

    it('should ask for 250 instances in one call of exactly 500 queries', async () => {
      answerEveryQuery(() => []);

      const utilization = await telemetry.readUtilization(REGION, ids(250), QUERY);

      const calls = cloudWatch.commandCalls(GetMetricDataCommand);
      expect(calls).toHaveLength(1);
      const queryIds = (calls[0].args[0].input.MetricDataQueries ?? []).map((query) => query.Id);
      expect(queryIds).toHaveLength(METRIC_QUERIES_PER_CALL);
      expect(new Set(queryIds).size).toBe(METRIC_QUERIES_PER_CALL);
      expect(queryIds.every((id) => /^[a-z][a-zA-Z0-9_]*$/.test(id ?? ''))).toBe(true);
      expect(utilization.size).toBe(250);
    });

    it('should give each instance its own values, in every call', async () => {
      const all = ids(251);
      const at = new Date('2026-11-24T11:59:00Z');
      cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
        MetricDataResults: (input.MetricDataQueries ?? []).map((query) => {
          const instanceId = query.MetricStat?.Metric?.Dimensions?.[0]?.Value ?? '';
          const cpu = query.MetricStat?.Metric?.MetricName === 'CPUUtilization';
          return {
            Id: query.Id,
            Timestamps: [at],
            Values: [all.indexOf(instanceId) + (cpu ? 0 : 0.5)],
          };
        }),
      }));

      const utilization = await telemetry.readUtilization(REGION, all, QUERY);

      expect(utilization.get(all[0])).toEqual({
        cpu: { value: 0, at },
        memory: { value: 0.5, at },
      });
      expect(utilization.get(all[250])).toEqual({
        cpu: { value: 250, at },
        memory: { value: 250.5, at },
      });
    });

    it('should take the newest datapoint across pages, whichever page holds it', async () => {
      const [instance] = ids(1);
      const older = new Date('2026-11-24T11:58:00Z');
      const newer = new Date('2026-11-24T11:59:00Z');
      cloudWatch
        .on(GetMetricDataCommand)
        .resolvesOnce({
          MetricDataResults: [
            { Id: 'c0', Timestamps: [older], Values: [20] },
            { Id: 'm0', Timestamps: [newer], Values: [41] },
          ],
          NextToken: 'more',
        })
        .resolves({ MetricDataResults: [{ Id: 'm0', Timestamps: [older], Values: [40] }] });

      const utilization = await telemetry.readUtilization(REGION, [instance], QUERY);

      expect(utilization.get(instance)).toEqual({
        cpu: { value: 20, at: older },
        memory: { value: 41, at: newer },
      });
    });

    it('should put every requested instance in the result, with null for no datapoint', async () => {
      cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

      const utilization = await telemetry.readUtilization(REGION, ids(3), QUERY);

      expect([...utilization.entries()]).toEqual(
        ids(3).map((id) => [id, { cpu: null, memory: null }]),
      );
    });

    it.each([
      ['Throttling', ErrorCode.UPSTREAM_UNAVAILABLE, 'client'],
      ['InternalServiceFault', ErrorCode.UPSTREAM_UNAVAILABLE, 'server'],
    ] as const)('should turn CloudWatch %s into %s', async (name, code, fault) => {
      cloudWatch.on(GetMetricDataCommand).rejects(awsError(name, `${name} happened`, fault));

      const error: unknown = await telemetry
        .readUtilization(REGION, ids(1), QUERY)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code });
    });

    it('should take the newest datapoint, whatever order the answer is in', async () => {
      const older = new Date('2026-11-24T11:58:00Z');
      const newer = new Date('2026-11-24T11:59:00Z');
      answerEveryQuery((index) =>
        index % 2 === 0
          ? [
              { at: older, value: 12 },
              { at: newer, value: 34 },
            ]
          : [{ at: older, value: 56 }],
      );

      const [instance] = ids(1);
      const utilization = await telemetry.readUtilization(REGION, [instance], QUERY);

      expect(utilization.get(instance)).toEqual({
        cpu: { value: 34, at: newer },
        memory: { value: 56, at: older },
      });
    });

    it('should keep a real 0 % and report no datapoint as null, never 0', async () => {
      const at = new Date('2026-11-24T11:59:00Z');
      answerEveryQuery((index) => (index === 0 ? [{ at, value: 0 }] : []));

      const [instance] = ids(1);
      const utilization = await telemetry.readUtilization(REGION, [instance], QUERY);

      expect(utilization.get(instance)).toEqual({ cpu: { value: 0, at }, memory: null });
    });

    it('should merge the pages of a long answer', async () => {
      const [instance] = ids(1);
      const older = new Date('2026-11-24T11:58:00Z');
      const newer = new Date('2026-11-24T11:59:00Z');
      cloudWatch
        .on(GetMetricDataCommand)
        .resolvesOnce({
          MetricDataResults: [{ Id: 'c0', Timestamps: [older], Values: [20] }],
          NextToken: 'more',
        })
        .resolves({ MetricDataResults: [{ Id: 'c0', Timestamps: [newer], Values: [30] }] });

      const utilization = await telemetry.readUtilization(REGION, [instance], QUERY);

      expect(utilization.get(instance)?.cpu).toEqual({ value: 30, at: newer });
      expect(cloudWatch.commandCalls(GetMetricDataCommand)[1].args[0].input.NextToken).toBe('more');
    });
  });

  describe('concurrency', () => {
    it.each([
      ['8 calls by default', undefined, 8],
      ['the configured number of calls', 2, 2],
    ])('should keep at most %s under way', async (_, maxConcurrentCalls, expected) => {
      const bounded = new AwsFleetTelemetry(
        {
          ec2For: (region) => new EC2Client({ region, credentials }),
          cloudWatchFor: (region) => new CloudWatchClient({ region, credentials }),
        },
        { maxConcurrentCalls },
      );
      const describes = concurrencyProbe();
      const metrics = concurrencyProbe();
      ec2
        .on(DescribeInstanceStatusCommand)
        .callsFake((input: { InstanceIds: string[] }) =>
          describes.answer({ InstanceStatuses: input.InstanceIds.map(running) }),
        );
      cloudWatch
        .on(GetMetricDataCommand)
        .callsFake(() => metrics.answer({ MetricDataResults: [] }));
      const all = ids(20 * DESCRIBE_STATUS_BATCH);

      await bounded.describeHealth(REGION, all);
      await bounded.readUtilization(REGION, all, QUERY);

      expect(ec2.commandCalls(DescribeInstanceStatusCommand)).toHaveLength(20);
      expect(describes.max).toBe(expected);
      expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(8);
      expect(metrics.max).toBe(expected);
    });
  });
});

describe('EC2 state mapping', () => {
  it.each([
    ['pending', WorkerStatus.PENDING],
    ['running', WorkerStatus.RUNNING],
    ['stopping', WorkerStatus.STOPPING],
    ['stopped', WorkerStatus.STOPPED],
    ['shutting-down', WorkerStatus.SHUTTING_DOWN],
    ['terminated', WorkerStatus.TERMINATED],
    ['rebooting', WorkerStatus.UNKNOWN],
    [undefined, WorkerStatus.UNKNOWN],
  ])('should map the EC2 state %s to %s', (state, status) => {
    expect(toWorkerStatus(state)).toBe(status);
  });

  it.each([
    ['ok', CheckStatus.OK],
    ['impaired', CheckStatus.IMPAIRED],
    ['initializing', CheckStatus.INITIALIZING],
    ['insufficient-data', CheckStatus.INSUFFICIENT_DATA],
    ['not-applicable', CheckStatus.NOT_APPLICABLE],
    [undefined, null],
  ])('should map the status check %s to %s', (check, status) => {
    expect(toCheckStatus(check)).toBe(status);
  });
});
