import type { DataSource, Repository } from 'typeorm';
import { AlertNotification } from '../entities/alert-notification.entity';
import type {
  AlertEventType,
  AlertSeverity,
  AlertState,
  DeliveryState,
  ReceiverKind,
} from '../entities/alert.enums';
import { groupBy } from '../lib/maps';
import { Queryable, rowsOf } from './sql-result';

export interface NewDelivery {
  alertId: string;
  event: AlertEventType;
  receiverKey: string;
  receiverKind: `${ReceiverKind}`;
  receiver: string;
}

/** A delivery with its alert and worker, as one attempt needs them (JSON: dates as strings). */
export interface DeliveryRow {
  id: string;
  state: DeliveryState;
  event: AlertEventType;
  sequence: number;
  receiverKey: string;
  receiver: string;
  attempts: number;
  createdAt: Date;
  alert: {
    id: string;
    workerId: string;
    kind: string;
    state: `${AlertState}`;
    severity: `${AlertSeverity}`;
    value: number | null;
    threshold: number | null;
    resolvedValue: number | null;
    message: string;
    resolution: string | null;
    startedAt: string;
    resolvedAt: string | null;
    acknowledgedAt: string | null;
  };
  worker: { id: string; name: string; awsInstanceId: string; awsRegion: string } | null;
}

export interface DeliveryAttempt {
  state: DeliveryState;
  error: string | null;
  attempted: boolean;
  at: Date;
}

/** The only writer of `alert_notification`: one row per alert event and receiver. */
export class AlertNotificationRepository {
  private readonly deliveries: Repository<AlertNotification>;

  constructor(dataSource: DataSource) {
    this.deliveries = dataSource.getRepository(AlertNotification);
  }

  /** Storing the same event for the same receiver twice is a no-op (a unique index). */
  async insert(
    tx: Queryable,
    rows: readonly NewDelivery[],
    sequence: number,
    at: Date,
  ): Promise<string[]> {
    if (rows.length === 0) {
      return [];
    }
    const inserted = await rowsOf<{ id: string }>(tx, INSERT_DELIVERIES, [
      rows.map((row) => row.alertId),
      rows.map((row) => row.event),
      rows.map((row) => row.receiverKey),
      rows.map((row) => row.receiverKind),
      rows.map((row) => row.receiver),
      sequence,
      at,
    ]);
    return inserted.map((row) => row.id);
  }

  async load(id: string): Promise<DeliveryRow | undefined> {
    const [row] = await rowsOf<DeliveryRow>(this.deliveries, LOAD_DELIVERY, [id]);
    return row;
  }

  /** Only a pending delivery changes, so a delivery finished elsewhere stays as it ended. */
  async recordAttempt(id: string, attempt: DeliveryAttempt): Promise<void> {
    await this.deliveries.query(
      `UPDATE alert_notification SET
         state = $2::delivery_state,
         attempts = attempts + $3,
         "lastError" = $4,
         "lastAttemptAt" = CASE WHEN $3::int > 0 THEN $5 ELSE "lastAttemptAt" END,
         "deliveredAt" = CASE WHEN $2::delivery_state = 'DELIVERED' THEN $5 ELSE NULL END
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

  async ofAlerts(alertIds: readonly string[]): Promise<AlertNotification[][]> {
    const rows = await this.deliveries
      .createQueryBuilder('n')
      .where('n.alertId IN (:...alertIds)', { alertIds })
      .orderBy('n.createdAt', 'ASC')
      .addOrderBy('n.receiver', 'ASC')
      .getMany();
    const groups = groupBy(rows, (row) => row.alertId);
    return alertIds.map((id) => groups.get(id) ?? []);
  }
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
