import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { AlertNotification } from '../../src/entities/alert-notification.entity';
import { Alert } from '../../src/entities/alert.entity';
import { AlertEventType, AlertState, ReceiverKind } from '../../src/entities/alert.enums';
import {
  NotificationGroup,
  NotificationGroupAlert,
} from '../../src/entities/notification-group.entity';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import type { Worker } from '../../src/entities/worker.entity';
import { DELIVER_NOTIFICATION_JOB } from '../../src/jobs/job-catalogue';
import { createRepositories } from '../../src/repositories/repositories';
import { AlertService, type WorkerObservation } from '../../src/services/alerts/alert.service';
import type { MutingSilence } from '../../src/services/notifications/group-flush';
import type { GroupNotice } from '../../src/services/notifications/group-notice';
import { NotificationService } from '../../src/services/notifications/notification.service';
import { InProcessPubSub } from '../../src/services/pubsub/in-process.pub-sub';
import { insertWorker } from '../support/factories';
import { observationOf } from '../support/observations';
import { testLogger } from '../support/silent-logger';
import { createTestDataSource, dropTestDataSource } from '../support/test-database';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const WEBHOOK = 'https://receiver.example.com/hook';

/** Records what would go to the job store. */
class RecordingQueue {
  readonly deliveries: string[] = [];

  enqueue(name: string, payloads: readonly Record<string, string>[]): Promise<void> {
    if (name === DELIVER_NOTIFICATION_JOB) {
      payloads.forEach((payload) => this.deliveries.push(payload.notificationId));
    }
    return Promise.resolve();
  }
}

