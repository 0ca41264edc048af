import {
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import type { DataSource } from 'typeorm';
import { ErrorCode } from '../../src/errors/domain-error';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { Worker } from '../../src/entities/worker.entity';
import { WorkerStatusTransition } from '../../src/entities/worker-status-transition.entity';
import { Ec2FleetGateway } from '../../src/services/aws/fleet.gateway';
import { InProcessPubSub } from '../../src/services/pubsub/in-process.pub-sub';
import type { WorkerStatusChange } from '../../src/entities/worker-status-change.type';
import { WorkerAction } from '../../src/entities/alert.enums';
import { byCaller, ChangeSource } from '../../src/entities/change-source.enum';
import type { WorkerAlerts } from '../../src/services/alerts/alert.service';
import type { WorkerMonitoring } from '../../src/services/polling/monitoring.service';
import { WorkerService } from '../../src/services/workers/worker.service';
import { WorkerRepository } from '../../src/repositories/worker.repository';
import { WorkerStatusTransitionRepository } from '../../src/repositories/worker-status-transition.repository';
import { collectEvents } from '../support/collect-events';
import { instanceId, insertWorker } from '../support/factories';
import { decryptPassword } from '../../src/services/cml/cml-credentials';
import { testLogger } from '../support/silent-logger';
import { createTestDataSource, dropTestDataSource } from '../support/test-database';

const REGION = 'eu-west-1';
const DEFAULT_AMI = 'ami-0123456789abcdef0';
const NEW_INSTANCE_GRACE_MS = 300_000;
const CREDENTIALS_KEY = Buffer.alloc(32, 7);
const ASKED = byCaller('ops@example.com');
/** Registered long enough ago that EC2 must know its instance: NotFound means gone. */
const pastTheGrace = () => new Date(Date.now() - 2 * NEW_INSTANCE_GRACE_MS);

const ec2 = mockClient(EC2Client);

const awsError = (name: string, message = name, fault: 'client' | 'server' = 'client') =>
  Object.assign(new Error(message), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: fault === 'client' ? 400 : 503 },
  });

const stateChange = (id: string, previous: string, current: string) => ({
  InstanceId: id,
  PreviousState: { Name: previous as never },
  CurrentState: { Name: current as never },
});

/** Records what the registry asks of monitoring: the rules for making and cancelling poll jobs. */
class RecordingMonitoring implements WorkerMonitoring {
  readonly watched: string[] = [];
  readonly unwatched: string[] = [];

  watch(worker: Worker): Promise<void> {
    this.watched.push(worker.id);
    return Promise.resolve();
  }

  unwatch(workerIds: readonly string[]): Promise<void> {
    this.unwatched.push(...workerIds);
    return Promise.resolve();
  }
}

/** Records the lifecycle changes the registry reports to the alerts, with the request it made. */
class RecordingAlerts implements WorkerAlerts {
  readonly transitions: {
    workerId: string;
    from: WorkerStatus;
    to: WorkerStatus;
    requested: WorkerAction | null;
  }[] = [];
  readonly removed: string[] = [];

  transitionRecorded(worker: Worker, status: WorkerStatus): Promise<void> {
    this.transitions.push({
      workerId: worker.id,
      from: worker.status,
      to: status,
      requested: worker.requestedAction,
    });
    return Promise.resolve();
  }

  workersRemoved(workerIds: readonly string[]): Promise<void> {
    this.removed.push(...workerIds);
    return Promise.resolve();
  }
}

