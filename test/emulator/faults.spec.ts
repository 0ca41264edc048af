import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import {
  cloudWatchClient,
  ec2Client,
  eventually,
  ImmediateRetryStrategy,
  ManualClock,
  OTHER_REGION,
  rejectionOf,
  startTestEmulator,
  TEST_REGION,
} from './emulator.factory';

describe('Fault injection', () => {
  let emulator: RunningEmulator;
  let instanceId: string;
  const clients: Array<{ destroy(): void }> = [];

  beforeEach(async () => {
    emulator = await startTestEmulator();
    instanceId = emulator.fleet.addInstances({ region: TEST_REGION })[0]?.instanceId ?? '';
  });

  afterEach(async () => {
    clients.splice(0).forEach((client) => client.destroy());
    await emulator.close();
  });

  function ec2(maxAttempts = 1) {
    const retryStrategy = new ImmediateRetryStrategy(maxAttempts);
    const client = ec2Client(emulator, { retryStrategy });
    clients.push(client);
    return { client, retryStrategy };
  }

  function cloudWatch(maxAttempts = 1) {
    const retryStrategy = new ImmediateRetryStrategy(maxAttempts);
    const client = cloudWatchClient(emulator, { retryStrategy });
    clients.push(client);
    return { client, retryStrategy };
  }

  const cpuQuery = () =>
    new GetMetricDataCommand({
      StartTime: new Date(Date.now() - 600_000),
      EndTime: new Date(),
      MetricDataQueries: [
        {
          Id: 'cpu',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/EC2',
              MetricName: 'CPUUtilization',
              Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
            },
            Period: 60,
            Stat: 'Average',
          },
        },
      ],
    });

  it('should throttle EC2 with RequestLimitExceeded, which the SDK retries as throttling until it gives up', async () => {
    emulator.fleet.setFaults({ action: 'DescribeInstanceStatus', throttleRate: 1 });
    const { client, retryStrategy } = ec2(3);

    const error = await rejectionOf(
      client.send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId] })),
    );

    expect(error.name).toBe('RequestLimitExceeded');
    expect(error.$metadata.httpStatusCode).toBe(503);
    expect(error.$metadata.attempts).toBe(3);
    expect(retryStrategy.classifications).toEqual(['THROTTLING', 'THROTTLING', 'THROTTLING']);
    expect(emulator.fleet.callCount(TEST_REGION, 'DescribeInstanceStatus')).toBe(3);

    const other = await client.send(new DescribeInstancesCommand({}));
    expect(other.Reservations).toHaveLength(1);
  });

  it('should throttle CloudWatch with a 400 Throttling error that the SDK classifies as throttling', async () => {
    emulator.fleet.setFaults({ action: 'GetMetricData', throttleRate: 1 });
    const { client, retryStrategy } = cloudWatch(2);

    const error = await rejectionOf(client.send(cpuQuery()));

    expect(error.name).toBe('Throttling');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(retryStrategy.classifications).toEqual(['THROTTLING', 'THROTTLING']);
    expect(emulator.fleet.callCount(TEST_REGION, 'GetMetricData')).toBe(2);
  });

  it('should inject EC2 server errors with the chosen status, retried as transient', async () => {
    emulator.fleet.setFaults({ action: '*', serverErrorRate: 1, serverErrorStatus: 503 });
    const { client, retryStrategy } = ec2(2);

    const unavailable = await rejectionOf(client.send(new DescribeInstancesCommand({})));
    expect(unavailable.name).toBe('Unavailable');
    expect(unavailable.$fault).toBe('server');
    expect(unavailable.$metadata.httpStatusCode).toBe(503);
    expect(retryStrategy.classifications).toEqual(['TRANSIENT', 'TRANSIENT']);

    emulator.fleet.setFaults({ action: '*', serverErrorRate: 1, serverErrorStatus: 500 });
    const internal = await rejectionOf(client.send(new DescribeInstancesCommand({})));
    expect(internal.name).toBe('InternalError');
    expect(internal.$metadata.httpStatusCode).toBe(500);
  });

  it('should inject CloudWatch server errors as its modelled internal fault', async () => {
    emulator.fleet.setFaults({ action: 'GetMetricData', serverErrorRate: 1 });
    const { client } = cloudWatch(1);

    const error = await rejectionOf(client.send(cpuQuery()));

    expect(error.name).toBe('InternalServiceFault');
    expect(error.$fault).toBe('server');
    expect(error.$metadata.httpStatusCode).toBe(500);
  });

  it('should let an action rule override the rule for every action', async () => {
    emulator.fleet.setFaults({ action: '*', throttleRate: 1 });
    emulator.fleet.setFaults({ action: 'DescribeInstances', latencyMs: 1 });
    const { client } = ec2(1);

    await expect(client.send(new DescribeInstancesCommand({}))).resolves.toBeDefined();
    const error = await rejectionOf(
      client.send(new StartInstancesCommand({ InstanceIds: [instanceId] })),
    );
    expect(error.name).toBe('RequestLimitExceeded');
  });

  it('should draw partial fault rates from the seed, so a run replays exactly', async () => {
    const { client } = ec2(1);
    const outcomes = async () => {
      emulator.fleet.clearFaults();
      emulator.fleet.setFaults({ action: 'DescribeInstances', throttleRate: 0.5 });
      const results: boolean[] = [];
      for (let call = 0; call < 30; call += 1) {
        results.push(
          await client.send(new DescribeInstancesCommand({})).then(
            () => true,
            () => false,
          ),
        );
      }
      return results;
    };

    const first = await outcomes();
    const second = await outcomes();

    expect(second).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(5);
    expect(first.filter((ok) => !ok).length).toBeGreaterThan(5);
  });

  it('should not keep close() waiting for a call held by injected latency', async () => {
    const slow = await startTestEmulator();
    const client = ec2Client(slow, { retryStrategy: new ImmediateRetryStrategy(1) });
    try {
      slow.fleet.setFaults({ action: 'DescribeInstances', latencyMs: 60_000 });
      const pending = rejectionOf(client.send(new DescribeInstancesCommand({})));
      await eventually(() =>
        slow.fleet.callCount(TEST_REGION, 'DescribeInstances') === 1 ? true : undefined,
      );

      await slow.close();

      expect((await pending).message).toMatch(/socket hang up|ECONNRESET/);
    } finally {
      client.destroy();
    }
  });

  it("should not know a new instance for its first seconds, as EC2's eventual consistency does", async () => {
    const clock = new ManualClock();
    const lagging = await startTestEmulator({ clock: clock.now });
    const client = ec2Client(lagging);
    try {
      const [old] = lagging.fleet.addInstances({ region: TEST_REGION, state: 'stopped' });
      const answer = await fetch(`${lagging.endpoint}/_emulator/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: '*', newInstanceNotFoundMs: 30_000 }),
      });
      expect(await answer.json()).toMatchObject({
        faults: [{ action: '*', newInstanceNotFoundMs: 30_000 }],
      });
      const launched = await client.send(
        new RunInstancesCommand({ ImageId: 'ami-0c0ffee0c0ffee000', MinCount: 1, MaxCount: 1 }),
      );
      const fresh = launched.Instances?.[0]?.InstanceId ?? '';
      const statusOf = (ids: string[]) =>
        client.send(
          new DescribeInstanceStatusCommand({ InstanceIds: ids, IncludeAllInstances: true }),
        );
      const listed = async () =>
        (await client.send(new DescribeInstancesCommand({}))).Reservations?.flatMap(
          (reservation) => reservation.Instances?.map((instance) => instance.InstanceId) ?? [],
        );

      expect(fresh).toMatch(/^i-/);
      const unknown = await rejectionOf(statusOf([old.instanceId, fresh]));
      expect(unknown.name).toBe('InvalidInstanceID.NotFound');
      expect(unknown.message).toContain(fresh);
      expect(unknown.message).not.toContain(old.instanceId);
      expect(
        (await rejectionOf(client.send(new StopInstancesCommand({ InstanceIds: [fresh] })))).name,
      ).toBe('InvalidInstanceID.NotFound');
      expect(await listed()).toEqual([old.instanceId]);
      // A start gives an old instance a new launch time; it does not make it new to EC2.
      await client.send(new StartInstancesCommand({ InstanceIds: [old.instanceId] }));
      expect((await statusOf([old.instanceId])).InstanceStatuses).toHaveLength(1);

      clock.advance(30_000);

      expect((await statusOf([old.instanceId, fresh])).InstanceStatuses).toHaveLength(2);
      expect(await listed()).toEqual([old.instanceId, fresh]);
    } finally {
      client.destroy();
      await lagging.close();
    }
  });

  it('should count every call per region and action, failed ones included', async () => {
    const { client: here } = ec2(1);
    const other = ec2Client(emulator, { region: OTHER_REGION });
    clients.push(other);
    const { client: metrics } = cloudWatch(1);

    await here.send(new DescribeInstancesCommand({}));
    await here.send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId] }));
    await rejectionOf(
      here.send(new DescribeInstanceStatusCommand({ InstanceIds: ['i-0123abcd'] })),
    );
    await other.send(new DescribeInstancesCommand({}));
    await metrics.send(cpuQuery());

    expect(emulator.fleet.callCounts()).toEqual({
      [TEST_REGION]: { DescribeInstances: 1, DescribeInstanceStatus: 2, GetMetricData: 1 },
      [OTHER_REGION]: { DescribeInstances: 1 },
    });

    emulator.fleet.resetCallCounts();
    expect(emulator.fleet.callCounts()).toEqual({});
  });
});
