import type { Config } from '../../config';
import type { Alert } from '../../entities/alert.entity';
import {
  AlertEventType,
  AlertSeverity,
  AlertState,
  DeliveryState,
} from '../../entities/alert.enums';
import { DELIVER_NOTIFICATION_JOB, RetryableJobError } from '../../jobs/job-catalogue';
import type { JobQueue } from '../../jobs/job-queue';
import { groupBy } from '../../lib/maps';
import type { Logger } from '../../logger';
import type { DeliveryOutcome } from '../../observability/metrics';
import type {
  AlertNotificationRepository,
  DeliveryRow,
  NewDelivery,
} from '../../repositories/alert-notification.repository';
import type { AlertRepository } from '../../repositories/alert.repository';
import type {
  GroupOutcome,
  NewMember,
  NotificationGroupRepository,
} from '../../repositories/notification-group.repository';
import type { Queryable, Transactor } from '../../repositories/sql-result';
import type { WorkerRepository } from '../../repositories/worker.repository';
import { resolvedAsItFired } from '../alerts/alert-rules';
import { buildOutgoing } from './alert-notice';
import {
  decideFlush,
  dedupKeyOf,
  groupOf,
  type MutingSilence,
  noticeAlertOf,
  noticeLink,
} from './group-flush';
import type { GroupNotice } from './group-notice';
import { NotificationSender } from './notification-sender';
import { type NotificationSettings, type Receiver, receiversOf, routeTakes } from './receivers';

/** Told of each delivery attempt's outcome (the service's metrics). */
export type DeliveryObserver = (receiverKind: string, outcome: DeliveryOutcome) => void;

/** The silences active now, as the notifications need them. */
export interface ActiveSilences {
  muting(at: Date): Promise<MutingSilence[]>;
}

/** A delivery worth another attempt; the job store retries the job after its backoff. */
export class RetryableDeliveryError extends RetryableJobError {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableDeliveryError';
  }
}

export interface NotificationStore {
  deliveries: AlertNotificationRepository;
  groups: NotificationGroupRepository;
  alerts: AlertRepository;
  /** The names and regions alerts are grouped and silenced by, at the time they fire. */
  workers: Pick<WorkerRepository, 'namesAndRegions'>;
}

/** A notification still pending after this long without a job gets its job queued again. */
const STALLED_AFTER_MS = 60_000;
const STALLED_BATCH = 1000;
/** Groups one transaction flushes; a sweep goes on while batches come back full. */
const FLUSH_BATCH = 100;
const FLUSH_ROUNDS = 50;

/**
 * Alerts to receivers, the Alertmanager way. An alert joins one group per receiver that takes
 * it (its route), by the grouping labels; a group's first notification waits the group wait to
 * gather its alerts, later changes go at most once per group interval, reminders follow the
 * repeat interval. The group rows are the locks: of several processes, one flushes a group.
 * Each notification is one delivery row, sent by its own retried job. Delivery is at least
 * once: receivers deduplicate on the event id (webhook-id, CloudEvents id) or the dedup key.
 */
export class NotificationService {
  private readonly receivers: Map<string, Receiver>;
  private readonly settings: NotificationSettings;
  private readonly sender: NotificationSender;

  constructor(
    private readonly store: NotificationStore,
    private readonly transactions: Transactor,
    private readonly jobs: JobQueue,
    private readonly silences: ActiveSilences,
    private readonly config: Pick<Config, 'notifications' | 'alerts'>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly onAttempt: DeliveryObserver = () => undefined,
  ) {
    const { webhookUrls, webhookSecret, pagerDuty, opsgenie, email, source, timeoutMs } =
      config.notifications;
    const { publicUrl, routes } = config.notifications;
    this.settings = {
      webhookUrls,
      webhookSecret,
      pagerDuty,
      opsgenie,
      email,
      source,
      timeoutMs,
      publicUrl,
      routes,
    };
    this.receivers = new Map(receiversOf(this.settings).map((r) => [r.key, r]));
    this.sender = new NotificationSender(this.settings);
  }

  /** Where notifications go, as operators see them (no secrets). */
  receiverLabels(): string[] {
    return [...this.receivers.values()].map((receiver) => receiver.label);
  }

  /**
   * Puts fired alerts in their groups and marks the groups of resolved ones as changed, in the
   * caller's transaction. Says whether a group is due already (no group wait): then `flushDue`
   * right after the commit sends it without waiting for the sweep.
   */
  async plan(tx: Queryable, fired: readonly Alert[], resolved: readonly Alert[]): Promise<boolean> {
    if (this.receivers.size === 0) {
      return false;
    }
    const timing = this.timing();
    const members = await this.membersOf(tx, fired);
    const joined = await this.store.groups.join(tx, members, timing);
    const changed = await this.store.groups.changed(
      tx,
      resolved.map((alert) => alert.id),
      timing,
    );
    return joined || changed;
  }

