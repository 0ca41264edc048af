import { In, type DataSource, type Repository } from 'typeorm';
import { Alert, type AlertColumn, type AlertRow } from '../entities/alert.entity';
import { quoteIdentifier } from '../database/sql';
import type { AlertKind, AlertSeverity, AlertState } from '../entities/alert.enums';
import { groupBy, inOrderOf } from '../lib/maps';
import { isUuid } from '../lib/uuid';
import { newestFirstPage, type Page, pageInfoOf } from './pagination';
import { Queryable, rowsOf } from './sql-result';

export interface AlertListQuery {
  filter?: { workerId?: string; state?: AlertState; kind?: AlertKind[] };
  first: number;
  after?: string;
}

export interface WorkerAlertRange {
  state?: AlertState | null;
  limit: number;
  /** The columns to read besides `workerId`; null or unset: all of them. */
  columns?: readonly AlertColumn[] | null;
}

export interface NewAlert {
  workerId: string;
  kind: AlertKind;
  severity: AlertSeverity;
  value: number | null;
  threshold: number | null;
  message: string;
  at: Date;
  /** Set: an event, stored resolved at `at` with this resolution (see `FireDecision`). */
  resolution?: string;
}

export interface Resolution {
  alertId: string;
  value: number | null;
  reason: string;
  at: Date;
}

export interface FiringAlert {
  id: string;
  workerId: string;
  kind: AlertKind;
  threshold: number | null;
}

/** The only writer of `alert`. One open alert per worker and kind is the database's rule. */
export class AlertRepository {
  private readonly alerts: Repository<Alert>;

  constructor(dataSource: DataSource) {
    this.alerts = dataSource.getRepository(Alert);
  }

  async findById(id: string): Promise<Alert | null> {
    return isUuid(id) ? this.alerts.findOneBy({ id }) : null;
  }

  /** In the order asked, null for an unknown id. */
  async findByIds(ids: readonly string[]): Promise<(Alert | null)[]> {
    const valid = ids.filter((id) => isUuid(id));
    const found = valid.length > 0 ? await this.alerts.findBy({ id: In(valid) }) : [];
    return inOrderOf(ids, found);
  }

  /**
   * A kind already firing for the worker (another process won the race) inserts nothing. An
   * event is inserted resolved: it holds no open slot, so nothing keeps the next one out.
   */
  async insertFiring(tx: Queryable, fires: readonly NewAlert[]): Promise<Alert[]> {
    if (fires.length === 0) {
      return [];
    }
    const rows = await rowsOf<Alert>(tx, INSERT_FIRING, [
      fires.map((f) => f.workerId),
      fires.map((f) => f.kind),
      fires.map((f) => f.severity),
      fires.map((f) => f.value),
      fires.map((f) => f.threshold),
      fires.map((f) => f.message),
      fires.map((f) => f.at),
      fires.map((f) => f.resolution ?? null),
    ]);
    return this.alerts.create(rows);
  }

  /** Only a firing alert resolves, so of two processes resolving it, one does. */
  async resolve(tx: Queryable, resolutions: readonly Resolution[]): Promise<Alert[]> {
    if (resolutions.length === 0) {
      return [];
    }
    const rows = await rowsOf<Alert>(tx, RESOLVE, [
      resolutions.map((r) => r.alertId),
      resolutions.map((r) => r.value),
      resolutions.map((r) => r.reason),
      resolutions.map((r) => r.at),
    ]);
    return this.alerts.create(rows);
  }

  firingOf(tx: Queryable, workerIds: readonly string[]): Promise<FiringAlert[]> {
    return rowsOf<FiringAlert>(
      tx,
      `SELECT id, "workerId", kind, threshold FROM alert
       WHERE "workerId" = ANY($1::uuid[]) AND state = 'FIRING'`,
      [workerIds],
    );
  }

  /**
   * Idempotent: the first acknowledgement's time is kept. Null for an unknown alert; `first`
   * says whether this call was the first acknowledgement.
   */
  async acknowledge(id: string, at: Date): Promise<{ alert: Alert; first: boolean } | null> {
    if (!isUuid(id)) {
      return null;
    }
    const [row] = await rowsOf<Alert & { first: boolean }>(
      this.alerts,
      `UPDATE alert AS a SET "acknowledgedAt" = COALESCE(a."acknowledgedAt", $2)
       FROM (SELECT id, "acknowledgedAt" IS NULL AS first FROM alert WHERE id = $1 FOR UPDATE) AS before
       WHERE a.id = before.id
       RETURNING a.*, before.first`,
      [id, at],
    );
    if (!row) {
      return null;
    }
    const { first, ...alert } = row;
    return { alert: this.alerts.create(alert), first };
  }

