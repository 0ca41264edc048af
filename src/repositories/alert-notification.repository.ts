import type { DataSource, Repository } from 'typeorm';
import { AlertNotification } from '../entities/alert-notification.entity';
import type { AlertEventType, DeliveryState, ReceiverKind } from '../entities/alert.enums';
import type { GroupNotice } from '../services/notifications/group-notice';
import { Queryable, rowsOf } from './sql-result';

export interface NewDelivery {
  eventId: string;
  alertIds: readonly string[];
  groupId: string | null;
  groupKey: string | null;
  event: AlertEventType;
  receiverKey: string;
  receiverKind: `${ReceiverKind}`;
  receiver: string;
  notice: GroupNotice;
}

/** A delivery as one attempt needs it. */
export interface DeliveryRow {
  id: string;
  state: DeliveryState;
  receiverKey: string;
  receiver: string;
  attempts: number;
  notice: GroupNotice | null;
}

export interface DeliveryAttempt {
  state: DeliveryState;
  error: string | null;
  attempted: boolean;
  at: Date;
}

/** The only writer of `alert_notification`: one row per notification and receiver. */
export class AlertNotificationRepository {
  private readonly deliveries: Repository<AlertNotification>;

  constructor(dataSource: DataSource) {
    this.deliveries = dataSource.getRepository(AlertNotification);
  }

  /** Storing the same event for the same receiver twice is a no-op (a unique index). */
  async insert(tx: Queryable, rows: readonly NewDelivery[], at: Date): Promise<string[]> {
    if (rows.length === 0) {
      return [];
    }
    const inserted = await rowsOf<{ id: string }>(tx, INSERT_DELIVERIES, [
      rows.map((row) => row.eventId),
      // A uuid[][] must be rectangular: each row's ids travel as one JSON array.
      rows.map((row) => JSON.stringify(row.alertIds)),
      rows.map((row) => row.groupId),
      rows.map((row) => row.groupKey),
      rows.map((row) => row.event),
      rows.map((row) => row.receiverKey),
      rows.map((row) => row.receiverKind),
      rows.map((row) => row.receiver),
      rows.map((row) => JSON.stringify(row.notice)),
      at,
    ]);
    return inserted.map((row) => row.id);
  }

  async load(id: string): Promise<DeliveryRow | undefined> {
    const [row] = await rowsOf<DeliveryRow>(
      this.deliveries,
      `SELECT id, state, "receiverKey", receiver, attempts, notice
       FROM alert_notification WHERE id = $1`,
      [id],
    );
    return row;
  }

  /**
   * Only a pending delivery changes, so a delivery finished elsewhere stays as it ended. A
   * finished one lets go of its notice: nothing will send it again.
   */
  async recordAttempt(id: string, attempt: DeliveryAttempt): Promise<void> {
    await this.deliveries.query(
      `UPDATE alert_notification SET
         state = $2::delivery_state,
         attempts = attempts + $3,
         "lastError" = $4,
         "lastAttemptAt" = CASE WHEN $3::int > 0 THEN $5 ELSE "lastAttemptAt" END,
         "deliveredAt" = CASE WHEN $2::delivery_state = 'DELIVERED' THEN $5 ELSE NULL END,
         notice = CASE WHEN $2::delivery_state = 'PENDING' THEN notice ELSE NULL END
       WHERE id = $1 AND state = 'PENDING'`,
      [id, attempt.state, attempt.attempted ? 1 : 0, attempt.error, attempt.at],
    );
  }

  /** Pending deliveries never attempted, created before `before`: their job may be lost. */
  async neverAttempted(before: Date, limit: number): Promise<string[]> {
    const rows = await rowsOf<{ id: string }>(
      this.deliveries,
      `SELECT id FROM alert_notification
       WHERE state = 'PENDING' AND "createdAt" < $1 AND "lastAttemptAt" IS NULL
       ORDER BY "createdAt" LIMIT $2`,
      [before, limit],
    );
    return rows.map((row) => row.id);
  }

  /** The notifications that told of each alert, oldest first. */
  async ofAlerts(alertIds: readonly string[]): Promise<AlertNotification[][]> {
    const rows = await this.deliveries
      .createQueryBuilder('n')
      .select([
        'n.id',
        'n.eventId',
        'n.alertIds',
        'n.groupId',
        'n.groupKey',
        'n.event',
        'n.receiverKey',
        'n.receiverKind',
        'n.receiver',
        'n.state',
        'n.attempts',
        'n.lastError',
        'n.lastAttemptAt',
        'n.deliveredAt',
        'n.createdAt',
      ])
      .where('n.alertIds && :alertIds::uuid[]', { alertIds })
      .orderBy('n.createdAt', 'ASC')
      .addOrderBy('n.receiver', 'ASC')
      .getMany();
    return alertIds.map((id) => rows.filter((row) => row.alertIds.includes(id)));
  }
}

const INSERT_DELIVERIES = `
  INSERT INTO alert_notification ("eventId", "alertIds", "groupId", "groupKey", "event",
    "receiverKey", "receiverKind", "receiver", "notice", "createdAt")
  SELECT v.event_id, ARRAY(SELECT jsonb_array_elements_text(v.alert_ids))::uuid[], v.group_id,
    v.group_key, v.event, v.receiver_key, v.receiver_kind, v.receiver, v.notice, $10
  FROM unnest($1::varchar[], $2::jsonb[], $3::uuid[], $4::text[], $5::alert_event_type[],
    $6::varchar[], $7::receiver_kind[], $8::varchar[], $9::jsonb[])
    AS v(event_id, alert_ids, group_id, group_key, event, receiver_key, receiver_kind, receiver,
      notice)
  ON CONFLICT ("eventId", "receiverKey") DO NOTHING
  RETURNING id`;
