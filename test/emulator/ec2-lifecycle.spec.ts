import {
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  EC2Client,
  type Instance,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import {
  ec2Client,
  eventually,
  ManualClock,
  rejectionOf,
  startTestEmulator,
  TEST_REGION,
  TEST_TIMING,
} from './emulator.factory';

describe('EC2 instance lifecycle', () => {
  let clock: ManualClock;
  let emulator: RunningEmulator;
  let ec2: EC2Client;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await startTestEmulator({ clock: clock.now });
    ec2 = ec2Client(emulator);
  });

  afterEach(async () => {
    ec2.destroy();
    await emulator.close();
  });

  async function launch(name = 'worker-a'): Promise<string> {
    const output = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-0c0ffee0c0ffee000',
        InstanceType: 't3.small',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }] }],
      }),
    );
    return output.Instances?.[0]?.InstanceId ?? '';
  }

  async function describeInstance(instanceId: string): Promise<Instance | undefined> {
    const output = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return output.Reservations?.[0]?.Instances?.[0];
  }

  it('should launch an instance as pending with its tags, then run it after the pending delay', async () => {
    const output = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-0c0ffee0c0ffee000',
        InstanceType: 't3.small',
        MinCount: 2,
        MaxCount: 2,
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'builder' }] },
        ],
      }),
    );
    expect(output.Instances).toHaveLength(2);
    const [first] = output.Instances ?? [];
    expect(first).toMatchObject({
      ImageId: 'ami-0c0ffee0c0ffee000',
      InstanceType: 't3.small',
      State: { Code: 0, Name: 'pending' },
      Tags: [{ Key: 'Name', Value: 'builder' }],
      LaunchTime: new Date(clock.now()),
      Placement: { AvailabilityZone: expect.stringMatching(/^eu-west-1[abc]$/) },
      PrivateIpAddress: expect.stringMatching(/^10\.\d+\.\d+\.\d+$/),
    });
    expect(first?.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    const instanceId = first?.InstanceId ?? '';

    clock.advance(TEST_TIMING.pendingToRunningMs - 1);
    expect((await describeInstance(instanceId))?.State).toEqual({ Code: 0, Name: 'pending' });
    clock.advance(1);
    expect((await describeInstance(instanceId))?.State).toEqual({ Code: 16, Name: 'running' });
  });

  it('should stop, start and terminate with the state changes EC2 reports', async () => {
    const instanceId = await launch();
    clock.advance(TEST_TIMING.pendingToRunningMs);

    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    expect(stopped.StoppingInstances).toEqual([
      {
        InstanceId: instanceId,
        CurrentState: { Code: 64, Name: 'stopping' },
        PreviousState: { Code: 16, Name: 'running' },
      },
    ]);
    expect(await describeInstance(instanceId)).toMatchObject({
      StateTransitionReason: 'User initiated (2026-01-01 12:00:02 GMT)',
      StateReason: { Code: 'Client.UserInitiatedShutdown' },
    });
    clock.advance(TEST_TIMING.stoppingToStoppedMs);
    expect((await describeInstance(instanceId))?.State?.Name).toBe('stopped');

    const started = await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    expect(started.StartingInstances?.[0]).toMatchObject({
      CurrentState: { Code: 0, Name: 'pending' },
      PreviousState: { Code: 80, Name: 'stopped' },
    });
    clock.advance(TEST_TIMING.pendingToRunningMs);
    expect((await describeInstance(instanceId))?.State?.Name).toBe('running');

    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    expect(terminated.TerminatingInstances?.[0]).toMatchObject({
      CurrentState: { Code: 32, Name: 'shutting-down' },
      PreviousState: { Code: 16, Name: 'running' },
    });
    clock.advance(TEST_TIMING.shuttingDownToTerminatedMs);
    expect((await describeInstance(instanceId))?.State).toEqual({ Code: 48, Name: 'terminated' });
  });

  it('should answer a repeated stop or terminate without changing anything', async () => {
    const instanceId = await launch();
    clock.advance(TEST_TIMING.pendingToRunningMs);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    clock.advance(TEST_TIMING.stoppingToStoppedMs);

    const again = await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));

    expect(again.StoppingInstances?.[0]).toMatchObject({
      CurrentState: { Name: 'stopped' },
      PreviousState: { Name: 'stopped' },
    });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const terminateAgain = await ec2.send(
      new TerminateInstancesCommand({ InstanceIds: [instanceId] }),
    );
    expect(terminateAgain.TerminatingInstances?.[0]).toMatchObject({
      CurrentState: { Name: 'shutting-down' },
      PreviousState: { Name: 'shutting-down' },
    });
  });

  it('should keep a terminated instance visible for the visibility window, then forget it', async () => {
    const instanceId = await launch();
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    clock.advance(TEST_TIMING.shuttingDownToTerminatedMs + TEST_TIMING.terminatedVisibleForMs - 1);
    expect((await describeInstance(instanceId))?.State?.Name).toBe('terminated');

    clock.advance(1);

    const error = await rejectionOf(describeInstance(instanceId));
    expect(error.name).toBe('InvalidInstanceID.NotFound');
    const listed = await ec2.send(new DescribeInstancesCommand({}));
    expect(listed.Reservations).toEqual([]);
  });

  it('should refuse to start a terminated instance or stop a pending one with IncorrectInstanceState', async () => {
    const pendingId = await launch('pending-one');
    const stopPending = await rejectionOf(
      ec2.send(new StopInstancesCommand({ InstanceIds: [pendingId] })),
    );
    expect(stopPending.name).toBe('IncorrectInstanceState');
    expect(stopPending.$metadata.httpStatusCode).toBe(400);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [pendingId] }));
    clock.advance(TEST_TIMING.shuttingDownToTerminatedMs);
    const startTerminated = await rejectionOf(
      ec2.send(new StartInstancesCommand({ InstanceIds: [pendingId] })),
    );
    expect(startTerminated.name).toBe('IncorrectInstanceState');
    expect(startTerminated.message).toContain(pendingId);
  });

  it('should change no instance when one of the ids is in a state the action cannot leave', async () => {
    const runningId = await launch('running-one');
    clock.advance(TEST_TIMING.pendingToRunningMs);
    const pendingId = await launch('pending-one');

    await rejectionOf(ec2.send(new StopInstancesCommand({ InstanceIds: [runningId, pendingId] })));

    expect((await describeInstance(runningId))?.State?.Name).toBe('running');
  });

  it('should reboot a running instance, which re-runs its status checks', async () => {
    const instanceId = await launch();
    clock.advance(TEST_TIMING.pendingToRunningMs + TEST_TIMING.initializingChecksMs);
    const status = async () =>
      (await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId] })))
        .InstanceStatuses?.[0];
    expect((await status())?.InstanceStatus?.Status).toBe('ok');

    const output = await ec2.send(new RebootInstancesCommand({ InstanceIds: [instanceId] }));

    expect(output.$metadata.httpStatusCode).toBe(200);
    expect((await describeInstance(instanceId))?.State?.Name).toBe('running');
    expect((await status())?.InstanceStatus).toEqual({
      Status: 'initializing',
      Details: [{ Name: 'reachability', Status: 'initializing' }],
    });
    clock.advance(TEST_TIMING.initializingChecksMs);
    expect((await status())?.SystemStatus?.Status).toBe('ok');
  });

  it('should refuse to reboot a stopped instance', async () => {
    const instanceId = await launch();
    clock.advance(TEST_TIMING.pendingToRunningMs);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));

    const error = await rejectionOf(
      ec2.send(new RebootInstancesCommand({ InstanceIds: [instanceId] })),
    );

    expect(error.name).toBe('IncorrectInstanceState');
  });

  it('should return the same instances when a launch is retried with the same client token', async () => {
    const request = {
      ImageId: 'ami-0c0ffee0c0ffee000',
      InstanceType: 't3.small' as const,
      MinCount: 1,
      MaxCount: 1,
      ClientToken: 'launch-worker-a',
    };
    const first = await ec2.send(new RunInstancesCommand(request));
    const second = await ec2.send(new RunInstancesCommand(request));

    expect(second.Instances?.[0]?.InstanceId).toBe(first.Instances?.[0]?.InstanceId);
    expect(second.ReservationId).toBe(first.ReservationId);
    const all = await ec2.send(new DescribeInstancesCommand({}));
    expect(all.Reservations?.flatMap((reservation) => reservation.Instances)).toHaveLength(1);

    const mismatch = await rejectionOf(
      ec2.send(new RunInstancesCommand({ ...request, InstanceType: 't3.large' })),
    );
    expect(mismatch.name).toBe('IdempotentParameterMismatch');
  });

  it('should reject a malformed image id and an inverted count', async () => {
    const badImage = await rejectionOf(
      ec2.send(new RunInstancesCommand({ ImageId: 'ami-xyz', MinCount: 1, MaxCount: 1 })),
    );
    expect(badImage.name).toBe('InvalidAMIID.Malformed');

    const badCount = await rejectionOf(
      ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 3, MaxCount: 2 })),
    );
    expect(badCount.name).toBe('InvalidParameterValue');
  });

  describe('status checks', () => {
    const statusOf = async (instanceId: string, includeAll = false) =>
      (
        await ec2.send(
          new DescribeInstanceStatusCommand({
            InstanceIds: [instanceId],
            IncludeAllInstances: includeAll,
          }),
        )
      ).InstanceStatuses ?? [];

    it('should report initializing after the instance starts running, then ok', async () => {
      const [instance] = emulator.fleet.addInstances({ region: TEST_REGION, state: 'pending' });
      const instanceId = instance?.instanceId ?? '';
      expect(await statusOf(instanceId)).toEqual([]);
      expect((await statusOf(instanceId, true))[0]?.InstanceStatus?.Status).toBe('not-applicable');

      clock.advance(TEST_TIMING.pendingToRunningMs);
      const [initializing] = await statusOf(instanceId);
      expect(initializing?.SystemStatus?.Status).toBe('initializing');
      expect(initializing?.InstanceStatus?.Status).toBe('initializing');

      clock.advance(TEST_TIMING.initializingChecksMs);
      const [ok] = await statusOf(instanceId);
      expect(ok?.InstanceStatus).toEqual({
        Status: 'ok',
        Details: [{ Name: 'reachability', Status: 'passed' }],
      });
    });

    it('should report a forced impairment with its start time until it is set back to automatic', async () => {
      const [instance] = emulator.fleet.addInstances({ region: TEST_REGION });
      const instanceId = instance?.instanceId ?? '';
      emulator.fleet.setStatusChecks(instanceId, { instance: 'impaired' });

      const [impaired] = await statusOf(instanceId);
      expect(impaired?.InstanceStatus).toEqual({
        Status: 'impaired',
        Details: [{ Name: 'reachability', Status: 'failed', ImpairedSince: new Date(clock.now()) }],
      });
      expect(impaired?.SystemStatus?.Status).toBe('ok');

      emulator.fleet.setStatusChecks(instanceId, { instance: 'auto' });
      expect((await statusOf(instanceId))[0]?.InstanceStatus?.Status).toBe('ok');
    });
  });
});

describe('EC2 lifecycle on the real clock', () => {
  let emulator: RunningEmulator;
  let ec2: EC2Client;

  beforeEach(async () => {
    emulator = await startTestEmulator({
      timing: {
        ...TEST_TIMING,
        pendingToRunningMs: 50,
        shuttingDownToTerminatedMs: 50,
        terminatedVisibleForMs: 100,
      },
    });
    ec2 = ec2Client(emulator);
  });

  afterEach(async () => {
    ec2.destroy();
    await emulator.close();
  });

  it('should move a launched instance to running, and forget it after termination, as time passes', async () => {
    const output = await ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }),
    );
    const instanceId = output.Instances?.[0]?.InstanceId ?? '';
    const state = async () => {
      const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      return described.Reservations?.[0]?.Instances?.[0]?.State?.Name;
    };

    await eventually(async () => ((await state()) === 'running' ? true : undefined));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const gone = await eventually(async () => {
      const error = await state().then(
        () => undefined,
        (failure: Error) => failure,
      );
      return error;
    });
    expect(gone.name).toBe('InvalidInstanceID.NotFound');
  });
});