  /** Sends what is due in every group: new alerts, resolutions, reminders. */
  async flushDue(): Promise<void> {
    for (let round = 0; round < FLUSH_ROUNDS; round += 1) {
      const { notificationIds, claimed } = await this.transactions.transaction((tx) =>
        this.flushBatch(tx),
      );
      await this.queue(notificationIds);
      if (claimed < FLUSH_BATCH) {
        return;
      }
    }
  }

  /**
   * The first acknowledgement of a firing alert: CloudEvents receivers are told of it, and
   * PagerDuty and Opsgenie acknowledge their incident once every alert they were told fires
   * in the group is acknowledged. Only receivers already told of the alert hear of it.
   */
  async acknowledged(alert: Alert): Promise<void> {
    if (alert.state !== AlertState.FIRING || this.receivers.size === 0) {
      return;
    }
    const notificationIds = await this.transactions.transaction(async (tx) => {
      const now = this.now();
      const [worker] = await this.store.workers.namesAndRegions([alert.workerId], tx);
      const told = noticeAlertOf(
        { alert: jsonAlert(alert), worker: worker ?? null },
        false,
        this.settings.publicUrl,
      );
      const groups = await this.store.groups.acknowledgedGroups(tx, alert.id);
      const rows: NewDelivery[] = [];
      const wholeGroups: string[] = [];
      for (const group of groups) {
        const receiver = this.receivers.get(group.receiverKey);
        if (!receiver) {
          continue;
        }
        const perGroup = receiver.kind === 'PAGERDUTY' || receiver.kind === 'OPSGENIE';
        if (perGroup && (!group.allAcknowledged || group.acknowledgementSent)) {
          continue;
        }
        const notice: GroupNotice = {
          eventId: perGroup ? `${group.id}:acknowledged` : `${alert.id}:acknowledged`,
          type: 'ACKNOWLEDGED',
          occurredAt: now.toISOString(),
          group: {
            id: group.id,
            key: group.groupKey,
            labels: group.labels,
            dedupKey: dedupKeyOf(group.id),
          },
          firing: [told],
          firingCount: 1,
          resolved: [],
          resolvedCount: 0,
          groupResolved: false,
          link: noticeLink(this.settings.publicUrl, [told]),
        };
        const row = this.deliveryOf(receiver, notice, [alert.id], now);
        if (row) {
          rows.push(row);
          if (perGroup) {
            wholeGroups.push(group.id);
          }
        }
      }
      await this.store.groups.markAcknowledgementSent(tx, wholeGroups);
      return this.store.deliveries.insert(tx, rows, now);
    });
    await this.queue(notificationIds);
  }

  /** A silence ended early: the alerts it held back are notified at their group's next turn. */
  async silenceEnded(): Promise<void> {
    const due = await this.transactions.transaction((tx) =>
      this.store.groups.unmute(tx, { at: this.now(), intervalMs: this.timing().intervalMs }),
    );
    if (due) {
      await this.flushDue();
    }
  }

  /**
   * One attempt. Returns when the delivery is done with (delivered, or failed for good); throws
   * a RetryableDeliveryError when it should be tried again.
   */
  async deliver(notificationId: string): Promise<void> {
    const row = await this.store.deliveries.load(notificationId);
    if (!row || row.state !== DeliveryState.PENDING) {
      return;
    }
    const receiver = this.receivers.get(row.receiverKey);
    if (!receiver) {
      await this.record(row, DeliveryState.FAILED, 'receiver no longer configured', false);
      return;
    }
    const outgoing = row.notice && buildOutgoing(receiver, row.notice, this.settings, this.now());
    if (!outgoing) {
      await this.record(row, DeliveryState.FAILED, 'receiver does not take this event', false);
      return;
    }
    const result = await this.sender.send(outgoing);
    if (result.ok) {
      await this.record(row, DeliveryState.DELIVERED, null, true);
      this.onAttempt(receiver.kind, 'delivered');
      return;
    }
    const attempts = row.attempts + 1;
    const retry = result.retryable && attempts < this.config.notifications.maxAttempts;
    this.onAttempt(receiver.kind, retry ? 'retry' : 'failed');
    await this.record(
      row,
      retry ? DeliveryState.PENDING : DeliveryState.FAILED,
      result.error,
      true,
    );
    const context = {
      notificationId,
      eventId: row.notice?.eventId,
      receiver: row.receiver,
      attempts,
      error: result.error,
    };
    if (retry) {
      this.logger.warn(context, 'notification delivery failed; retrying');
      throw new RetryableDeliveryError(result.error);
    }
    this.logger.error(context, 'notification delivery failed for good');
  }

  /** Queues again pending deliveries whose job is gone (the job store keeps the live ones). */
  async requeueStalled(): Promise<void> {
    await this.queue(
      await this.store.deliveries.neverAttempted(
        new Date(this.now().getTime() - STALLED_AFTER_MS),
        STALLED_BATCH,
      ),
    );
  }

  /** Closes the mail transport's pooled connections. */
  close(): Promise<void> {
    return this.sender.close();
  }

