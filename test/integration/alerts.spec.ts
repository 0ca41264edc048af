import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../../src/config';
import { Alert } from '../../src/entities/alert.entity';
import { CmlServiceStatus } from '../../src/entities/cml.types';
import { AlertNotification } from '../../src/entities/alert-notification.entity';
import {
  AlertEventType,
  AlertKind,
  AlertSeverity,
  AlertState,
  DeliveryState,
  RemediationOutcome,
  WorkerAction,
} from '../../src/entities/alert.enums';
import { AlertRemediation } from '../../src/entities/alert-remediation.entity';
import { createLogger, type Logger } from '../../src/logger';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { Worker } from '../../src/entities/worker.entity';
import { DELIVER_NOTIFICATION_JOB, REMEDIATE_WORKER_JOB } from '../../src/jobs/job-catalogue';
import { createRepositories } from '../../src/repositories/repositories';
import type { CmlObservation, CmlReader } from '../../src/services/cml/cml-monitor';
import { AlertService, type WorkerObservation } from '../../src/services/alerts/alert.service';
import { InProcessPubSub } from '../../src/services/pubsub/in-process.pub-sub';
import {
  NotificationService,
  RetryableDeliveryError,
} from '../../src/services/notifications/notification.service';
import { RemediationService } from '../../src/services/alerts/remediation.service';
import { collectEvents } from '../support/collect-events';
import { insertWorker } from '../support/factories';
import { observationOf } from '../support/observations';
import { testLogger } from '../support/silent-logger';
import { createTestDataSource, dropTestDataSource } from '../support/test-database';

const HOUR = 3_600_000;
const NO_SILENCES = { silencedAmong: () => Promise.resolve(new Set<string>()) };

/** Records what would go to the job store. */
class RecordingQueue {
  readonly queued: { name: string; payload: Record<string, string> }[] = [];

  enqueue(name: string, payloads: readonly Record<string, string>[]): Promise<void> {
    payloads.forEach((payload) => this.queued.push({ name, payload }));
    return Promise.resolve();
  }

  of(name: string): string[] {
    return this.queued
      .filter((job) => job.name === name)
      .map((job) => Object.values(job.payload)[0]);
  }
}

