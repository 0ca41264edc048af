import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { DescribeInstanceStatusCommand, EC2Client, type InstanceStatus } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { ErrorCode } from '../../src/errors/domain-error';
import { CheckStatus, WorkerStatus } from '../../src/entities/worker-status.enum';
import { AwsFleetTelemetry, toCheckStatus } from '../../src/services/fleet-telemetry.gateway';
import { toWorkerStatus } from '../../src/services/fleet.gateway';

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

const awsError = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });

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
