import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { CmlServiceStatus } from '../../src/entities/cml.types';
import { MetricSample } from '../../src/entities/metric-sample.entity';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { Worker } from '../../src/entities/worker.entity';
import { createRepositories, type Repositories } from '../../src/repositories/repositories';
import { AlertService } from '../../src/services/alerts/alert.service';
import type {
  FleetTelemetry,
  HealthReport,
  Utilization,
} from '../../src/services/aws/fleet-telemetry.gateway';
import { NotificationService } from '../../src/services/notifications/notification.service';
import type { CmlObservation } from '../../src/services/cml/cml-monitor';
import { MetricsCollector } from '../../src/services/polling/metrics-collector';
import { PollCycleTracker } from '../../src/services/polling/poll-cycle.tracker';
import { InProcessPubSub } from '../../src/services/pubsub/in-process.pub-sub';
import { WorkerService } from '../../src/services/workers/worker.service';
import { insertWorker } from '../support/factories';
import { testLogger } from '../support/silent-logger';
import { createTestDataSource, dropTestDataSource } from '../support/test-database';

const AVAILABLE: CmlObservation = {
  status: CmlServiceStatus.AVAILABLE,
  error: null,
  labs: { list: [], labsTotal: 0, labsRunning: 0, nodesTotal: 0, nodesRunning: 0 },
  details: null,
};

/** EC2 and CloudWatch as the collector sees them: CPU per instance, answered when released. */
class FakeTelemetry implements FleetTelemetry {
  readonly cpu = new Map<string, number>();
  readonly status = new Map<string, WorkerStatus>();
  failing = false;
  private gate: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;
  /** Resolves once a batch is waiting on AWS. */
  asked: Promise<void> = Promise.resolve();
  private onAsked: () => void = () => undefined;

  holdAnswers(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
    this.asked = new Promise((resolve) => (this.onAsked = resolve));
  }

  answer(): void {
    this.release();
  }

  async describeHealth(_region: string, instanceIds: readonly string[]): Promise<HealthReport> {
    this.onAsked();
    await this.gate;
    if (this.failing) {
      throw new Error('RequestLimitExceeded');
    }
    return {
      health: new Map(
        instanceIds.map((instanceId) => [
          instanceId,
          {
            instanceId,
            status: this.status.get(instanceId) ?? WorkerStatus.RUNNING,
            systemCheck: null,
            instanceCheck: null,
          },
        ]),
      ),
      missing: [],
    };
  }

  async readUtilization(
    _region: string,
    instanceIds: readonly string[],
  ): Promise<Map<string, Utilization>> {
    await this.gate;
    const at = new Date();
    return new Map(
      instanceIds.map((id) => [
        id,
        { cpu: { value: this.cpu.get(id) ?? 10, at }, memory: { value: 20, at } },
      ]),
    );
  }
}

const config = loadConfig({
  DATABASE_URL: 'postgres://unused/db',
  WORKER_METRICS_POLL_INTERVAL: '60',
});

