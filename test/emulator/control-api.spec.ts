import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import type { InstanceView } from '../../src/emulator/fleet.state';
import {
  cloudWatchClient,
  ec2Client,
  http,
  ImmediateRetryStrategy,
  ManualClock,
  MINUTE,
  OTHER_REGION,
  rejectionOf,
  START_TIME,
  startTestEmulator,
  TEST_REGION,
} from './emulator.factory';

describe('Emulator control API', () => {
  let clock: ManualClock;
  let emulator: RunningEmulator;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await startTestEmulator({ clock: clock.now });
  });

  afterEach(() => emulator.close());

  const post = (path: string, body: unknown) => http(emulator, path, { method: 'POST', body });

  async function addInstance(body: Record<string, unknown> = {}): Promise<InstanceView> {
    const response = await post('/_emulator/instances', { region: TEST_REGION, ...body });
    expect(response.status).toBe(201);
    const { instances } = response.json as { instances: InstanceView[] };
    const [instance] = instances;
    if (!instance) {
      throw new Error('no instance created');
    }
    return instance;
  }

  it('should create instances that EC2 then describes', async () => {
    const response = await post('/_emulator/instances', {
      count: 3,
      region: TEST_REGION,
      instanceType: 'c5.large',
      name: 'gpu-worker',
    });

    expect(response.status).toBe(201);
    const { instances } = response.json as { instances: InstanceView[] };
    expect(instances).toHaveLength(3);
    expect(instances[0]).toMatchObject({
      region: TEST_REGION,
      state: 'running',
      stateCode: 16,
      instanceType: 'c5.large',
      name: 'gpu-worker',
      tags: { Name: 'gpu-worker' },
      launchTime: new Date(START_TIME - 60 * MINUTE).toISOString(),
      statusChecks: { system: 'ok', instance: 'ok' },
      nextMetrics: { cpu: null, memory: null },
    });
    const ec2 = ec2Client(emulator);
    try {
      const described = await ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['gpu-worker'] }] }),
      );
      expect(described.Reservations?.flatMap((r) => r.Instances?.map((i) => i.InstanceId))).toEqual(
        instances.map((instance) => instance.instanceId),
      );
    } finally {
      ec2.destroy();
    }
  });

  it('should adopt a given instance id once, and refuse to reuse it', async () => {
    const adopted = await addInstance({ instanceId: 'i-0123456789abcdef0', state: 'stopped' });

    expect(adopted).toMatchObject({ instanceId: 'i-0123456789abcdef0', state: 'stopped' });
    expect((await post('/_emulator/instances', { instanceId: 'i-0123456789abcdef0' })).status).toBe(
      409,
    );
    expect(
      (await post('/_emulator/instances', { instanceId: 'i-0123456789abcdef1', count: 2 })).status,
    ).toBe(409);
    expect((await post('/_emulator/instances', { instanceId: 'i-xyz' })).status).toBe(400);
  });

  it('should list instances, filtered by region and state', async () => {
    const running = await addInstance();
    await addInstance({ state: 'stopped' });
    const elsewhere = await addInstance({ region: OTHER_REGION });

    const all = await http(emulator, '/_emulator/instances');
    const runningHere = await http(
      emulator,
      `/_emulator/instances?region=${TEST_REGION}&state=running`,
    );
    const other = await http(emulator, `/_emulator/instances?region=${OTHER_REGION}`);

    expect((all.json as { instances: unknown[] }).instances).toHaveLength(3);
    expect(runningHere.json).toEqual({ instances: [running] });
    expect(other.json).toEqual({ instances: [elsewhere] });
  });

  it('should force a state, which then moves on with the emulated timing', async () => {
    const instance = await addInstance();

    const stopping = await post(`/_emulator/instances/${instance.instanceId}/state`, {
      state: 'stopping',
    });
    expect(stopping.status).toBe(200);
    expect(stopping.json).toMatchObject({ state: 'stopping', stateCode: 64 });

    clock.advance(emulator.fleet.timing.stoppingToStoppedMs);
    const later = await http(emulator, `/_emulator/instances/${instance.instanceId}`);
    expect(later.json).toMatchObject({
      state: 'stopped',
      statusChecks: { system: 'not-applicable' },
    });
  });

  it('should force status check results and set them back to automatic', async () => {
    const instance = await addInstance();

    const impaired = await post(`/_emulator/instances/${instance.instanceId}/status-checks`, {
      system: 'impaired',
    });
    expect(impaired.json).toMatchObject({ statusChecks: { system: 'impaired', instance: 'ok' } });

    const automatic = await post(`/_emulator/instances/${instance.instanceId}/status-checks`, {
      system: 'auto',
    });
    expect(automatic.json).toMatchObject({ statusChecks: { system: 'ok', instance: 'ok' } });
  });

  it('should set the next metric values, which GetMetricData then returns, and clear them', async () => {
    const instance = await addInstance();
    const metrics = `/_emulator/instances/${instance.instanceId}/metrics`;

    const set = await post(metrics, { cpu: 97, memory: 40 });
    expect(set.json).toMatchObject({ nextMetrics: { cpu: 97, memory: 40 } });

    const cloudWatch = cloudWatchClient(emulator);
    const query = (metricName: string, namespace: string) => ({
      Id: metricName.toLowerCase(),
      MetricStat: {
        Metric: {
          Namespace: namespace,
          MetricName: metricName,
          Dimensions: [{ Name: 'InstanceId', Value: instance.instanceId }],
        },
        Period: 300,
        Stat: 'Average',
      },
    });
    try {
      const output = await cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(START_TIME),
          EndTime: new Date(START_TIME + 5 * MINUTE),
          MetricDataQueries: [
            query('CPUUtilization', 'AWS/EC2'),
            query('mem_used_percent', 'CWAgent'),
          ],
        }),
      );
      expect(output.MetricDataResults?.map((result) => result.Values)).toEqual([[97], [40]]);
    } finally {
      cloudWatch.destroy();
    }

    const cleared = await http(emulator, metrics, { method: 'DELETE' });
    expect(cleared.json).toMatchObject({ nextMetrics: { cpu: null, memory: null } });
  });

  it('should find an instance by its Name tag when that name is unique', async () => {
    const named = await addInstance({ name: 'cml-worker-07' });
    await addInstance({ name: 'twin' });
    await addInstance({ name: 'twin' });

    const byName = await post('/_emulator/instances/cml-worker-07/metrics', { cpu: 97 });
    const ambiguous = await post('/_emulator/instances/twin/metrics', { cpu: 97 });
    const unknown = await http(emulator, '/_emulator/instances/cml-worker-99');

    expect(byName.status).toBe(200);
    expect(byName.json).toMatchObject({ instanceId: named.instanceId, nextMetrics: { cpu: 97 } });
    expect(ambiguous.status).toBe(400);
    expect(unknown.status).toBe(404);
  });

  it('should set, list and clear fault rules', async () => {
    const put = await http(emulator, '/_emulator/faults', {
      method: 'PUT',
      body: { action: 'DescribeInstances', throttleRate: 1 },
    });
    expect(put.json).toEqual({
      faults: [
        {
          action: 'DescribeInstances',
          latencyMs: 0,
          throttleRate: 1,
          serverErrorRate: 0,
          serverErrorStatus: 500,
          newInstanceNotFoundMs: 0,
        },
      ],
    });
    const ec2 = ec2Client(emulator, { retryStrategy: new ImmediateRetryStrategy(1) });
    try {
      const error = await rejectionOf(ec2.send(new DescribeInstancesCommand({})));
      expect(error.name).toBe('RequestLimitExceeded');

      const cleared = await http(emulator, '/_emulator/faults', { method: 'DELETE' });
      expect(cleared.json).toEqual({ faults: [] });
      await expect(ec2.send(new DescribeInstancesCommand({}))).resolves.toBeDefined();
    } finally {
      ec2.destroy();
    }
  });

  it('should report and reset call counts', async () => {
    const ec2 = ec2Client(emulator);
    try {
      await ec2.send(new DescribeInstancesCommand({}));
      await ec2.send(new DescribeInstancesCommand({}));
    } finally {
      ec2.destroy();
    }

    const calls = await http(emulator, '/_emulator/calls');
    expect(calls.json).toEqual({ calls: { [TEST_REGION]: { DescribeInstances: 2 } } });

    const reset = await http(emulator, '/_emulator/calls', { method: 'DELETE' });
    expect(reset.json).toEqual({ calls: {} });
  });

  it('should forget every instance, fault and count on reset', async () => {
    await addInstance();
    await http(emulator, '/_emulator/faults', {
      method: 'PUT',
      body: { action: '*', latencyMs: 5 },
    });

    const reset = await post('/_emulator/reset', undefined);

    expect(reset.status).toBe(204);
    expect(emulator.fleet.listInstances()).toEqual([]);
    expect(emulator.fleet.faults()).toEqual([]);
  });

  it.each([
    ['a body that is not JSON', '/_emulator/instances', '{count: 2'],
    ['an unknown field', '/_emulator/instances', { count: 1, colour: 'blue' }],
    ['a count of zero', '/_emulator/instances', { count: 0 }],
    ['a malformed region', '/_emulator/instances', { region: 'mars' }],
    ['an unknown state', '/_emulator/instances', { state: 'sleeping' }],
  ])('should answer 400 with an error for %s', async (_case, path, body) => {
    const response = await post(path, body);

    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: expect.any(String) });
  });

  it('should answer 400 for bad state, check, metric and fault input on a known instance', async () => {
    const instance = await addInstance();
    const base = `/_emulator/instances/${instance.instanceId}`;

    const answers = await Promise.all([
      post(`${base}/state`, { state: 'paused' }),
      post(`${base}/status-checks`, {}),
      post(`${base}/metrics`, { cpu: 140 }),
      http(emulator, '/_emulator/faults', {
        method: 'PUT',
        body: { action: 'Describe', throttleRate: 2 },
      }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
    expect((answers[2]?.json as { error: string }).error).toContain('cpu');
  });

  it('should answer 404 for an unknown instance or route and 405 for a wrong method', async () => {
    const unknown = await post('/_emulator/instances/i-0123456789abcdef0/state', {
      state: 'stopped',
    });
    const noRoute = await http(emulator, '/_emulator/volumes');
    const wrongMethod = await http(emulator, '/_emulator/calls', { method: 'POST' });

    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: 'No instance i-0123456789abcdef0' });
    expect(noRoute.status).toBe(404);
    expect(wrongMethod.status).toBe(405);
  });
});
