import { CheckStatus, WorkerStatus } from '../../src/entities/worker-status.enum';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import { ErrorCode } from '../../src/errors/domain-error';
import { AwsClients } from '../../src/services/aws/aws-clients';
import {
  AwsFleetTelemetry,
  type UtilizationQuery,
} from '../../src/services/aws/fleet-telemetry.gateway';
import {
  CREDENTIALS,
  ManualClock,
  MINUTE,
  START_TIME,
  startTestEmulator,
  TEST_REGION,
  TEST_TIMING,
} from './emulator.factory';

const UNKNOWN_ID = 'i-0123456789abcdef0';
const LOOKBACK_PERIODS = 5;

describe(AwsFleetTelemetry.name, () => {
  let clock: ManualClock;
  let emulator: RunningEmulator;
  let clients: AwsClients;
  let telemetry: AwsFleetTelemetry;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await startTestEmulator({ clock: clock.now });
    // One attempt per call, so the emulator's call counter counts the adapter's calls exactly.
    clients = new AwsClients({
      endpoint: emulator.endpoint,
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    telemetry = new AwsFleetTelemetry(clients);
  });

  afterEach(async () => {
    clients.destroy();
    await emulator.close();
  });

  const launch = (count: number, state?: 'running' | 'stopped') =>
    emulator.fleet
      .addInstances({ region: TEST_REGION, count, state })
      .map((view) => view.instanceId);

  const minuteQuery = (): UtilizationQuery => ({
    periodSeconds: 60,
    lookbackPeriods: LOOKBACK_PERIODS,
    now: new Date(clock.now()),
  });

  const calls = (action: string) => emulator.fleet.callCount(TEST_REGION, action);

  it('should read 250 instances with 3 DescribeInstanceStatus calls and 1 GetMetricData call', async () => {
    const ids = launch(250);

    const report = await telemetry.describeHealth(TEST_REGION, ids);
    const utilization = await telemetry.readUtilization(TEST_REGION, ids, minuteQuery());

    expect(calls('DescribeInstanceStatus')).toBe(3);
    expect(calls('GetMetricData')).toBe(1);
    expect(report.missing).toEqual([]);
    expect([...report.health.keys()].sort()).toEqual([...ids].sort());
    expect(report.health.get(ids[249] ?? '')).toEqual({
      instanceId: ids[249],
      status: WorkerStatus.RUNNING,
      systemCheck: CheckStatus.OK,
      instanceCheck: CheckStatus.OK,
    });
    expect([...utilization.keys()]).toEqual(ids);
    const newestMinute = new Date(START_TIME - MINUTE);
    for (const { cpu, memory } of utilization.values()) {
      expect(cpu?.at).toEqual(newestMinute);
      expect(memory?.at).toEqual(newestMinute);
      expect(cpu?.value).toBeGreaterThan(0);
      expect(memory?.value).toBeGreaterThan(0);
    }
  });

  it('should report a stopped instance as STOPPED, with no checks and no metrics rather than zeros', async () => {
    const [running, stopped] = [...launch(1), ...launch(1, 'stopped')];
    clock.advance((LOOKBACK_PERIODS + 1) * MINUTE);

    const report = await telemetry.describeHealth(TEST_REGION, [running, stopped]);
    const utilization = await telemetry.readUtilization(
      TEST_REGION,
      [running, stopped],
      minuteQuery(),
    );

    expect(report.health.get(stopped)).toEqual({
      instanceId: stopped,
      status: WorkerStatus.STOPPED,
      systemCheck: CheckStatus.NOT_APPLICABLE,
      instanceCheck: CheckStatus.NOT_APPLICABLE,
    });
    expect(utilization.get(stopped)).toEqual({ cpu: null, memory: null });
    expect(utilization.get(running)?.cpu).not.toBeNull();
  });

  it('should report the status checks EC2 reports, initializing after a start and impaired when forced', async () => {
    const [impaired] = launch(1);
    emulator.fleet.setStatusChecks(impaired, { system: 'impaired' });
    const [starting] = launch(1, 'stopped');
    emulator.fleet.setState(starting, 'running');
    clock.advance(TEST_TIMING.initializingChecksMs / 2);

    const { health } = await telemetry.describeHealth(TEST_REGION, [impaired, starting]);

    expect(health.get(impaired)).toMatchObject({
      systemCheck: CheckStatus.IMPAIRED,
      instanceCheck: CheckStatus.OK,
    });
    expect(health.get(starting)).toMatchObject({
      status: WorkerStatus.RUNNING,
      systemCheck: CheckStatus.INITIALIZING,
      instanceCheck: CheckStatus.INITIALIZING,
    });
  });

  it('should return the newest value the fleet forced, and keep a forced 0 as 0', async () => {
    const [instanceId] = launch(1);
    emulator.fleet.setNextMetrics(instanceId, { cpu: 97, memory: 0 });
    clock.advance(MINUTE);

    const utilization = await telemetry.readUtilization(TEST_REGION, [instanceId], minuteQuery());

    const currentMinute = new Date(START_TIME);
    expect(utilization.get(instanceId)).toEqual({
      cpu: { value: 97, at: currentMinute },
      memory: { value: 0, at: currentMinute },
    });
  });

  it('should report an unknown instance as missing and the others from one more call', async () => {
    const ids = launch(150);
    const requested = [...ids.slice(0, 40), UNKNOWN_ID, ...ids.slice(40)];

    const report = await telemetry.describeHealth(TEST_REGION, requested);
    const utilization = await telemetry.readUtilization(TEST_REGION, requested, minuteQuery());

    expect(report.missing).toEqual([UNKNOWN_ID]);
    expect(report.health.size).toBe(150);
    expect(report.health.has(UNKNOWN_ID)).toBe(false);
    // Two chunks of 100 and 51: only the chunk holding the unknown id is asked again.
    expect(calls('DescribeInstanceStatus')).toBe(3);
    expect(utilization.get(UNKNOWN_ID)).toEqual({ cpu: null, memory: null });
  });

  it('should fail with UPSTREAM_UNAVAILABLE when EC2 throttles and the SDK gives up', async () => {
    const ids = launch(2);
    emulator.fleet.setFaults({ action: 'DescribeInstanceStatus', throttleRate: 1 });

    await expect(telemetry.describeHealth(TEST_REGION, ids)).rejects.toMatchObject({
      code: ErrorCode.UPSTREAM_UNAVAILABLE,
    });
  });
  it('should give up on a call EC2 holds past requestTimeoutMs, as UPSTREAM_UNAVAILABLE', async () => {
    const ids = launch(1);
    emulator.fleet.setFaults({ action: 'DescribeInstanceStatus', latencyMs: 10_000 });
    const impatient = new AwsClients({
      endpoint: emulator.endpoint,
      credentials: CREDENTIALS,
      maxAttempts: 1,
      requestTimeoutMs: 200,
    });
    try {
      const started = Date.now();

      await expect(
        new AwsFleetTelemetry(impatient).describeHealth(TEST_REGION, ids),
      ).rejects.toMatchObject({ code: ErrorCode.UPSTREAM_UNAVAILABLE });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      impatient.destroy();
    }
  });
});
