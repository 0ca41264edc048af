import { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../../config';
import type { Alert } from '../../entities/alert.entity';
import { AlertEventType, DeliveryState } from '../../entities/alert.enums';
import { DELIVER_NOTIFICATION_JOB } from '../../jobs/deliver-notification.job';
import type { Logger } from '../../logger';
import type { DeliveryOutcome } from '../../observability/metrics';
import type { AlertJobQueue } from '../alerts/alert.service';
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

/** A delivery worth another attempt; Agenda retries the job after its backoff. */
export class RetryableDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableDeliveryError';
  }
}

/** JSON from the database: its timestamps arrive as strings. */
type StoredAlert = Omit<AlertNotice['alert'], 'startedAt' | 'resolvedAt' | 'acknowledgedAt'> & {
  startedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
};

interface DeliveryRow {
  id: string;
  state: DeliveryState;
  event: AlertEventType;
  sequence: number;
  receiverKey: string;
  receiver: string;
  attempts: number;
  alert: StoredAlert;
  worker: AlertNotice['worker'];
  createdAt: Date;
}

/** A notification still pending after this long without a job gets its job queued again. */
const STALLED_AFTER_MS = 60_000;

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
    private readonly dataSource: DataSource,
    private readonly jobs: AlertJobQueue,
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
  async plan(manager: EntityManager, events: PlannedEvent[], sequence = 0): Promise<string[]> {
    const rows = events.flatMap(({ alert, event }) =>
      [...this.receivers.values()]
        .filter((receiver) => takes(receiver, event))
        .map((receiver) => ({ alert, event, receiver })),
    );
    if (rows.length === 0) {
      return [];
    }
    const inserted: { id: string }[] = await manager.query(INSERT_DELIVERIES, [
      rows.map((row) => row.alert.id),
      rows.map((row) => row.event),
      rows.map((row) => row.receiver.key),
      rows.map((row) => row.receiver.kind),
      rows.map((row) => row.receiver.label),
      sequence,
      this.now(),
    ]);
    return inserted.map((row) => row.id);
  }

  /**
   * One attempt. Returns when the delivery is done with (delivered, or failed for good); throws
   * a RetryableDeliveryError when it should be tried again.
   */
  async deliver(notificationId: string): Promise<void> {
    const [row]: DeliveryRow[] = await this.dataSource.query(LOAD_DELIVERY, [notificationId]);
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
    const notificationIds = await this.dataSource.transaction(async (manager) => {
      const now = this.now();
      const [due]: [(Alert & { reminders: number })[], number] = await manager.query(
        DUE_REMINDERS,
        [new Date(now.getTime() - repeatIntervalMs), now],
      );
      const ids: string[] = [];
      // Each reminder has its own number, which keeps it apart from the previous ones.
      for (const [sequence, alerts] of groupBy(due, (alert) => alert.reminders)) {
        ids.push(
          ...(await this.plan(
            manager,
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
    const stalled: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM alert_notification
       WHERE state = 'PENDING' AND "createdAt" < $1 AND "lastAttemptAt" IS NULL
       ORDER BY "createdAt" LIMIT 1000`,
      [new Date(this.now().getTime() - STALLED_AFTER_MS)],
    );
    await this.queue(stalled.map((row) => row.id));
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
    const at = this.now();
    await this.dataSource.query(
      `UPDATE alert_notification SET
         state = $2::delivery_state,
         attempts = attempts + $3,
         "lastError" = $4,
         "lastAttemptAt" = CASE WHEN $3::int > 0 THEN $5 ELSE "lastAttemptAt" END,
         "deliveredAt" = CASE WHEN $2::delivery_state = 'DELIVERED' THEN $5 ELSE NULL END
       WHERE id = $1 AND state = 'PENDING'`,
      [row.id, state, attempted ? 1 : 0, error, at],
    );
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

/** PagerDuty escalates an open incident by itself: reminders would only re-trigger it. */
function takes(receiver: Receiver, event: AlertEventType): boolean {
  return !(receiver.kind === 'PAGERDUTY' && event === AlertEventType.REMINDER);
}

const INSERT_DELIVERIES = `
  INSERT INTO alert_notification ("alertId", "event", "receiverKey", "receiverKind", "receiver",
    "sequence", "createdAt")
  SELECT v.*, $6, $7
  FROM unnest($1::uuid[], $2::alert_event_type[], $3::varchar[], $4::receiver_kind[],
    $5::varchar[]) AS v
  ON CONFLICT ("alertId", "event", "sequence", "receiverKey") DO NOTHING
  RETURNING id`;

const LOAD_DELIVERY = `
  SELECT n.id, n.state, n.event, n.sequence, n."receiverKey", n.receiver, n.attempts,
    n."createdAt",
    json_build_object(
      'id', a.id, 'workerId', a."workerId", 'kind', a.kind, 'state', a.state,
      'severity', a.severity, 'value', a.value, 'threshold', a.threshold,
      'resolvedValue', a."resolvedValue", 'message', a.message, 'resolution', a.resolution,
      'startedAt', a."startedAt",
      'resolvedAt', a."resolvedAt", 'acknowledgedAt', a."acknowledgedAt") AS alert,
    CASE WHEN w.id IS NULL THEN NULL ELSE json_build_object(
      'id', w.id, 'name', w.name, 'awsInstanceId', w."awsInstanceId",
      'awsRegion', w."awsRegion") END AS worker
  FROM alert_notification AS n
  JOIN alert AS a ON a.id = n."alertId"
  LEFT JOIN worker AS w ON w.id = a."workerId"
  WHERE n.id = $1`;

/** Claims the due reminders: the update is the lock, so one process sends each reminder. */
const DUE_REMINDERS = `
  UPDATE alert SET reminders = reminders + 1, "lastNotifiedAt" = $2
  WHERE state = 'FIRING' AND "acknowledgedAt" IS NULL AND severity <> 'INFO'
    AND "lastNotifiedAt" <= $1
  RETURNING *`;