describe(MetricsCollector.name, () => {
  let dataSource: DataSource;
  let repositories: Repositories;
  let telemetry: FakeTelemetry;
  let collector: MetricsCollector;
  let registry: WorkerService;
  const cancelled: string[] = [];
  /** What the fake controllers answer, per worker; AVAILABLE with no lab for the others. */
  const cmlAnswer = new Map<string, CmlObservation>();
  const cmlAsked: string[] = [];

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    repositories = createRepositories(dataSource);
  });

  afterAll(() => dropTestDataSource(dataSource));

  beforeEach(() => {
    telemetry = new FakeTelemetry();
    cancelled.length = 0;
    cmlAnswer.clear();
    cmlAsked.length = 0;
    const pubSub = new InProcessPubSub();
    const jobs = { enqueue: () => Promise.resolve() };
    const notifications = new NotificationService(
      {
        deliveries: repositories.notifications,
        groups: repositories.notificationGroups,
        alerts: repositories.alerts,
        workers: repositories.workers,
      },
      dataSource,
      jobs,
      { muting: () => Promise.resolve([]) },
      config,
      testLogger(),
    );
    const alerts = new AlertService(
      repositories.alerts,
      dataSource,
      pubSub,
      notifications,
      { silencedAmong: () => Promise.resolve(new Set<string>()) },
      jobs,
      config,
      testLogger(),
    );
    collector = new MetricsCollector(
      {
        workers: repositories.workers,
        samples: repositories.samples,
        transitions: repositories.transitions,
        transactions: dataSource,
      },
      telemetry,
      pubSub,
      { cancelPolls: (ids) => Promise.resolve(void cancelled.push(...ids)) },
      new PollCycleTracker(60_000),
      alerts,
      {
        monitoring: config.monitoring,
        cml: {
          observe: (workers) => {
            cmlAsked.push(...workers.map((worker) => worker.id));
            return Promise.resolve(
              new Map(workers.map((worker) => [worker.id, cmlAnswer.get(worker.id) ?? AVAILABLE])),
            );
          },
        },
      },
      testLogger(),
    );
    const monitoring = { watch: () => Promise.resolve(), unwatch: () => Promise.resolve() };
    registry = new WorkerService(
      repositories.workers,
      { transitions: repositories.transitions, transactions: dataSource },
      {
        launchInstance: never,
        describeInstance: never,
        describeInstances: never,
        findInstances: never,
        startInstance: never,
        stopInstance: never,
        terminateInstance: never,
      },
      pubSub,
      monitoring,
      alerts,
      config,
      testLogger(),
    );
  });

  const samplesOf = (workerId: string) =>
    dataSource.getRepository(MetricSample).findBy({ workerId });
  const rowOf = (id: string) => dataSource.getRepository(Worker).findOneBy({ id });

  it('should store and publish the rest of a batch when one of its workers is removed while AWS answers', async () => {
    const workers = await Promise.all([1, 2, 3].map(() => insertWorker(dataSource)));
    const [removed, ...kept] = workers;
    telemetry.holdAnswers();

    const polling = collector.pollWorkers(workers.map((worker) => worker.id));
    await telemetry.asked;
    expect(await registry.remove(removed.id)).toBe(true);
    telemetry.answer();
    const outcomes = await polling;

    expect(outcomes.get(removed.id)).toEqual({ kind: 'gone', nextPollAt: null });
    for (const worker of kept) {
      expect(outcomes.get(worker.id)?.kind).toBe('polled');
      expect(await samplesOf(worker.id)).toHaveLength(1);
    }
    expect(await rowOf(removed.id)).toBeNull();
    expect(cancelled).toEqual([removed.id]);
  });

  it('should write nothing of a poll whose result is older than what the row holds', async () => {
    const worker = await insertWorker(dataSource);
    telemetry.holdAnswers();
    const older = collector.pollWorkers([worker.id]);
    await telemetry.asked;

    // Another poll, collected after this one, is stored while this one waits on AWS.
    const later = new Date(Date.now() + 60_000);
    await dataSource.query(`UPDATE worker SET "lastPolledAt" = $2 WHERE id = $1`, [
      worker.id,
      later,
    ]);
    telemetry.answer();
    await older;

    expect(await samplesOf(worker.id)).toHaveLength(0);
    expect((await rowOf(worker.id))?.lastPolledAt).toEqual(later);
  });

  it('should skip a scheduled poll of an interval another poll already served', async () => {
    const worker = await insertWorker(dataSource);
    const served = new Date(Date.now() + 30_000);
    await dataSource.query(
      `UPDATE worker SET "nextPollAt" = $2, "lastPolledAt" = now() WHERE id = $1`,
      [worker.id, served],
    );

    const scheduled = await collector.pollWorkers([worker.id], new Set([worker.id]));
    const asked = await collector.pollWorkers([worker.id]);

    expect(scheduled.get(worker.id)).toEqual({ kind: 'polled', nextPollAt: served });
    expect(asked.get(worker.id)?.kind).toBe('polled');
    expect(await samplesOf(worker.id)).toHaveLength(1);
  });

  it('should still poll on schedule after a poll that failed moved the next poll on', async () => {
    const worker = await insertWorker(dataSource, { lastPolledAt: new Date(Date.now() - 120_000) });
    telemetry.failing = true;
    const failed = await collector.pollWorkers([worker.id]);
    telemetry.failing = false;

    const scheduled = await collector.pollWorkers([worker.id], new Set([worker.id]));

    expect(failed.get(worker.id)?.kind).toBe('failed');
    expect((await rowOf(worker.id))?.nextPollAt?.getTime()).toBeGreaterThan(Date.now());
    expect(scheduled.get(worker.id)?.kind).toBe('polled');
    expect(await samplesOf(worker.id)).toHaveLength(1);
  });

  it("should keep an update's columns and the poll's apart when they race", async () => {
    const worker = await insertWorker(dataSource, { status: WorkerStatus.RUNNING });
    for (let round = 0; round < 15; round += 1) {
      telemetry.cpu.set(worker.awsInstanceId, 40 + round);
      await Promise.all([
        collector.pollWorkers([worker.id]),
        registry.update(worker.id, {
          name: `renamed-${round}`,
          thresholds: { cpu: 80 + (round % 10) },
        }),
      ]);
      const row = await rowOf(worker.id);
      const [newest] = await dataSource
        .getRepository(MetricSample)
        .find({ where: { workerId: worker.id }, order: { collectedAt: 'DESC' }, take: 1 });
      expect(row).toMatchObject({
        name: `renamed-${round}`,
        cpuThreshold: 80 + (round % 10),
        cpuUtilization: newest.cpuUtilization,
        lastPolledAt: newest.collectedAt,
      });
      expect(newest.cpuUtilization).toBe(40 + round);
    }
  });

  describe('with the CML controllers', () => {
    const lab = {
      id: 'lab-1',
      title: 'ccna-1',
      state: 'STARTED',
      owner: 'student07',
      nodeCount: 8,
      modifiedAt: '2026-12-01T08:00:00.000Z',
    };
    const withLab: CmlObservation = {
      status: CmlServiceStatus.AVAILABLE,
      error: null,
      labs: { list: [lab], labsTotal: 1, labsRunning: 1, nodesTotal: 8, nodesRunning: 8 },
      details: {
        version: '2.8.1',
        ready: true,
        license: {
          registrationStatus: 'COMPLETED',
          authorizationStatus: 'IN_COMPLIANCE',
          expiresAt: '2027-06-01T00:00:00.000Z',
          valid: true,
        },
      },
    };

    it('should store what the controller said on the row and the sample, and keep the labs through a failed read', async () => {
      const worker = await insertWorker(dataSource);
      cmlAnswer.set(worker.id, withLab);

      await collector.pollWorkers([worker.id]);
      const read = await rowOf(worker.id);
      cmlAnswer.set(worker.id, {
        status: CmlServiceStatus.UNAVAILABLE,
        error: 'CML is unreachable: ECONNREFUSED',
        labs: null,
        details: null,
      });
      await collector.pollWorkers([worker.id]);
      const failed = await rowOf(worker.id);

      expect(read?.cml).toMatchObject({
        status: 'AVAILABLE',
        version: '2.8.1',
        ready: true,
        license: { valid: true, expiresAt: new Date('2027-06-01T00:00:00.000Z') },
        labsTotal: 1,
        labsRunning: 1,
        nodesTotal: 8,
        nodesRunning: 8,
        error: null,
      });
      expect(read?.labs).toEqual([
        expect.objectContaining({
          id: 'lab-1',
          running: true,
          modifiedAt: new Date(lab.modifiedAt),
        }),
      ]);
      expect(failed?.cml).toMatchObject({
        status: 'UNAVAILABLE',
        error: 'CML is unreachable: ECONNREFUSED',
        version: '2.8.1',
        labsRunning: 1,
        nodesRunning: 8,
      });
      expect(failed?.cmlLabs).toEqual([lab]);
      expect(failed?.cmlCheckedAt?.getTime()).toBeGreaterThan(read?.cmlCheckedAt?.getTime() ?? 0);
      const samples = (await samplesOf(worker.id)).sort(
        (a, b) => a.collectedAt.getTime() - b.collectedAt.getTime(),
      );
      expect(
        samples.map((sample) => [sample.cmlStatus, sample.labsRunning, sample.nodesRunning]),
      ).toEqual([
        ['AVAILABLE', 1, 8],
        ['UNAVAILABLE', null, null],
      ]);
    });

    it('should ask no controller of a stopped worker, clear its labs and keep its license', async () => {
      const worker = await insertWorker(dataSource);
      cmlAnswer.set(worker.id, withLab);
      await collector.pollWorkers([worker.id]);
      cmlAsked.length = 0;
      telemetry.status.set(worker.awsInstanceId, WorkerStatus.STOPPED);

      await collector.pollWorkers([worker.id]);

      expect(cmlAsked).toEqual([]);
      expect((await rowOf(worker.id))?.cml).toMatchObject({
        status: 'NOT_APPLICABLE',
        labsTotal: null,
        labsRunning: null,
        nodesRunning: null,
        license: { valid: true },
        error: null,
      });
      expect((await rowOf(worker.id))?.labs).toEqual([]);
    });
  });
});

function never(): never {
  throw new Error('no EC2 call is expected here');
}