describe(WorkerService.name, () => {
  let dataSource: DataSource;
  let pubSub: InProcessPubSub;
  let monitoring: RecordingMonitoring;
  let alerts: RecordingAlerts;
  let service: WorkerService;
  let amiId: string | undefined;

  const makeService = (credentialsKey: Buffer | null = CREDENTIALS_KEY) =>
    new WorkerService(
      new WorkerRepository(dataSource),
      { transitions: new WorkerStatusTransitionRepository(dataSource), transactions: dataSource },
      new Ec2FleetGateway(
        (region) =>
          new EC2Client({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
      ),
      pubSub,
      monitoring,
      alerts,
      {
        aws: {
          mode: 'aws',
          region: REGION,
          endpoint: undefined,
          maxAttempts: 1,
          requestTimeoutMs: 1000,
        },
        workerDefaults: {
          amiId,
          instanceType: 'c5.2xlarge',
          subnetId: undefined,
          securityGroupIds: ['sg-0123456789abcdef0'],
          keyName: undefined,
          cpuThreshold: 85,
          memoryThreshold: 95,
        },
        monitoring: { newInstanceGraceMs: NEW_INSTANCE_GRACE_MS },
        cml: { credentialsKey: credentialsKey ?? undefined },
      },
      testLogger(),
    );

  const rows = () => dataSource.getRepository(Worker).find();

  const runningWorkerEc2WillStop = async () => {
    const worker = await insertWorker(dataSource, {
      awsRegion: REGION,
      status: WorkerStatus.RUNNING,
    });
    ec2.on(StopInstancesCommand).resolves({
      StoppingInstances: [stateChange(worker.awsInstanceId, 'running', 'stopping')],
    });
    return worker;
  };

  beforeAll(async () => {
    dataSource = await createTestDataSource();
  });

  afterAll(async () => {
    await dropTestDataSource(dataSource);
  });

  beforeEach(async () => {
    ec2.reset();
    amiId = DEFAULT_AMI;
    pubSub = new InProcessPubSub();
    monitoring = new RecordingMonitoring();
    alerts = new RecordingAlerts();
    service = makeService();
    await dataSource.query('TRUNCATE worker CASCADE');
  });

  afterEach(async () => {
    await pubSub.close();
  });

  describe('create', () => {
    it('should launch an instance with the configured defaults and register it as pending', async () => {
      const id = instanceId();
      ec2.on(RunInstancesCommand).resolves({
        Instances: [{ InstanceId: id, InstanceType: 'c5.2xlarge', State: { Name: 'pending' } }],
      });

      const worker = await service.create({ name: '  lab-worker-1 ' });

      const input = ec2.commandCalls(RunInstancesCommand)[0].args[0].input;
      expect(input).toMatchObject({
        ImageId: DEFAULT_AMI,
        InstanceType: 'c5.2xlarge',
        MinCount: 1,
        MaxCount: 1,
        SecurityGroupIds: ['sg-0123456789abcdef0'],
        TagSpecifications: [
          {
            ResourceType: 'instance',
            Tags: expect.arrayContaining([{ Key: 'Name', Value: 'lab-worker-1' }]),
          },
        ],
      });
      expect(input.ClientToken).toMatch(/^[0-9a-f-]{36}$/);
      expect(worker).toMatchObject({
        name: 'lab-worker-1',
        awsRegion: REGION,
        awsInstanceId: id,
        status: WorkerStatus.PENDING,
        thresholds: { cpu: 85, memory: 95 },
        monitoringEnabled: true,
      });
      expect(await rows()).toHaveLength(1);
      expect(monitoring.watched).toEqual([worker.id]);
    });

    it('should use the region, type, AMI and thresholds it is given', async () => {
      ec2.on(RunInstancesCommand).resolves({
        Instances: [
          { InstanceId: instanceId(), InstanceType: 'm5.large', State: { Name: 'pending' } },
        ],
      });

      const worker = await service.create({
        name: 'w',
        awsRegion: 'us-west-2',
        instanceType: 'm5.large',
        amiId: 'ami-0fedcba9876543210',
        thresholds: { cpu: 50 },
      });

      expect(ec2.commandCalls(RunInstancesCommand)[0].args[0].input).toMatchObject({
        ImageId: 'ami-0fedcba9876543210',
        InstanceType: 'm5.large',
      });
      expect(worker).toMatchObject({
        awsRegion: 'us-west-2',
        instanceType: 'm5.large',
        thresholds: { cpu: 50, memory: 95 },
      });
    });

    it('should refuse to launch without an AMI when none is configured', async () => {
      amiId = undefined;
      service = makeService();

      await expect(service.create({ name: 'w' })).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        field: 'amiId',
      });
      expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
    });

    it('should store nothing when EC2 fails the launch', async () => {
      ec2
        .on(RunInstancesCommand)
        .rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.'));

      await expect(service.create({ name: 'w' })).rejects.toMatchObject({
        code: ErrorCode.UPSTREAM_UNAVAILABLE,
      });
      expect(await rows()).toHaveLength(0);
    });

    it('should terminate the launched instance when it cannot be registered', async () => {
      const id = instanceId();
      ec2
        .on(RunInstancesCommand)
        .resolves({ Instances: [{ InstanceId: id, State: { Name: 'pending' } }] });
      ec2
        .on(TerminateInstancesCommand)
        .resolves({ TerminatingInstances: [stateChange(id, 'pending', 'shutting-down')] });

      // Out of the database's range: validation normally stops this before the service.
      await expect(service.create({ name: 'w', thresholds: { cpu: 150 } })).rejects.toThrow(
        /worker_cpu_threshold_range/,
      );

      expect(ec2.commandCalls(TerminateInstancesCommand)[0].args[0].input.InstanceIds).toEqual([
        id,
      ]);
      expect(await rows()).toHaveLength(0);
    });
  });

  describe('import', () => {
    it('should register an existing instance with the name, type and state EC2 reports', async () => {
      const id = instanceId();
      ec2.on(DescribeInstancesCommand, { InstanceIds: [id] }).resolves({
        Reservations: [
          {
            Instances: [
              {
                InstanceId: id,
                InstanceType: 't3.large',
                State: { Name: 'stopped' },
                Tags: [{ Key: 'Name', Value: 'cml-7' }],
              },
            ],
          },
        ],
      });

      const worker = await service.import({ awsInstanceId: id });

      expect(worker).toMatchObject({
        name: 'cml-7',
        awsInstanceId: id,
        awsRegion: REGION,
        instanceType: 't3.large',
        status: WorkerStatus.STOPPED,
      });
      expect(worker.lastPolledAt).toBeInstanceOf(Date);
      expect(monitoring.watched).toEqual([worker.id]);
    });

    it("should keep the instance's addresses, its CML endpoint and its own credentials, encrypted", async () => {
      const id = instanceId();
      ec2.on(DescribeInstancesCommand, { InstanceIds: [id] }).resolves({
        Reservations: [
          {
            Instances: [
              {
                InstanceId: id,
                State: { Name: 'running' },
                PrivateIpAddress: '10.0.4.17',
                PublicIpAddress: '',
                PublicDnsName: '',
              },
            ],
          },
        ],
      });

      const worker = await service.import({
        awsInstanceId: id,
        cmlEndpoint: 'https://cml-17.lab.example.com',
        cmlCredentials: { username: 'monitor', password: 'pa55-w0rd' },
      });

      const [row] = await dataSource.query<Record<string, unknown>[]>(
        'SELECT * FROM worker WHERE id = $1',
        [worker.id],
      );
      expect(row).toMatchObject({
        privateIpAddress: '10.0.4.17',
        publicIpAddress: null,
        publicDnsName: null,
        cmlEndpointOverride: 'https://cml-17.lab.example.com',
        cmlUsername: 'monitor',
      });
      expect(JSON.stringify(row)).not.toContain('pa55-w0rd');
      expect(decryptPassword(CREDENTIALS_KEY, String(row.cmlPasswordEncrypted))).toBe('pa55-w0rd');
      expect(worker.hasOwnCmlCredentials).toBe(true);
    });

    it('should refuse credentials it cannot encrypt, registering nothing', async () => {
      const withoutKey = makeService(null);

      await expect(
        withoutKey.import({
          awsInstanceId: instanceId(),
          cmlCredentials: { username: 'monitor', password: 'secret' },
        }),
      ).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, field: 'cmlCredentials' });
      expect(ec2.calls()).toHaveLength(0);
      expect(await rows()).toEqual([]);
    });

    it('should prefer the name it is given, and fall back to the instance id', async () => {
      const named = instanceId();
      const unnamed = instanceId();
      for (const id of [named, unnamed]) {
        ec2.on(DescribeInstancesCommand, { InstanceIds: [id] }).resolves({
          Reservations: [{ Instances: [{ InstanceId: id, State: { Name: 'running' } }] }],
        });
      }

      expect((await service.import({ awsInstanceId: named, name: 'given' })).name).toBe('given');
      expect((await service.import({ awsInstanceId: unnamed })).name).toBe(unnamed);
    });

    it('should answer NOT_FOUND and store nothing when EC2 does not know the instance', async () => {
      ec2
        .on(DescribeInstancesCommand)
        .rejects(awsError('InvalidInstanceID.NotFound', 'The instance ID does not exist'));

      await expect(service.import({ awsInstanceId: instanceId() })).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
        field: 'awsInstanceId',
      });
      expect(await rows()).toHaveLength(0);
    });

    it('should answer CONFLICT without asking EC2 when the instance is already registered', async () => {
      const existing = await insertWorker(dataSource, { awsRegion: REGION });

      await expect(service.import({ awsInstanceId: existing.awsInstanceId })).rejects.toMatchObject(
        {
          code: ErrorCode.CONFLICT,
        },
      );
      expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
    });

    it('should allow the same instance id in another region', async () => {
      const existing = await insertWorker(dataSource, { awsRegion: 'us-east-1' });
      ec2.on(DescribeInstancesCommand).resolves({
        Reservations: [
          { Instances: [{ InstanceId: existing.awsInstanceId, State: { Name: 'running' } }] },
        ],
      });

      await expect(
        service.import({ awsInstanceId: existing.awsInstanceId, awsRegion: REGION }),
      ).resolves.toMatchObject({
        awsRegion: REGION,
      });
    });

    it('should refuse a terminated instance', async () => {
      const id = instanceId();
      ec2.on(DescribeInstancesCommand).resolves({
        Reservations: [{ Instances: [{ InstanceId: id, State: { Name: 'terminated' } }] }],
      });

      await expect(service.import({ awsInstanceId: id })).rejects.toMatchObject({
        code: ErrorCode.CONFLICT,
      });
      expect(await rows()).toHaveLength(0);
    });

    it('should keep one row and answer CONFLICT when two imports of an instance race', async () => {
      const id = instanceId();
      ec2.on(DescribeInstancesCommand).resolves({
        Reservations: [{ Instances: [{ InstanceId: id, State: { Name: 'running' } }] }],
      });

      const results = await Promise.allSettled([
        service.import({ awsInstanceId: id }),
        makeService().import({ awsInstanceId: id }),
      ]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({
        reason: { code: ErrorCode.CONFLICT },
      });
      expect(await rows()).toHaveLength(1);
      expect(monitoring.watched).toHaveLength(1);
    });
  });

  describe('lifecycle', () => {
    it('should stop a running worker, record the transition and announce it', async () => {
      const worker = await runningWorkerEc2WillStop();
      const events = collectEvents<WorkerStatusChange>(pubSub, 'WORKER_STATUS_CHANGED', worker.id);

      const stopped = await service.stop(worker.id, ASKED);
      await events.stop();

      expect(stopped.status).toBe(WorkerStatus.STOPPING);
      expect(stopped.lastTransitionAt).toBeInstanceOf(Date);
      expect(events.received).toEqual([
        {
          workerId: worker.id,
          previousStatus: WorkerStatus.RUNNING,
          status: WorkerStatus.STOPPING,
          changedAt: stopped.lastTransitionAt,
          source: ChangeSource.MUTATION,
          actor: 'ops@example.com',
        },
      ]);
    });

    it('should start a stopped worker', async () => {
      const worker = await insertWorker(dataSource, {
        awsRegion: REGION,
        status: WorkerStatus.STOPPED,
      });
      ec2
        .on(StartInstancesCommand)
        .resolves({ StartingInstances: [stateChange(worker.awsInstanceId, 'stopped', 'pending')] });

      expect((await service.start(worker.id, ASKED)).status).toBe(WorkerStatus.PENDING);
    });

    it('should terminate a worker and keep it, shutting down', async () => {
      const worker = await insertWorker(dataSource, { awsRegion: REGION });
      ec2.on(TerminateInstancesCommand).resolves({
        TerminatingInstances: [stateChange(worker.awsInstanceId, 'running', 'shutting-down')],
      });

      expect((await service.terminate(worker.id, ASKED)).status).toBe(WorkerStatus.SHUTTING_DOWN);
      expect(await rows()).toHaveLength(1);
    });

    it('should not call EC2 again to terminate a terminated worker', async () => {
      const worker = await insertWorker(dataSource, { status: WorkerStatus.TERMINATED });

      expect((await service.terminate(worker.id, ASKED)).status).toBe(WorkerStatus.TERMINATED);
      expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    });

    it.each([WorkerStatus.TERMINATED, WorkerStatus.SHUTTING_DOWN])(
      'should answer CONFLICT to starting or stopping a worker that is %s, without calling EC2',
      async (status) => {
        const worker = await insertWorker(dataSource, { status });

        await expect(service.start(worker.id, ASKED)).rejects.toMatchObject({
          code: ErrorCode.CONFLICT,
        });
        await expect(service.stop(worker.id, ASKED)).rejects.toMatchObject({
          code: ErrorCode.CONFLICT,
        });
        expect(ec2.calls()).toHaveLength(0);
      },
    );

    it('should answer CONFLICT when EC2 says the instance is in the wrong state', async () => {
      const worker = await insertWorker(dataSource, {
        awsRegion: REGION,
        status: WorkerStatus.STOPPING,
      });
      ec2
        .on(StartInstancesCommand)
        .rejects(
          awsError(
            'IncorrectInstanceState',
            'The instance is not in a state from which it can be started.',
          ),
        );

      await expect(service.start(worker.id, ASKED)).rejects.toMatchObject({
        code: ErrorCode.CONFLICT,
      });
      expect((await service.findById(worker.id))?.status).toBe(WorkerStatus.STOPPING);
    });

    it('should mark the worker terminated when EC2 no longer knows the instance', async () => {
      const worker = await insertWorker(dataSource, {
        awsRegion: REGION,
        status: WorkerStatus.RUNNING,
        createdAt: pastTheGrace(),
      });
      ec2.on(StopInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
      const events = collectEvents<WorkerStatusChange>(pubSub, 'WORKER_STATUS_CHANGED');

      await expect(service.stop(worker.id, ASKED)).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
      });
      await events.stop();

      expect((await service.findById(worker.id))?.status).toBe(WorkerStatus.TERMINATED);
      expect(events.received).toMatchObject([
        { previousStatus: WorkerStatus.RUNNING, status: WorkerStatus.TERMINATED },
      ]);
      expect(monitoring.unwatched).toEqual([worker.id]);
    });

    it('should keep a just-registered worker when EC2 does not know its instance yet', async () => {
      const worker = await insertWorker(dataSource, {
        awsRegion: REGION,
        status: WorkerStatus.PENDING,
      });
      ec2.on(StopInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));

      await expect(service.stop(worker.id, ASKED)).rejects.toMatchObject({
        code: ErrorCode.UPSTREAM_UNAVAILABLE,
        message: expect.stringContaining(`EC2 does not know instance ${worker.awsInstanceId} yet`),
      });

      expect(await service.findById(worker.id)).toMatchObject({
        status: WorkerStatus.PENDING,
        requestedAction: null,
      });
      expect(monitoring.unwatched).toEqual([]);
      expect(alerts.transitions).toEqual([]);
    });

    it('should announce and store a change once when two stop requests race', async () => {
      const worker = await runningWorkerEc2WillStop();
      const events = collectEvents<WorkerStatusChange>(pubSub, 'WORKER_STATUS_CHANGED');

      await Promise.all([service.stop(worker.id, ASKED), makeService().stop(worker.id, ASKED)]);
      await events.stop();

      expect(events.received).toHaveLength(1);
      expect(
        await dataSource.getRepository(WorkerStatusTransition).findBy({ workerId: worker.id }),
      ).toEqual([
        expect.objectContaining({
          previousStatus: WorkerStatus.RUNNING,
          status: WorkerStatus.STOPPING,
          source: ChangeSource.MUTATION,
          actor: 'ops@example.com',
        }),
      ]);
    });

    it('should remember the stop before EC2 is asked, and report the transition with it', async () => {
      const worker = await runningWorkerEc2WillStop();
      let requestedWhileEc2Stopped: WorkerAction | null | undefined;
      ec2.on(StopInstancesCommand).callsFake(async () => {
        requestedWhileEc2Stopped = (await service.findById(worker.id))?.requestedAction;
        return { StoppingInstances: [stateChange(worker.awsInstanceId, 'running', 'stopping')] };
      });

      await service.stop(worker.id, ASKED);

      expect(requestedWhileEc2Stopped).toBe(WorkerAction.STOP);
      expect(await service.findById(worker.id)).toMatchObject({
        requestedAction: WorkerAction.STOP,
        requestedAt: expect.any(Date),
      });
      expect(alerts.transitions).toEqual([
        {
          workerId: worker.id,
          from: WorkerStatus.RUNNING,
          to: WorkerStatus.STOPPING,
          requested: WorkerAction.STOP,
        },
      ]);
    });

    it('should withdraw the request when EC2 refuses it, keeping the one before', async () => {
      const requestedAt = new Date('2026-01-01T00:00:00.000Z');
      const worker = await insertWorker(dataSource, {
        awsRegion: REGION,
        status: WorkerStatus.RUNNING,
        requestedAction: WorkerAction.START,
        requestedAt,
      });
      ec2.on(StopInstancesCommand).rejects(awsError('UnsupportedOperation'));

      await expect(service.stop(worker.id, ASKED)).rejects.toThrow();

      expect(await service.findById(worker.id)).toMatchObject({
        requestedAction: WorkerAction.START,
        requestedAt,
      });
      expect(alerts.transitions).toEqual([]);
    });

    it('should report a vanished instance as a transition to TERMINATED that was not requested', async () => {
      const worker = await insertWorker(dataSource, {
        awsRegion: REGION,
        status: WorkerStatus.RUNNING,
        createdAt: pastTheGrace(),
      });
      ec2.on(StartInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));

      await expect(service.start(worker.id, ASKED)).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
      });

      expect(alerts.transitions).toEqual([
        {
          workerId: worker.id,
          from: WorkerStatus.RUNNING,
          to: WorkerStatus.TERMINATED,
          requested: WorkerAction.START,
        },
      ]);
    });

    it.each(['start', 'stop', 'terminate'] as const)(
      'should answer NOT_FOUND to %s of an unknown worker',
      async (action) => {
        await expect(
          service[action]('00000000-0000-4000-8000-000000000000', ASKED),
        ).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
        await expect(service[action]('not-a-uuid', ASKED)).rejects.toMatchObject({
          code: ErrorCode.NOT_FOUND,
        });
      },
    );
  });

  describe('update and remove', () => {
    it('should change name, thresholds and monitoring, keeping what is not given', async () => {
      const worker = await insertWorker(dataSource, { cpuThreshold: 80, memoryThreshold: 70 });

      const updated = await service.update(worker.id, {
        name: 'renamed',
        thresholds: { memory: 60 },
        monitoringEnabled: false,
      });

      expect(updated).toMatchObject({
        name: 'renamed',
        thresholds: { cpu: 80, memory: 60 },
        monitoringEnabled: false,
      });
      expect(await service.findById(worker.id)).toMatchObject({
        name: 'renamed',
        memoryThreshold: 60,
        monitoringEnabled: false,
      });
      expect(ec2.calls()).toHaveLength(0);
      expect(monitoring.unwatched).toEqual([worker.id]);
    });

    it('should set and clear the CML endpoint and credentials, leaving them when not given', async () => {
      const worker = await insertWorker(dataSource);

      await service.update(worker.id, {
        cmlEndpoint: 'https://10.0.0.9:8443',
        cmlCredentials: { username: 'ops', password: 'x' },
      });
      const renamed = await service.update(worker.id, { name: 'renamed' });
      const cleared = await service.update(worker.id, { cmlEndpoint: null, cmlCredentials: null });

      expect(renamed).toMatchObject({
        cmlEndpointOverride: 'https://10.0.0.9:8443',
        cmlUsername: 'ops',
        hasOwnCmlCredentials: true,
      });
      expect(cleared).toMatchObject({
        cmlEndpointOverride: null,
        cmlUsername: null,
        cmlPasswordEncrypted: null,
        hasOwnCmlCredentials: false,
      });
    });

    it('should start polling again when monitoring is turned back on, and not on other changes', async () => {
      const worker = await insertWorker(dataSource, { monitoringEnabled: false });

      await service.update(worker.id, { name: 'still-unmonitored' });
      await service.update(worker.id, { monitoringEnabled: true });
      await service.update(worker.id, { monitoringEnabled: true, name: 'again' });

      expect(monitoring.watched).toEqual([worker.id]);
      expect(monitoring.unwatched).toEqual([]);
    });

    it('should forget a worker and say whether it existed, leaving EC2 alone', async () => {
      const worker = await insertWorker(dataSource);

      expect(await service.remove(worker.id)).toBe(true);
      expect(await service.remove(worker.id)).toBe(false);
      expect(await service.remove('not-a-uuid')).toBe(false);
      expect(ec2.calls()).toHaveLength(0);
      expect(monitoring.unwatched).toEqual([worker.id]);
      expect(alerts.removed).toEqual([worker.id]);
    });
  });

  describe('list', () => {
    it('should page newest first with a stable cursor and a total count', async () => {
      const created: Worker[] = [];
      for (let i = 0; i < 5; i += 1) {
        created.push(await insertWorker(dataSource, { name: `w${i}` }));
      }

      const first = await service.list({ first: 2 });
      const second = await service.list({ first: 2, after: first.pageInfo.endCursor ?? undefined });
      const last = await service.list({ first: 2, after: second.pageInfo.endCursor ?? undefined });

      const names = (page: typeof first) => page.edges.map((edge) => edge.node.name);
      expect([names(first), names(second), names(last)]).toEqual([
        ['w4', 'w3'],
        ['w2', 'w1'],
        ['w0'],
      ]);
      expect([
        first.pageInfo.hasNextPage,
        second.pageInfo.hasNextPage,
        last.pageInfo.hasNextPage,
      ]).toEqual([true, true, false]);
      expect(first.totalCount).toBe(5);
      expect(last.totalCount).toBe(5);
    });

    it('should order rows created in the same millisecond without skipping any', async () => {
      const createdAt = new Date('2026-01-01T00:00:00.000Z');
      for (let i = 0; i < 4; i += 1) {
        await insertWorker(dataSource, { createdAt });
      }
      const seen = new Set<string>();
      let after: string | undefined;
      do {
        const page = await service.list({ first: 1, after });
        page.edges.forEach((edge) => seen.add(edge.node.id));
        after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
      } while (after);
      expect(seen.size).toBe(4);
    });

    it('should filter by status, region and a case-insensitive name substring', async () => {
      await insertWorker(dataSource, {
        name: 'Lab-A-100%',
        awsRegion: 'eu-west-1',
        status: WorkerStatus.RUNNING,
      });
      await insertWorker(dataSource, {
        name: 'lab-b',
        awsRegion: 'eu-west-1',
        status: WorkerStatus.STOPPED,
      });
      await insertWorker(dataSource, {
        name: 'other',
        awsRegion: 'us-east-1',
        status: WorkerStatus.RUNNING,
      });

      const names = async (filter: Parameters<WorkerService['list']>[0]['filter']) =>
        (await service.list({ first: 50, filter })).edges.map((edge) => edge.node.name).sort();

      expect(await names({ status: [WorkerStatus.RUNNING] })).toEqual(['Lab-A-100%', 'other']);
      expect(await names({ awsRegion: 'eu-west-1' })).toEqual(['Lab-A-100%', 'lab-b']);
      expect(await names({ nameContains: 'LAB' })).toEqual(['Lab-A-100%', 'lab-b']);
      expect(await names({ nameContains: '100%' })).toEqual(['Lab-A-100%']);
      expect(await names({ nameContains: '_' })).toEqual([]);
      expect(await names({ status: [WorkerStatus.RUNNING], awsRegion: 'eu-west-1' })).toEqual([
        'Lab-A-100%',
      ]);
      expect(
        (await service.list({ first: 50, filter: { status: [WorkerStatus.STOPPED] } })).totalCount,
      ).toBe(1);
    });

    it('should reject a cursor it did not issue', async () => {
      await expect(service.list({ first: 1, after: 'garbage' })).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        field: 'after',
      });
    });
  });
});
