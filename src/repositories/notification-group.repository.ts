import type { AlertSeverity, AlertState } from '../entities/alert.enums';
import type { NotificationGroup } from '../entities/notification-group.entity';
import { Queryable, rowsOf } from './sql-result';

/** An alert joining the group of one receiver. */
export interface NewMember {
  receiverKey: string;
  groupKey: string;
  labels: Record<string, string>;
  alertId: string;
  workerName: string | null;
  awsRegion: string | null;
}

export interface GroupTiming {
  at: Date;
  waitMs: number;
  intervalMs: number;
}

/** A member with its alert and worker as they are now (JSON: dates as strings). */
export interface MemberRow {
  groupId: string;
  alertId: string;
  notified: boolean;
  mutedUntil: Date | null;
  workerName: string | null;
  awsRegion: string | null;
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

/** What a flush decided for one group. */
export interface GroupOutcome {
  groupId: string;
  /** Null: the group is done with (nothing of it fires any more) and goes. */
  next: {
    sequence: number;
    lastFlushAt: Date | null;
    flushAt: Date | null;
    remindAt: Date | null;
  } | null;
  notifiedAlertIds: string[];
  muted: { alertId: string; until: Date }[];
  removedAlertIds: string[];
}

/** A group an acknowledged alert was notified in, and whether all it notified is acknowledged. */
export type AcknowledgedGroup = Pick<
  NotificationGroup,
  'id' | 'receiverKey' | 'groupKey' | 'labels' | 'acknowledgementSent'
> & { allAcknowledged: boolean };

/**
 * The only writer of `notification_group` and `notification_group_alert`. Every statement that
 * changes a group locks its row first, so a flush and an alert joining the group take turns.
 */
export class NotificationGroupRepository {
  /**
   * Adds alerts to their groups, making the groups that do not exist yet. A new group is due
   * after the group wait; a group already notified, no sooner than an interval after that.
   * Says whether a group is due already.
   */
  async join(tx: Queryable, members: readonly NewMember[], timing: GroupTiming): Promise<boolean> {
    if (members.length === 0) {
      return false;
    }
    const groups = new Map(members.map((m) => [`${m.receiverKey}\n${m.groupKey}`, m]));
    const rows = await rowsOf<{ id: string; receiverKey: string; groupKey: string; due: boolean }>(
      tx,
      UPSERT_GROUPS,
      [
        [...groups.values()].map((m) => m.receiverKey),
        [...groups.values()].map((m) => m.groupKey),
        [...groups.values()].map((m) => JSON.stringify(m.labels)),
        timing.at,
        timing.waitMs,
        timing.intervalMs,
      ],
    );
    const ids = new Map(rows.map((row) => [`${row.receiverKey}\n${row.groupKey}`, row.id]));
    await tx.query(INSERT_MEMBERS, [
      members.map((m) => ids.get(`${m.receiverKey}\n${m.groupKey}`)),
      members.map((m) => m.alertId),
      members.map((m) => m.workerName),
      members.map((m) => m.awsRegion),
      timing.at,
    ]);
    return rows.some((row) => row.due);
  }

  /** Alerts that changed (resolved): their groups are due at their next turn. */
  async changed(tx: Queryable, alertIds: readonly string[], timing: GroupTiming): Promise<boolean> {
    if (alertIds.length === 0) {
      return false;
    }
    const rows = await rowsOf<{ due: boolean }>(tx, CHANGED, [
      alertIds,
      timing.at,
      timing.intervalMs,
    ]);
    return rows.some((row) => row.due);
  }