  private async flushBatch(tx: Queryable): Promise<{ notificationIds: string[]; claimed: number }> {
    const now = this.now();
    const groups = await this.store.groups.claimDue(tx, now, FLUSH_BATCH);
    if (groups.length === 0) {
      return { notificationIds: [], claimed: 0 };
    }
    const members = groupBy(
      await this.store.groups.membersOf(
        tx,
        groups.map((group) => group.id),
      ),
      (member) => member.groupId,
    );
    const silences = await this.silences.muting(now);
    const outcomes: GroupOutcome[] = [];
    const rows: NewDelivery[] = [];
    const notified = new Set<string>();
    const reminded = new Set<string>();
    for (const group of groups) {
      const receiver = this.receivers.get(group.receiverKey);
      if (!receiver) {
        // Its receiver is no longer configured: nobody is left to tell.
        outcomes.push({
          groupId: group.id,
          next: null,
          notifiedAlertIds: [],
          muted: [],
          removedAlertIds: [],
        });
        continue;
      }
      const decision = decideFlush({
        group,
        members: members.get(group.id) ?? [],
        silences,
        now,
        repeatIntervalMs: this.config.alerts.repeatIntervalMs,
        publicUrl: this.settings.publicUrl,
      });
      outcomes.push(decision.outcome);
      const row =
        decision.notice && this.deliveryOf(receiver, decision.notice, decision.alertIds, now);
      if (row) {
        rows.push(row);
        decision.alertIds.forEach((id) => notified.add(id));
        decision.reminded.forEach((id) => reminded.add(id));
      }
    }
    await this.store.groups.record(tx, outcomes);
    await this.store.alerts.markNotified(tx, [...notified], [...reminded], now);
    const notificationIds = await this.store.deliveries.insert(tx, rows, now);
    return { notificationIds, claimed: groups.length };
  }

  /** The delivery of a notice, or null when the receiver takes no such notice. */
  private deliveryOf(
    receiver: Receiver,
    notice: GroupNotice,
    alertIds: readonly string[],
    now: Date,
  ): NewDelivery | null {
    if (buildOutgoing(receiver, notice, this.settings, now) === null) {
      return null;
    }
    return {
      eventId: notice.eventId,
      alertIds,
      groupId: notice.group.id,
      groupKey: notice.group.key,
      event: AlertEventType[notice.type],
      receiverKey: receiver.key,
      receiverKind: receiver.kind,
      receiver: receiver.label,
      notice,
    };
  }

  private async membersOf(tx: Queryable, fired: readonly Alert[]): Promise<NewMember[]> {
    if (fired.length === 0) {
      return [];
    }
    const workers = new Map(
      (
        await this.store.workers.namesAndRegions(
          [...new Set(fired.map((alert) => alert.workerId))],
          tx,
        )
      ).map((worker) => [worker.id, worker]),
    );
    const { by } = this.config.notifications.grouping;
    return fired.flatMap((alert) => {
      const worker = workers.get(alert.workerId);
      const region = worker?.awsRegion ?? null;
      const { key, labels } = groupOf(by, alert, region);
      return [...this.receivers.values()]
        .filter((receiver) => takes(receiver, alert, region))
        .map((receiver) => ({
          receiverKey: receiver.key,
          groupKey: key,
          labels,
          alertId: alert.id,
          workerName: worker?.name ?? null,
          awsRegion: region,
        }));
    });
  }

  private timing() {
    const { waitMs, intervalMs } = this.config.notifications.grouping;
    return { at: this.now(), waitMs, intervalMs };
  }

  private async queue(notificationIds: string[]): Promise<void> {
    if (notificationIds.length > 0) {
      await this.jobs.enqueue(
        DELIVER_NOTIFICATION_JOB,
        notificationIds.map((notificationId) => ({ notificationId })),
      );
    }
  }

  private async record(
    row: DeliveryRow,
    state: DeliveryState,
    error: string | null,
    attempted: boolean,
  ): Promise<void> {
    await this.store.deliveries.recordAttempt(row.id, {
      state,
      error,
      attempted,
      at: this.now(),
    });
  }
}

/**
 * The receiver's route decides. An INFO event (a termination someone asked for) opens an
 * incident nobody would close: never one for PagerDuty or Opsgenie, whatever their route.
 */
function takes(receiver: Receiver, alert: Alert, region: string | null): boolean {
  const pager = receiver.kind === 'PAGERDUTY' || receiver.kind === 'OPSGENIE';
  if (pager && resolvedAsItFired(alert) && alert.severity === AlertSeverity.INFO) {
    return false;
  }
  return routeTakes(receiver.route, { kind: alert.kind, severity: alert.severity, region });
}

/** An entity as the member rows carry it (their JSON, dates as strings). */
function jsonAlert(alert: Alert) {
  return {
    id: alert.id,
    workerId: alert.workerId,
    kind: alert.kind,
    state: alert.state,
    severity: alert.severity,
    value: alert.value,
    threshold: alert.threshold,
    resolvedValue: alert.resolvedValue,
    message: alert.message,
    resolution: alert.resolution,
    startedAt: alert.startedAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
  };
}