describe('alerts in the database', () => {
  let dataSource: DataSource;
  let pubSub: InProcessPubSub;
  let queue: RecordingQueue;
  let now: Date;

  const configWith = (env: NodeJS.ProcessEnv = {}): Config =>
    loadConfig({
      WORKER_NOTIFICATION_WEBHOOKS: 'https://receiver.example.com/hook',
      WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: 'key',
      WORKER_NOTIFICATION_GROUP_WAIT: '0',
      ...env,
    });

  const notificationsWith = (config: Config, logger: Logger) => {
    const repositories = createRepositories(dataSource);
    return new NotificationService(
      {
        deliveries: repositories.notifications,
        groups: repositories.notificationGroups,
        alerts: repositories.alerts,
        workers: repositories.workers,
      },
      dataSource,
      queue,
      { muting: () => Promise.resolve([]) },
      config,
      logger,
      () => now,
    );
  };

  const servicesWith = (env: NodeJS.ProcessEnv = {}) => {
    const config = configWith(env);
    const repositories = createRepositories(dataSource);
    const notifications = notificationsWith(config, testLogger());
    const alerts = new AlertService(
      repositories.alerts,
      dataSource,
      pubSub,
      notifications,
      NO_SILENCES,
      queue,
      config,
      testLogger(),
      () => now,
    );
    return { config, notifications, alerts };
  };

  const observe = (worker: Worker, overrides: Partial<WorkerObservation>) =>
    observationOf(worker, now, overrides);

  const insertAlert = (worker: Worker, overrides: Partial<Alert> = {}) =>
    dataSource.getRepository(Alert).save(
      dataSource.getRepository(Alert).create({
        workerId: worker.id,
        kind: AlertKind.CPU_HIGH,
        state: AlertState.FIRING,
        severity: AlertSeverity.WARNING,
        value: 97,
        threshold: 90,
        message: 'CPU at 97 %, above the 90 % threshold',
        startedAt: new Date(now.getTime() - 5 * HOUR),
        lastNotifiedAt: new Date(now.getTime() - 5 * HOUR),
        ...overrides,
      }),
    );

  const deliveriesOf = (alertId: string) =>
    dataSource
      .getRepository(AlertNotification)
      .createQueryBuilder('n')
      .where(':alertId = ANY(n.alertIds)', { alertId })
      .orderBy('n.createdAt', 'ASC')
      .addOrderBy('n.receiver', 'ASC')
      .getMany();

  /** Evaluates the observations and announces the outcome, as a poll does. */
  const applyAndAnnounce = async (alerts: AlertService, observations: WorkerObservation[]) => {
    const changes = await dataSource.transaction((manager) => alerts.apply(manager, observations));
    await alerts.announce(changes);
    return changes;
  };

  beforeAll(async () => {
    dataSource = await createTestDataSource();
  });

  afterAll(async () => {
    await dropTestDataSource(dataSource);
  });

  beforeEach(async () => {
    await dataSource.query(
      'TRUNCATE worker, alert, alert_notification, notification_group CASCADE',
    );
    pubSub = new InProcessPubSub();
    queue = new RecordingQueue();
    now = new Date('2026-06-01T12:00:00.000Z');
  });

  afterEach(async () => {
    await pubSub.close();
  });

  it('should store one alert when two evaluations of the same condition race', async () => {
    const worker = await insertWorker(dataSource);
    const a = servicesWith();
    const b = servicesWith();
    const events = collectEvents<Alert>(pubSub, 'THRESHOLD_ALERT');
    const hot = observe(worker, { cpu: 97 });

    const [first, second] = await Promise.all(
      [a, b].map(async ({ alerts }) => {
        const changes = await dataSource.transaction((manager) => alerts.apply(manager, [hot]));
        await alerts.announce(changes);
        return changes;
      }),
    );
    await events.stop();

    expect(await dataSource.getRepository(Alert).countBy({ workerId: worker.id })).toBe(1);
    expect(first.alerts.length + second.alerts.length).toBe(1);
    expect(events.received).toHaveLength(1);
    expect(queue.of(DELIVER_NOTIFICATION_JOB)).toHaveLength(2);
  });

  it('should store a delivery per receiver for the firing and the resolution, never twice', async () => {
    const worker = await insertWorker(dataSource);
    const { alerts } = servicesWith();
    const fired = await applyAndAnnounce(alerts, [observe(worker, { cpu: 97 })]);
    const [alert] = fired.alerts;
    now = new Date(now.getTime() + 5 * 60_000);
    const cool = observe(worker, {
      cpu: 10,
      open: [{ id: alert.id, kind: alert.kind, threshold: 90 }],
    });
    const resolved = await applyAndAnnounce(alerts, [cool]);
    const again = await applyAndAnnounce(alerts, [cool]);

    expect(resolved.alerts).toMatchObject([
      { id: alert.id, state: AlertState.RESOLVED, resolvedValue: 10 },
    ]);
    expect(again.alerts).toEqual([]);
    const deliveries = await deliveriesOf(alert.id);
    expect(deliveries.map((d) => [d.event, d.receiverKind, d.state])).toEqual(
      expect.arrayContaining([
        [AlertEventType.FIRING, 'CLOUDEVENTS', DeliveryState.PENDING],
        [AlertEventType.FIRING, 'PAGERDUTY', DeliveryState.PENDING],
        [AlertEventType.RESOLVED, 'CLOUDEVENTS', DeliveryState.PENDING],
        [AlertEventType.RESOLVED, 'PAGERDUTY', DeliveryState.PENDING],
      ]),
    );
    expect(deliveries).toHaveLength(4);
    expect(deliveries.map((d) => d.receiver).join(' ')).not.toContain('/hook');
  });

  it('should queue again a pending delivery whose job was lost, and leave fresh ones alone', async () => {
    const [worker, other] = [await insertWorker(dataSource), await insertWorker(dataSource)];
    const { alerts, notifications } = servicesWith();
    now = new Date(Date.now() - 10 * 60_000);
    await applyAndAnnounce(alerts, [observe(worker, { cpu: 97 })]);
    const old = queue.of(DELIVER_NOTIFICATION_JOB);
    now = new Date();
    await applyAndAnnounce(alerts, [observe(other, { cpu: 97 })]);
    const fresh = queue.of(DELIVER_NOTIFICATION_JOB).slice(old.length);
    queue.queued.length = 0;

    await notifications.requeueStalled();

    expect(old).toHaveLength(2);
    expect(fresh).toHaveLength(2);
    expect(queue.of(DELIVER_NOTIFICATION_JOB).sort()).toEqual([...old].sort());
  });

  it('should resolve the open alerts of a removed worker and tell the receivers', async () => {
    const worker = await insertWorker(dataSource);
    const { alerts } = servicesWith({ WORKER_NOTIFICATION_GROUP_INTERVAL: '1s' });
    const [open] = (await applyAndAnnounce(alerts, [observe(worker, { cpu: 97 })])).alerts;
    now = new Date(now.getTime() + 1000);
    const events = collectEvents<Alert>(pubSub, 'THRESHOLD_ALERT');

    await alerts.workersRemoved([worker.id]);
    await events.stop();

    expect(await dataSource.getRepository(Alert).findOneBy({ id: open.id })).toMatchObject({
      state: AlertState.RESOLVED,
      resolution: 'worker removed from the registry',
      resolvedAt: now,
    });
    expect(events.received).toMatchObject([{ id: open.id, state: AlertState.RESOLVED }]);
    expect((await deliveriesOf(open.id)).map((d) => d.event)).toEqual([
      AlertEventType.FIRING,
      AlertEventType.FIRING,
      AlertEventType.RESOLVED,
      AlertEventType.RESOLVED,
    ]);
  });

  it('should raise IDLE for a long-idle running worker and queue its stop when auto-stop is on', async () => {
    const worker = await insertWorker(dataSource);
    const { alerts } = servicesWith({ WORKER_IDLE_AFTER: '2h', WORKER_IDLE_AUTO_STOP: 'true' });

    const changes = await dataSource.transaction((manager) =>
      alerts.apply(manager, [
        observe(worker, {
          cpu: 1,
          state: {
            cpuHighStreak: 0,
            memoryHighStreak: 0,
            cmlFailureStreak: 0,
            lastActivityAt: new Date(now.getTime() - 3 * HOUR),
          },
        }),
      ]),
    );
    await alerts.announce(changes);

    expect(changes.alerts).toMatchObject([
      { kind: AlertKind.IDLE, severity: AlertSeverity.INFO, value: 1, threshold: 5 },
    ]);
    expect(queue.of(REMEDIATE_WORKER_JOB)).toEqual([changes.alerts[0].id]);
  });

  describe('delivery', () => {
    const receiverAnswering = async (status: number) => {
      const server = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.statusCode = status;
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    };

    const pendingDeliveryTo = async (url: string, env: NodeJS.ProcessEnv = {}) => {
      const worker = await insertWorker(dataSource);
      const services = servicesWith({
        WORKER_NOTIFICATION_WEBHOOKS: url,
        WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: '',
        ...env,
      });
      await applyAndAnnounce(services.alerts, [observe(worker, { cpu: 97 })]);
      return { ...services, notificationId: queue.of(DELIVER_NOTIFICATION_JOB)[0] };
    };

    const stored = (id: string) => dataSource.getRepository(AlertNotification).findOneBy({ id });

    it('should keep the webhook secret and the URL path out of the logs', async () => {
      const receiver = await receiverAnswering(503);
      const lines: string[] = [];
      const logger = createLogger('debug', { write: (line: string) => lines.push(line) });
      const config = configWith({
        WORKER_NOTIFICATION_WEBHOOKS: `${receiver.url}/T0001/B0001/tokenInThePath`,
        WORKER_NOTIFICATION_WEBHOOK_SECRET: 'the-signing-secret',
        WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: 'the-routing-key',
      });
      const repositories = createRepositories(dataSource);
      const notifications = notificationsWith(config, logger);
      const alerts = new AlertService(
        repositories.alerts,
        dataSource,
        pubSub,
        notifications,
        NO_SILENCES,
        queue,
        config,
        logger,
        () => now,
      );
      const worker = await insertWorker(dataSource);
      await applyAndAnnounce(alerts, [observe(worker, { cpu: 97 })]);

      for (const id of queue.of(DELIVER_NOTIFICATION_JOB)) {
        await notifications.deliver(id).catch(() => undefined);
      }
      logger.info({ config }, 'configuration');
      await receiver.close();

      const logs = lines.join('');
      expect(logs).toContain('notification delivery failed; retrying');
      for (const secret of ['tokenInThePath', 'the-signing-secret', 'the-routing-key']) {
        expect(logs).not.toContain(secret);
      }
    });

    it('should record a delivery refused with 404 as failed at once, without retrying', async () => {
      const receiver = await receiverAnswering(404);
      const { notifications, notificationId } = await pendingDeliveryTo(receiver.url);

      await notifications.deliver(notificationId);
      await notifications.deliver(notificationId);
      await receiver.close();

      expect(await stored(notificationId)).toMatchObject({
        state: DeliveryState.FAILED,
        attempts: 1,
        lastError: 'HTTP 404 Not Found',
      });
    });

    it('should ask for a retry while attempts remain, then record the failure', async () => {
      const receiver = await receiverAnswering(503);
      const { notifications, notificationId } = await pendingDeliveryTo(receiver.url, {
        WORKER_NOTIFICATION_MAX_ATTEMPTS: '2',
      });

      const first = notifications.deliver(notificationId);
      await expect(first).rejects.toBeInstanceOf(RetryableDeliveryError);
      const afterFirst = await stored(notificationId);
      await notifications.deliver(notificationId);
      await receiver.close();

      expect(afterFirst).toMatchObject({ state: DeliveryState.PENDING, attempts: 1 });
      expect(await stored(notificationId)).toMatchObject({
        state: DeliveryState.FAILED,
        attempts: 2,
        lastError: 'HTTP 503 Service Unavailable',
        deliveredAt: null,
      });
    });
  });

  describe('remediation', () => {
    const driver = () => {
      const calls: string[] = [];
      let failure: Error | undefined;
      return {
        calls,
        failWith: (error: Error) => (failure = error),
        findById: (id: string) => dataSource.getRepository(Worker).findOneBy({ id }),
        start: (id: string) => {
          calls.push(`start ${id}`);
          return failure ? Promise.reject(failure) : Promise.resolve({} as Worker);
        },
        stop: (id: string) => {
          calls.push(`stop ${id}`);
          return failure ? Promise.reject(failure) : Promise.resolve({} as Worker);
        },
      };
    };
    /** What the worker's controller says when asked just before an idle stop. */
    const controllerSays = (answer: Pick<CmlObservation, 'status' | 'labs'>): CmlReader => ({
      observe: (workers) =>
        Promise.resolve(
          new Map(workers.map((worker) => [worker.id, { error: null, details: null, ...answer }])),
        ),
    });
    const noLab = controllerSays({
      status: CmlServiceStatus.AVAILABLE,
      labs: { list: [], labsTotal: 0, labsRunning: 0, nodesTotal: 0, nodesRunning: 0 },
    });
    const remediationWith = (lifecycle: ReturnType<typeof driver>, controllers = noLab) =>
      new RemediationService(
        createRepositories(dataSource).alerts,
        createRepositories(dataSource).remediations,
        lifecycle,
        configWith({ WORKER_AUTO_REMEDIATION: 'true', WORKER_AUTO_REMEDIATION_MAX_ATTEMPTS: '3' }),
        testLogger(),
        () => now,
        controllers,
      );
    const attemptsOf = (alertId: string) =>
      dataSource.getRepository(AlertRemediation).findBy({ alertId });
    const stoppedAlert = (worker: Worker) =>
      insertAlert(worker, {
        kind: AlertKind.STOPPED_UNEXPECTEDLY,
        value: null,
        threshold: null,
        startedAt: now,
      });

    it('should start a worker that stopped unexpectedly, once per alert', async () => {
      const worker = await insertWorker(dataSource, { status: WorkerStatus.STOPPED });
      const alert = await stoppedAlert(worker);
      const lifecycle = driver();

      await remediationWith(lifecycle).remediate(alert.id);
      await remediationWith(lifecycle).remediate(alert.id);

      expect(lifecycle.calls).toEqual([`start ${worker.id}`]);
      expect(await attemptsOf(alert.id)).toMatchObject([
        { action: WorkerAction.START, outcome: RemediationOutcome.REQUESTED, detail: null },
      ]);
    });

    it('should skip a fourth restart within 24 hours, and try again after', async () => {
      const worker = await insertWorker(dataSource, { status: WorkerStatus.STOPPED });
      const lifecycle = driver();
      for (let hour = 20; hour > 17; hour -= 1) {
        const earlier = await stoppedAlert(worker);
        await dataSource.getRepository(AlertRemediation).insert({
          alertId: earlier.id,
          workerId: worker.id,
          action: WorkerAction.START,
          outcome: RemediationOutcome.REQUESTED,
          attemptedAt: new Date(now.getTime() - hour * HOUR),
        });
        await dataSource.getRepository(Alert).update(earlier.id, { state: AlertState.RESOLVED });
      }
      const fourth = await stoppedAlert(worker);

      await remediationWith(lifecycle).remediate(fourth.id);
      now = new Date(now.getTime() + 5 * HOUR);
      await dataSource.getRepository(Alert).update(fourth.id, { state: AlertState.RESOLVED });
      const fifth = await stoppedAlert(worker);
      await remediationWith(lifecycle).remediate(fifth.id);

      expect(await attemptsOf(fourth.id)).toMatchObject([
        {
          outcome: RemediationOutcome.SKIPPED,
          detail: expect.stringContaining('3 restarts in the last 24 h'),
        },
      ]);
      expect(lifecycle.calls).toEqual([`start ${worker.id}`]);
      expect(await attemptsOf(fifth.id)).toMatchObject([{ outcome: RemediationOutcome.REQUESTED }]);
    });

    it('should record a failed attempt with its error, and do nothing for a resolved alert', async () => {
      const worker = await insertWorker(dataSource, { status: WorkerStatus.STOPPED });
      const failing = await stoppedAlert(worker);
      const lifecycle = driver();
      lifecycle.failWith(new Error('InsufficientInstanceCapacity'));

      await remediationWith(lifecycle).remediate(failing.id);
      await dataSource.getRepository(Alert).update(failing.id, { state: AlertState.RESOLVED });
      const resolved = await stoppedAlert(worker);
      await dataSource.getRepository(Alert).update(resolved.id, { state: AlertState.RESOLVED });
      await remediationWith(lifecycle).remediate(resolved.id);

      expect(await attemptsOf(failing.id)).toMatchObject([
        { outcome: RemediationOutcome.FAILED, detail: 'InsufficientInstanceCapacity' },
      ]);
      expect(await attemptsOf(resolved.id)).toEqual([]);
      expect(lifecycle.calls).toHaveLength(1);
    });

    it('should stop an idle worker whose controller says no lab runs', async () => {
      const worker = await insertWorker(dataSource, {
        cmlStatus: CmlServiceStatus.AVAILABLE,
        labsRunning: 0,
        nodesRunning: 0,
      });
      const idle = await insertAlert(worker, {
        kind: AlertKind.IDLE,
        severity: AlertSeverity.INFO,
      });
      const lifecycle = driver();

      await remediationWith(lifecycle).remediate(idle.id);

      expect(lifecycle.calls).toEqual([`stop ${worker.id}`]);
      expect(await attemptsOf(idle.id)).toMatchObject([
        { action: WorkerAction.STOP, outcome: RemediationOutcome.REQUESTED },
      ]);
    });

    it.each([
      [
        'its controller, asked just before the stop, says a lab started since the last poll',
        controllerSays({
          status: CmlServiceStatus.AVAILABLE,
          labs: { list: [], labsTotal: 1, labsRunning: 1, nodesTotal: 8, nodesRunning: 8 },
        }),
        '1 lab(s) and 8 node(s) running when asked just before the stop',
      ],
      [
        'its controller does not answer just before the stop',
        controllerSays({ status: CmlServiceStatus.UNAVAILABLE, labs: null }),
        'CML could not be asked just before the stop (status UNAVAILABLE)',
      ],
    ])('should never stop an idle worker when %s', async (_case, controllers, detail) => {
      const worker = await insertWorker(dataSource, {
        cmlStatus: CmlServiceStatus.AVAILABLE,
        labsRunning: 0,
        nodesRunning: 0,
      });
      const idle = await insertAlert(worker, {
        kind: AlertKind.IDLE,
        severity: AlertSeverity.INFO,
      });
      const lifecycle = driver();

      await remediationWith(lifecycle, controllers).remediate(idle.id);

      expect(lifecycle.calls).toEqual([]);
      expect(await attemptsOf(idle.id)).toMatchObject([
        { outcome: RemediationOutcome.SKIPPED, detail: expect.stringContaining(detail) as string },
      ]);
    });

    it.each([
      [
        'a lab runs on it now',
        { cmlStatus: CmlServiceStatus.AVAILABLE, labsRunning: 1, nodesRunning: 6 },
        '1 lab(s) and 6 node(s) running',
      ],
      [
        'a node runs on it now',
        { cmlStatus: CmlServiceStatus.AVAILABLE, labsRunning: 0, nodesRunning: 1 },
        '0 lab(s) and 1 node(s) running',
      ],
      [
        'its controller could not be asked',
        { cmlStatus: CmlServiceStatus.UNAVAILABLE, labsRunning: 0, nodesRunning: 0 },
        'CML could not be asked (status UNAVAILABLE)',
      ],
    ])('should never stop an idle worker when %s', async (_case, row, detail) => {
      const worker = await insertWorker(dataSource, row);
      const idle = await insertAlert(worker, {
        kind: AlertKind.IDLE,
        severity: AlertSeverity.INFO,
      });
      const lifecycle = driver();

      await remediationWith(lifecycle).remediate(idle.id);

      expect(lifecycle.calls).toEqual([]);
      expect(await attemptsOf(idle.id)).toMatchObject([
        {
          action: WorkerAction.STOP,
          outcome: RemediationOutcome.SKIPPED,
          detail: expect.stringContaining(detail) as string,
        },
      ]);
    });
  });
});