  /** Locks groups due for a notification or a reminder; other processes skip them. */
  claimDue(tx: Queryable, at: Date, limit: number): Promise<NotificationGroup[]> {
    return rowsOf<NotificationGroup>(
      tx,
      `SELECT * FROM notification_group
       WHERE "flushAt" <= $1 OR "remindAt" <= $1
       ORDER BY LEAST("flushAt", "remindAt")
       LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [at, limit],
    );
  }

  membersOf(tx: Queryable, groupIds: readonly string[]): Promise<MemberRow[]> {
    return rowsOf<MemberRow>(tx, MEMBERS, [groupIds]);
  }

  async record(tx: Queryable, outcomes: readonly GroupOutcome[]): Promise<void> {
    const notified = outcomes.flatMap((o) =>
      o.notifiedAlertIds.map((alertId) => [o.groupId, alertId]),
    );
    const muted = outcomes.flatMap((o) =>
      o.muted.map((m) => [o.groupId, m.alertId, m.until] as const),
    );
    const removed = outcomes.flatMap((o) =>
      o.removedAlertIds.map((alertId) => [o.groupId, alertId]),
    );
    const kept = outcomes.flatMap((o) => (o.next ? [{ groupId: o.groupId, ...o.next }] : []));
    const gone = outcomes.filter((o) => o.next === null).map((o) => o.groupId);
    if (notified.length > 0) {
      await tx.query(
        `UPDATE notification_group_alert AS m SET notified = true, "mutedUntil" = NULL
         FROM unnest($1::uuid[], $2::uuid[]) AS v(group_id, alert_id)
         WHERE m."groupId" = v.group_id AND m."alertId" = v.alert_id`,
        [notified.map(([g]) => g), notified.map(([, a]) => a)],
      );
    }
    if (muted.length > 0) {
      await tx.query(
        `UPDATE notification_group_alert AS m SET "mutedUntil" = v.until
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS v(group_id, alert_id, until)
         WHERE m."groupId" = v.group_id AND m."alertId" = v.alert_id`,
        [muted.map(([g]) => g), muted.map(([, a]) => a), muted.map(([, , u]) => u)],
      );
    }
    if (removed.length > 0) {
      await tx.query(
        `DELETE FROM notification_group_alert AS m
         USING unnest($1::uuid[], $2::uuid[]) AS v(group_id, alert_id)
         WHERE m."groupId" = v.group_id AND m."alertId" = v.alert_id`,
        [removed.map(([g]) => g), removed.map(([, a]) => a)],
      );
    }
    if (kept.length > 0) {
      await tx.query(
        `UPDATE notification_group AS g SET
           sequence = v.sequence, "lastFlushAt" = v.last_flush_at,
           "flushAt" = v.flush_at, "remindAt" = v.remind_at
         FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::timestamptz[],
           $5::timestamptz[]) AS v(id, sequence, last_flush_at, flush_at, remind_at)
         WHERE g.id = v.id`,
        [
          kept.map((k) => k.groupId),
          kept.map((k) => k.sequence),
          kept.map((k) => k.lastFlushAt),
          kept.map((k) => k.flushAt),
          kept.map((k) => k.remindAt),
        ],
      );
    }
    if (gone.length > 0) {
      await tx.query(`DELETE FROM notification_group WHERE id = ANY($1::uuid[])`, [gone]);
    }
  }

  /**
   * Silences ended early: every alert they held back is looked at again at its group's next
   * turn (one still matching another silence is held back again then).
   */
  async unmute(tx: Queryable, timing: Omit<GroupTiming, 'waitMs'>): Promise<boolean> {
    const rows = await rowsOf<{ due: boolean }>(tx, UNMUTE, [timing.at, timing.intervalMs]);
    return rows.some((row) => row.due);
  }

  /** The groups (locked) in which the alert was notified as firing. */
  acknowledgedGroups(tx: Queryable, alertId: string): Promise<AcknowledgedGroup[]> {
    return rowsOf<AcknowledgedGroup>(tx, ACKNOWLEDGED_GROUPS, [alertId]);
  }

  async markAcknowledgementSent(tx: Queryable, groupIds: readonly string[]): Promise<void> {
    if (groupIds.length > 0) {
      await tx.query(
        `UPDATE notification_group SET "acknowledgementSent" = true WHERE id = ANY($1::uuid[])`,
        [groupIds],
      );
    }
  }
}

/** GREATEST ignores nulls: a group never notified is due at once once its wait is over. */
const NEXT_TURN = `GREATEST($4::timestamptz, g."lastFlushAt" + $6::int * interval '1 millisecond')`;

const UPSERT_GROUPS = `
  INSERT INTO notification_group AS g ("receiverKey", "groupKey", labels, "createdAt", "flushAt")
  SELECT v.receiver_key, v.group_key, v.labels, $4::timestamptz,
    $4::timestamptz + $5::int * interval '1 millisecond'
  FROM unnest($1::varchar[], $2::text[], $3::jsonb[]) AS v(receiver_key, group_key, labels)
  ON CONFLICT ("receiverKey", "groupKey") DO UPDATE
    SET "flushAt" = COALESCE(g."flushAt", ${NEXT_TURN})
  RETURNING g.id, g."receiverKey", g."groupKey", g."flushAt" <= $4::timestamptz AS due`;

const INSERT_MEMBERS = `
  INSERT INTO notification_group_alert ("groupId", "alertId", "workerName", "awsRegion", "addedAt")
  SELECT v.*, $5::timestamptz FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[]) AS v
  ON CONFLICT ("groupId", "alertId") DO NOTHING`;

const CHANGED = `
  UPDATE notification_group AS g
  SET "flushAt" = COALESCE(g."flushAt",
    GREATEST($2::timestamptz, g."lastFlushAt" + $3::int * interval '1 millisecond'))
  WHERE g.id IN (
    SELECT "groupId" FROM notification_group_alert WHERE "alertId" = ANY($1::uuid[]) AND notified)
  RETURNING g."flushAt" <= $2::timestamptz AS due`;

const UNMUTE = `
  WITH unmuted AS (
    UPDATE notification_group_alert SET "mutedUntil" = NULL
    WHERE "mutedUntil" > $1::timestamptz
    RETURNING "groupId")
  UPDATE notification_group AS g
  SET "flushAt" = LEAST(COALESCE(g."flushAt", 'infinity'),
    GREATEST($1::timestamptz, g."lastFlushAt" + $2::int * interval '1 millisecond'))
  WHERE g.id IN (SELECT "groupId" FROM unmuted)
  RETURNING g."flushAt" <= $1::timestamptz AS due`;

const MEMBERS = `
  SELECT m."groupId", m."alertId", m.notified, m."mutedUntil", m."workerName", m."awsRegion",
    json_build_object(
      'id', a.id, 'workerId', a."workerId", 'kind', a.kind, 'state', a.state,
      'severity', a.severity, 'value', a.value, 'threshold', a.threshold,
      'resolvedValue', a."resolvedValue", 'message', a.message, 'resolution', a.resolution,
      'startedAt', a."startedAt", 'resolvedAt', a."resolvedAt",
      'acknowledgedAt', a."acknowledgedAt") AS alert,
    CASE WHEN w.id IS NULL THEN NULL ELSE json_build_object(
      'id', w.id, 'name', w.name, 'awsInstanceId', w."awsInstanceId",
      'awsRegion', w."awsRegion") END AS worker
  FROM notification_group_alert AS m
  JOIN alert AS a ON a.id = m."alertId"
  LEFT JOIN worker AS w ON w.id = a."workerId"
  WHERE m."groupId" = ANY($1::uuid[])
  ORDER BY a."startedAt", a.id`;

const ACKNOWLEDGED_GROUPS = `
  SELECT g.id, g."receiverKey", g."groupKey", g.labels, g."acknowledgementSent",
    NOT EXISTS (
      SELECT 1 FROM notification_group_alert AS o JOIN alert AS oa ON oa.id = o."alertId"
      WHERE o."groupId" = g.id AND o.notified AND oa.state = 'FIRING'
        AND oa."acknowledgedAt" IS NULL) AS "allAcknowledged"
  FROM notification_group AS g
  JOIN notification_group_alert AS m ON m."groupId" = g.id
  WHERE m."alertId" = $1 AND m.notified
  FOR UPDATE OF g`;