describe('grouped notifications', () => {
  let dataSource: DataSource;
  let pubSub: InProcessPubSub;
  let queue: RecordingQueue;
  let now: Date;
  let silences: MutingSilence[];

  const servicesWith = (env: NodeJS.ProcessEnv = {}) => {
    const config = loadConfig({
      WORKER_NOTIFICATION_WEBHOOKS: WEBHOOK,
      WORKER_NOTIFICATION_PAGERDUTY_ROUTING_KEY: 'routing-key',
      WORKER_NOTIFICATION_GROUP_WAIT: '30s',
      WORKER_NOTIFICATION_GROUP_INTERVAL: '5m',
      PUBLIC_URL: 'https://cwm.example.org/',
      ...env,
    });
    const repositories = createRepositories(dataSource);
    const notifications = new NotificationService(
      {
        deliveries: repositories.notifications,
        groups: repositories.notificationGroups,
        alerts: repositories.alerts,
        workers: repositories.workers,
      },
      dataSource,
      queue,
      { muting: (at) => Promise.resolve(silences.filter((s) => s.endsAt > at)) },
      config,
      testLogger(),
      () => now,
    );
    const alerts = new AlertService(
      repositories.alerts,
      dataSource,
      pubSub,
      notifications,
      { silencedAmong: () => Promise.resolve(new Set<string>()) },
      queue,
      config,
      testLogger(),
      () => now,
    );
    return { notifications, alerts };
  };

  const observe = (worker: Worker, overrides: Partial<WorkerObservation>) =>
    observationOf(worker, now, overrides);

  /** One poll of these workers at `cpu`, committed and announced; returns what changed. */
  const poll = async (alerts: AlertService, workers: Worker[], cpu: number) => {
    const open = await dataSource.getRepository(Alert).findBy({ state: AlertState.FIRING });
    const changes = await dataSource.transaction((manager) =>
      alerts.apply(
        manager,
        workers.map((worker) =>
          observe(worker, {
            cpu,
            open: open
              .filter((alert) => alert.workerId === worker.id)
              .map(({ id, kind, threshold }) => ({ id, kind, threshold })),
          }),
        ),
      ),
    );
    await alerts.announce(changes);
    return changes.alerts;
  };

  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  const deliveries = () =>
    dataSource
      .getRepository(AlertNotification)
      .find({ order: { createdAt: 'ASC', receiver: 'ASC' } });

  const noticesTo = async (kind: `${ReceiverKind}`) =>
    (await deliveries())
      .filter((d) => d.receiverKind === (kind as ReceiverKind))
      .map((d) => d.notice as GroupNotice);

  const workers = (count: number, overrides: Partial<Worker> = {}) =>
    Promise.all(Array.from({ length: count }, () => insertWorker(dataSource, overrides)));

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
    now = new Date('2026-06-01T09:00:00.000Z');
    silences = [];
  });

  afterEach(async () => {
    await pubSub.close();
  });

  it('should tell each receiver once of 250 workers going hot together, after the group wait, and once when they cool', async () => {
    const fleet = await workers(250);
    const { alerts, notifications } = servicesWith();

    expect(await poll(alerts, fleet, 97)).toHaveLength(250);
    await notifications.flushDue();
    expect(await deliveries()).toEqual([]);

    later(30 * SECOND);
    await notifications.flushDue();
    await notifications.flushDue();

    const fired = await deliveries();
    expect(fired.map((d) => [d.receiverKind, d.event, d.alertIds.length])).toEqual([
      ['PAGERDUTY', 'FIRING', 250],
      ['CLOUDEVENTS', 'FIRING', 250],
    ]);
    expect(queue.deliveries.sort()).toEqual(fired.map((d) => d.id).sort());
    const [notice] = await noticesTo('CLOUDEVENTS');
    expect(notice).toMatchObject({
      type: 'FIRING',
      firingCount: 250,
      resolvedCount: 0,
      groupResolved: false,
      group: {
        key: 'kind=CPU_HIGH,region=eu-west-1,severity=WARNING',
        labels: { kind: 'CPU_HIGH', severity: 'WARNING', region: 'eu-west-1' },
      },
      link: 'https://cwm.example.org/',
    });
    expect(notice.firing[0]).toMatchObject({
      isNew: true,
      link: `https://cwm.example.org/#/workers/${notice.firing[0].workerId}`,
      worker: { awsRegion: 'eu-west-1' },
    });
    expect(
      (await dataSource.getRepository(Alert).findBy({ state: AlertState.FIRING })).every(
        (alert) => alert.lastNotifiedAt?.getTime() === now.getTime(),
      ),
    ).toBe(true);

    later(MINUTE);
    expect(await poll(alerts, fleet, 10)).toHaveLength(250);
    await notifications.flushDue();
    expect(await deliveries()).toHaveLength(2);

    later(4 * MINUTE);
    await notifications.flushDue();
    const resolved = (await deliveries()).slice(2);
    expect(resolved.map((d) => [d.receiverKind, d.event, d.alertIds.length])).toEqual([
      ['PAGERDUTY', 'RESOLVED', 250],
      ['CLOUDEVENTS', 'RESOLVED', 250],
    ]);
    expect(resolved[0].notice).toMatchObject({
      resolvedCount: 250,
      firingCount: 0,
      groupResolved: true,
      group: { dedupKey: (fired[0].notice as GroupNotice).group.dedupKey },
    });
    expect(await dataSource.getRepository(NotificationGroup).count()).toBe(0);
    expect(await dataSource.getRepository(NotificationGroupAlert).count()).toBe(0);
  });

  it('should send later changes to a group at most once per group interval, listing what is new', async () => {
    const [first, ...rest] = await workers(4);
    const { alerts, notifications } = servicesWith();
    await poll(alerts, [first], 97);
    later(30 * SECOND);
    await notifications.flushDue();

    later(MINUTE);
    await poll(alerts, rest.slice(0, 2), 97);
    later(MINUTE);
    await poll(alerts, rest.slice(2), 97);
    await notifications.flushDue();
    expect(await noticesTo('CLOUDEVENTS')).toHaveLength(1);

    later(3 * MINUTE);
    await notifications.flushDue();

    const [, update] = await noticesTo('CLOUDEVENTS');
    expect(update).toMatchObject({ type: 'FIRING', firingCount: 4 });
    const listed = update.firing.map((alert) => [alert.workerId, alert.isNew]);
    expect(listed.slice(0, 3)).toEqual(
      expect.arrayContaining(rest.map((worker) => [worker.id, true])),
    );
    expect(listed[3]).toEqual([first.id, false]);
  });

  it('should group by kind, severity and region by default, and by the configured labels', async () => {
    const west = await workers(2);
    const east = await workers(2, { awsRegion: 'us-east-1' });
    const byRegion = servicesWith();
    await poll(byRegion.alerts, [...west, ...east], 97);
    later(30 * SECOND);
    await byRegion.notifications.flushDue();

    expect((await noticesTo('CLOUDEVENTS')).map((n) => [n.group.key, n.firingCount])).toEqual(
      expect.arrayContaining([
        ['kind=CPU_HIGH,region=eu-west-1,severity=WARNING', 2],
        ['kind=CPU_HIGH,region=us-east-1,severity=WARNING', 2],
      ]),
    );

    await dataSource.query('TRUNCATE alert, alert_notification, notification_group CASCADE');
    const byKind = servicesWith({ WORKER_NOTIFICATION_GROUP_BY: 'kind' });
    await poll(byKind.alerts, [...west, ...east], 97);
    later(30 * SECOND);
    await byKind.notifications.flushDue();

    expect((await noticesTo('CLOUDEVENTS')).map((n) => [n.group.key, n.firingCount])).toEqual([
      ['kind=CPU_HIGH', 4],
    ]);
  });

  it('should remind a group of its unacknowledged alerts once per repeat interval, never PagerDuty', async () => {
    const fleet = await workers(3);
    const { alerts, notifications } = servicesWith({ WORKER_ALERT_REPEAT_INTERVAL: '4h' });
    const fired = await poll(alerts, fleet, 97);
    later(30 * SECOND);
    await notifications.flushDue();
    await alerts.acknowledge(fired[0].id);

    later(2 * HOUR);
    await notifications.flushDue();
    later(2 * HOUR);
    await notifications.flushDue();
    await notifications.flushDue();

    const reminders = (await deliveries()).filter((d) => d.event === AlertEventType.REMINDER);
    expect(reminders.map((d) => d.receiverKind)).toEqual(['CLOUDEVENTS']);
    expect(reminders[0].notice).toMatchObject({ type: 'REMINDER', firingCount: 3 });
    const reminded = await dataSource.getRepository(Alert).find({ order: { reminders: 'ASC' } });
    expect(reminded.map((alert) => alert.reminders)).toEqual([0, 1, 1]);

    await alerts.acknowledge(fired[1].id);
    await alerts.acknowledge(fired[2].id);
    later(4 * HOUR);
    await notifications.flushDue();
    expect((await deliveries()).filter((d) => d.event === AlertEventType.REMINDER)).toHaveLength(1);
  });

  it('should send each group once when two services flush at the same time', async () => {
    const regions = ['eu-west-1', 'us-east-1', 'us-west-2', 'ap-south-1', 'sa-east-1'];
    const fleet = (
      await Promise.all(regions.map((awsRegion) => workers(20, { awsRegion })))
    ).flat();
    const a = servicesWith();
    const b = servicesWith();
    await poll(a.alerts, fleet, 97);
    later(30 * SECOND);

    await Promise.all([
      a.notifications.flushDue(),
      b.notifications.flushDue(),
      a.notifications.flushDue(),
      b.notifications.flushDue(),
    ]);

    const sent = await deliveries();
    expect(sent).toHaveLength(regions.length * 2);
    expect(new Set(sent.map((d) => `${d.eventId} ${d.receiverKey}`)).size).toBe(sent.length);
    expect(new Set(queue.deliveries).size).toBe(sent.length);
  });

  it('should lose nothing when a flush fails half-way: the next one sends it', async () => {
    const fleet = await workers(3);
    const { alerts, notifications } = servicesWith();
    await poll(alerts, fleet, 97);
    later(30 * SECOND);
    const insert = jest
      .spyOn(createRepositoriesPrototype(), 'insert')
      .mockRejectedValueOnce(new Error('connection lost'));

    await expect(notifications.flushDue()).rejects.toThrow('connection lost');
    expect(await deliveries()).toEqual([]);
    expect(await dataSource.getRepository(NotificationGroupAlert).countBy({ notified: true })).toBe(
      0,
    );
    insert.mockRestore();
    await notifications.flushDue();

    expect((await deliveries()).map((d) => d.alertIds.length)).toEqual([3, 3]);
  });

  it('should hold back silenced alerts, and notify the ones still firing as new when the silence ends', async () => {
    const west = await workers(3);
    const east = await workers(1, { awsRegion: 'us-east-1' });
    const { alerts, notifications } = servicesWith();
    silences = [
      {
        endsAt: new Date(now.getTime() + HOUR),
        matches: (facts) => facts.awsRegion === 'eu-west-1',
      },
    ];
    await poll(alerts, [...west, ...east], 97);
    later(30 * SECOND);
    await notifications.flushDue();

    expect((await noticesTo('CLOUDEVENTS')).map((n) => n.group.key)).toEqual([
      'kind=CPU_HIGH,region=us-east-1,severity=WARNING',
    ]);
    expect(
      await dataSource.getRepository(NotificationGroupAlert).count({ where: { notified: false } }),
    ).toBe(3 * 2);

    later(10 * MINUTE);
    await poll(alerts, west.slice(0, 1), 10);
    silences = [];
    await notifications.silenceEnded();
    await notifications.flushDue();

    const notices = await noticesTo('CLOUDEVENTS');
    expect(notices).toHaveLength(2);
    expect(notices[1]).toMatchObject({ type: 'FIRING', firingCount: 2, resolvedCount: 0 });
    expect(notices[1].firing.every((alert) => alert.isNew)).toBe(true);
  });

  it('should look at silenced alerts again when their silence runs out', async () => {
    const fleet = await workers(2);
    const { alerts, notifications } = servicesWith();
    silences = [{ endsAt: new Date(now.getTime() + 20 * MINUTE), matches: () => true }];
    await poll(alerts, fleet, 97);
    later(30 * SECOND);
    await notifications.flushDue();
    later(10 * MINUTE);
    await notifications.flushDue();
    expect(await deliveries()).toEqual([]);

    later(10 * MINUTE);
    await notifications.flushDue();

    expect((await noticesTo('CLOUDEVENTS')).map((n) => n.firingCount)).toEqual([2]);
  });

  it('should route by severity: CRITICAL to PagerDuty and the webhook, INFO to the webhook only', async () => {
    const [asked, unasked] = await workers(2);
    const { alerts, notifications } = servicesWith({ WORKER_NOTIFICATION_GROUP_WAIT: '0' });
    const terminated = (worker: Worker, requested: boolean) =>
      observe(worker, {
        status: WorkerStatus.TERMINATED,
        requested: requested
          ? { action: 'TERMINATE' as never, at: new Date(now.getTime() - MINUTE) }
          : null,
        cpu: null,
        memory: null,
      });

    const changes = await dataSource.transaction((manager) =>
      alerts.apply(manager, [terminated(asked, true), terminated(unasked, false)]),
    );
    await alerts.announce(changes);
    await notifications.flushDue();

    const sent = await deliveries();
    expect(
      sent.map((d) => [d.receiverKind, (d.notice as GroupNotice).group.labels.severity]).sort(),
    ).toEqual([
      ['CLOUDEVENTS', 'CRITICAL'],
      ['CLOUDEVENTS', 'INFO'],
      ['PAGERDUTY', 'CRITICAL'],
    ]);
    expect((await noticesTo('PAGERDUTY'))[0]).toMatchObject({ type: 'FIRING', firingCount: 1 });
    expect(await dataSource.getRepository(NotificationGroup).count()).toBe(0);
  });

  it('should acknowledge a PagerDuty incident once every alert it was told of is acknowledged', async () => {
    const fleet = await workers(2);
    const { alerts, notifications } = servicesWith();
    const fired = await poll(alerts, fleet, 97);
    await alerts.acknowledge(fired[0].id);
    expect(await deliveries()).toEqual([]);

    later(30 * SECOND);
    await notifications.flushDue();
    const [other] = fired.slice(1);
    await alerts.acknowledge(other.id);
    await alerts.acknowledge(other.id);

    const acknowledgements = (await deliveries()).filter(
      (d) => d.event === AlertEventType.ACKNOWLEDGED,
    );
    expect(acknowledgements.map((d) => [d.receiverKind, d.alertIds])).toEqual([
      ['PAGERDUTY', [other.id]],
      ['CLOUDEVENTS', [other.id]],
    ]);
    const [pagerDuty, cloudEvent] = acknowledgements.map((d) => d.notice as GroupNotice);
    const [firing] = await noticesTo('PAGERDUTY');
    expect(pagerDuty.group.dedupKey).toBe(firing.group.dedupKey);
    expect(cloudEvent.eventId).toBe(`${other.id}:acknowledged`);
    expect(cloudEvent.firing[0]).toMatchObject({ id: other.id, acknowledgedAt: now.toISOString() });
  });
});

/** The delivery repository's prototype, whose insert a test makes fail once. */
function createRepositoriesPrototype() {
  return Object.getPrototypeOf(
    createRepositories({ getRepository: () => ({}) } as never).notifications,
  ) as { insert: (...args: unknown[]) => Promise<string[]> };
}