  /** Receivers were told of these alerts at `at`; `reminded` ones in a reminder. */
  async markNotified(
    tx: Queryable,
    alertIds: readonly string[],
    reminded: readonly string[],
    at: Date,
  ): Promise<void> {
    if (alertIds.length > 0) {
      await tx.query(
        `UPDATE alert SET "lastNotifiedAt" = $3,
           reminders = reminders + CASE WHEN id = ANY($2::uuid[]) THEN 1 ELSE 0 END
         WHERE id = ANY($1::uuid[])`,
        [alertIds, reminded, at],
      );
    }
  }

  /** Newest first, by (startedAt, id). */
  list(query: AlertListQuery, columns: readonly AlertColumn[] | null = null): Promise<Page<Alert>> {
    const { workerId, state, kind } = query.filter ?? {};
    if (workerId !== undefined && workerId !== null && !isUuid(workerId)) {
      return Promise.resolve({
        edges: [],
        pageInfo: pageInfoOf([], false, query.after),
        totalCount: 0,
      });
    }
    const filtered = this.alerts.createQueryBuilder('alert');
    if (workerId) {
      filtered.andWhere('alert.workerId = :workerId', { workerId });
    }
    if (state) {
      filtered.andWhere('alert.state = :state', { state });
    }
    if (kind && kind.length > 0) {
      filtered.andWhere('alert.kind IN (:...kind)', { kind });
    }
    return newestFirstPage(filtered, 'startedAt', query, columns);
  }

  /**
   * The newest alerts of each worker, in one statement for all of them, as plain rows of the
   * columns asked for.
   */
  async newestOf(workerIds: readonly string[], range: WorkerAlertRange): Promise<AlertRow[][]> {
    const rows = await rowsOf<AlertRow>(this.alerts, newestAlertsStatement(range.columns), [
      workerIds,
      range.state ?? null,
      range.limit,
    ]);
    const groups = groupBy(rows, (alert) => alert.workerId);
    return workerIds.map((id) => groups.get(id) ?? []);
  }

  firingCounts(): Promise<{ kind: AlertKind; count: number }[]> {
    return rowsOf(
      this.alerts,
      `SELECT kind, count(*)::int AS count FROM alert WHERE state = 'FIRING' GROUP BY kind`,
      [],
    );
  }
}

const INSERT_FIRING = `
  INSERT INTO alert ("workerId", "kind", "state", "severity", "value", "threshold", "message",
    "startedAt", "resolution", "resolvedAt")
  SELECT v.worker_id, v.kind,
    CASE WHEN v.resolution IS NULL THEN 'FIRING' ELSE 'RESOLVED' END::alert_state,
    v.severity, v.value, v.threshold, v.message, v.at, v.resolution,
    CASE WHEN v.resolution IS NULL THEN NULL ELSE v.at END
  FROM unnest($1::uuid[], $2::alert_kind[], $3::alert_severity[], $4::float8[], $5::float8[],
    $6::text[], $7::timestamptz[], $8::text[])
    AS v(worker_id, kind, severity, value, threshold, message, at, resolution)
  ON CONFLICT ("workerId", "kind") WHERE "state" = 'FIRING' DO NOTHING
  RETURNING *`;

const RESOLVE = `
  UPDATE alert AS a SET
    "state" = 'RESOLVED',
    "resolvedAt" = v.at,
    "resolvedValue" = v.value,
    "resolution" = v.reason
  FROM unnest($1::uuid[], $2::float8[], $3::text[], $4::timestamptz[]) AS v(id, value, reason, at)
  WHERE a.id = v.id AND a.state = 'FIRING'
  RETURNING a.*`;

const newestAlertsStatements = new Map<string, string>();

/** A lateral join walks each worker's index backwards and stops at the limit. */
function newestAlertsStatement(columns: readonly AlertColumn[] | null | undefined): string {
  const key = columns?.join(',') ?? '*';
  let statement = newestAlertsStatements.get(key);
  if (!statement) {
    const read = columns
      ? ['workerId', ...columns.filter((column) => column !== 'workerId')]
          .map((column) => `a.${quoteIdentifier(column)}`)
          .join(', ')
      : 'a.*';
    statement = `
      SELECT alert.*
      FROM unnest($1::uuid[]) AS requested(id)
      CROSS JOIN LATERAL (
        SELECT ${read} FROM alert AS a
        WHERE a."workerId" = requested.id AND ($2::alert_state IS NULL OR a.state = $2)
        ORDER BY a."startedAt" DESC, a.id DESC
        LIMIT $3
      ) AS alert`;
    newestAlertsStatements.set(key, statement);
  }
  return statement;
}
