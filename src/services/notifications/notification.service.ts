import type { Config } from '../../config';
import type { Alert } from '../../entities/alert.entity';
import { AlertEventType, AlertSeverity, DeliveryState } from '../../entities/alert.enums';
import { DELIVER_NOTIFICATION_JOB, RetryableJobError } from '../../jobs/job-catalogue';
import type { JobQueue } from '../../jobs/job-queue';
import type { Logger } from '../../logger';
import type { DeliveryOutcome } from '../../observability/metrics';
import type {
  AlertNotificationRepository,
  DeliveryRow,
} from '../../repositories/alert-notification.repository';
import type { AlertRepository } from '../../repositories/alert.repository';
import type { Queryable, Transactor } from '../../repositories/sql-result';
import { resolvedAsItFired } from '../alerts/alert-rules';
import { AlertNotice, buildRequest } from './alert-notice';
import { Receiver, receiversOf, NotificationSettings } from './receivers';
import { sendRequest } from './webhook-sender';
import { groupBy } from '../../lib/maps';

export interface PlannedEvent {
  alert: Alert;
  event: AlertEventType;
}

/** Told of each delivery attempt's outcome (the service's metrics). */
export type DeliveryObserver = (receiverKind: string, outcome: DeliveryOutcome) => void;

/** A delivery worth another attempt; the job store retries the job after its backoff. */
export class RetryableDeliveryError extends RetryableJobError {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableDeliveryError';
  }
}

/** A notification still pending after this long without a job gets its job queued again. */
const STALLED_AFTER_MS = 60_000;
const STALLED_BATCH = 1000;

/**
 * Alert events to receivers: one row per event and receiver (the unique index makes storing it
 * twice a no-op), each delivered by its own job with retries and backoff; reminders for alerts
 * that keep firing. Delivery is at least once: receivers deduplicate on the CloudEvents id or
 * PagerDuty's dedup_key.
 */
export class NotificationService {
  private readonly receivers: Map<string, Receiver>;
  private readonly settings: NotificationSettings;

  constructor(
    private readonly deliveries: AlertNotificationRepository,
    private readonly alerts: AlertRepository,
    private readonly transactions: Transactor,
    private readonly jobs: JobQueue,
    private readonly config: Pick<Config, 'notifications' | 'alerts'>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly onAttempt: DeliveryObserver = () => undefined,
  ) {
    const { webhookUrls, webhookSecret, pagerDuty, source, timeoutMs } = config.notifications;
    this.settings = { webhookUrls, webhookSecret, pagerDuty, source, timeoutMs };
    this.receivers = new Map(receiversOf(this.settings).map((r) => [r.key, r]));
  }

  /** Where notifications go, as operators see them (no secrets). */
  receiverLabels(): string[] {
    return [...this.receivers.values()].map((receiver) => receiver.label);
  }

  /** Stores one pending delivery per event and receiver, in the caller's transaction. */
  plan(tx: Queryable, events: PlannedEvent[], sequence = 0): Promise<string[]> {
    const rows = events.flatMap(({ alert, event }) =>
      [...this.receivers.values()]
        .filter((receiver) => takes(receiver, { alert, event }))
        .map((receiver) => ({ alert, event, receiver })),
    );
    return this.deliveries.insert(
      tx,
      rows.map(({ alert, event, receiver }) => ({
        alertId: alert.id,
        event,
        receiverKey: receiver.key,
        receiverKind: receiver.kind,
        receiver: receiver.label,
      })),
      sequence,
      this.now(),
    );
  }

  /**
   * One attempt. Returns when the delivery is done with (delivered, or failed for good); throws
   * a RetryableDeliveryError when it should be tried again.
   */
  async deliver(notificationId: string): Promise<void> {
    const row = await this.deliveries.load(notificationId);
    if (!row || row.state !== DeliveryState.PENDING) {
      return;
    }
    const receiver = this.receivers.get(row.receiverKey);
    if (!receiver) {
      await this.record(row, DeliveryState.FAILED, 'receiver no longer configured', false);
      return;
    }
    const request = buildRequest(receiver, this.noticeOf(row), this.settings);
    if (!request) {
      await this.record(row, DeliveryState.FAILED, 'receiver does not take this event', false);
      return;
    }
    const result = await sendRequest(request, this.settings.timeoutMs);
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
      alertId: row.alert.id,
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

  /** Reminders for alerts that keep firing, unacknowledged, past the repeat interval. */
  async remind(): Promise<void> {
    const { repeatIntervalMs } = this.config.alerts;
    if (this.receivers.size === 0 || repeatIntervalMs === undefined) {
      return;
    }
    const notificationIds = await this.transactions.transaction(async (tx) => {
      const now = this.now();
      const due = await this.alerts.claimDueReminders(
        tx,
        new Date(now.getTime() - repeatIntervalMs),
        now,
      );
      const ids: string[] = [];
      // Each reminder has its own number, which keeps it apart from the previous ones.
      for (const [sequence, alerts] of groupBy(due, (alert) => alert.reminders)) {
        ids.push(
          ...(await this.plan(
            tx,
            alerts.map((alert) => ({ alert, event: AlertEventType.REMINDER })),
            sequence,
          )),
        );
      }
      return ids;
    });
    await this.queue(notificationIds);
  }

  /** Queues again pending deliveries whose job is gone (the job store keeps the live ones). */
  async requeueStalled(): Promise<void> {
    await this.queue(
      await this.deliveries.neverAttempted(
        new Date(this.now().getTime() - STALLED_AFTER_MS),
        STALLED_BATCH,
      ),
    );
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
    await this.deliveries.recordAttempt(row.id, { state, error, attempted, at: this.now() });
  }

  private noticeOf(row: DeliveryRow): AlertNotice {
    const type = row.event;
    const stored = row.alert;
    const alert: AlertNotice['alert'] = {
      ...stored,
      startedAt: new Date(stored.startedAt),
      resolvedAt: stored.resolvedAt === null ? null : new Date(stored.resolvedAt),
      acknowledgedAt: stored.acknowledgedAt === null ? null : new Date(stored.acknowledgedAt),
    };
    const eventId =
      type === AlertEventType.REMINDER
        ? `${alert.id}:reminder:${row.sequence}`
        : `${alert.id}:${type.toLowerCase()}`;
    const occurredAt =
      type === AlertEventType.FIRING
        ? alert.startedAt
        : type === AlertEventType.RESOLVED
          ? (alert.resolvedAt ?? row.createdAt)
          : row.createdAt;
    return { eventId, type, occurredAt, alert, worker: row.worker };
  }
}

/**
 * PagerDuty escalates an open incident by itself: reminders would only re-trigger it. An event
 * gets no resolve, so its trigger opens an incident for a person to close: worth it for a
 * CRITICAL one (a termination nobody here asked for), noise for an INFO one.
 */
function takes(receiver: Receiver, { alert, event }: PlannedEvent): boolean {
  if (receiver.kind !== 'PAGERDUTY') {
    return true;
  }
  const quietEvent = resolvedAsItFired(alert) && alert.severity === AlertSeverity.INFO;
  return event !== AlertEventType.REMINDER && !quietEvent;
}
