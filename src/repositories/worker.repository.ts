import type { CmlServiceStatus, StoredLab, StoredLicense } from '../entities/cml.types';
import type { InstanceAddresses } from '../services/aws/fleet.gateway';
import type { DataSource, Repository } from 'typeorm';
import type { AlertKind, WorkerAction } from '../entities/alert.enums';
import type { CheckStatus, WorkerStatus } from '../entities/worker-status.enum';
import { Worker, type WorkerColumn } from '../entities/worker.entity';
import { isUuid } from '../lib/uuid';
import { quoteIdentifier } from '../database/sql';
import { decodeCursor, encodeCursor, pageInfoOf, type Page } from './pagination';
import { Queryable, rowsOf } from './sql-result';

export interface WorkerFilter {
  status?: WorkerStatus[];
  awsRegion?: string;
  nameContains?: string;
}

export interface WorkerListQuery {
  filter?: WorkerFilter;
  first: number;
  after?: string;
}

/** What a user may change on a worker; an absent field is left as it is. */
export interface WorkerSettings {
  name?: string;
  cpuThreshold?: number;
  memoryThreshold?: number;
  monitoringEnabled?: boolean;
  /** Null clears: the endpoint is derived again, the fleet's credentials used again. */
  cmlEndpointOverride?: string | null;
  cmlUsername?: string | null;
  cmlPasswordEncrypted?: string | null;
}

export type NewWorker = Pick<
  Worker,
  | 'name'
  | 'awsRegion'
  | 'awsInstanceId'
  | 'instanceType'
  | 'status'
  | 'cpuThreshold'
  | 'memoryThreshold'
> &
  Partial<
    Pick<
      Worker,
      | 'lastPolledAt'
      | 'monitoringEnabled'
      | 'privateIpAddress'
      | 'publicIpAddress'
      | 'publicDnsName'
      | 'cmlEndpointOverride'
      | 'cmlUsername'
      | 'cmlPasswordEncrypted'
    >
  >;

/** An EC2 instance as the registry knows it: at most one worker per instance. */
export interface InstanceKey {
  awsRegion: string;
  awsInstanceId: string;
}

/** A row as a statement left it, with what it was as that statement locked it. */
export interface Changed {
  worker: Worker;
  before: Worker;
}

export interface PollingState {
  id: string;
  status: WorkerStatus;
  monitoringEnabled: boolean;
}

/** One worker's poll result, as the polling service decided to store it. */
export interface PolledRow {
  id: string;
  status: WorkerStatus;
  systemCheck: CheckStatus | null;
  instanceCheck: CheckStatus | null;
  cpu: number | null;
  memory: number | null;
  nextPollAt: Date | null;
  cpuHighStreak: number;
  memoryHighStreak: number;
  cmlFailureStreak: number;
  lastActivityAt: Date | null;
  cml: {
    status: CmlServiceStatus;
    error: string | null;
    /** The controller was asked (or failed to answer): the check time moves on. */
    asked: boolean;
    /** Null: not read, the row keeps its last labs. Counts null: nothing is known. */
    labs: {
      list: StoredLab[];
      labsTotal: number | null;
      labsRunning: number | null;
      nodesTotal: number | null;
      nodesRunning: number | null;
    } | null;
    /** Null: not read, the row keeps its version, readiness and license. */
    details: {
      version: string | null;
      ready: boolean | null;
      license: StoredLicense | null;
    } | null;
    /** Null: not read again, the row keeps them. */
    addresses: InstanceAddresses | null;
  };
}

/** A polled worker's row after the update, with what it was just before. */
export interface PolledWorker {
  id: string;
  status: WorkerStatus;
  previousStatus: WorkerStatus;
  previousFailures: number;
  previousTransitionAt: Date | null;
  requestedAction: WorkerAction | null;
  requestedAt: Date | null;
  cpuThreshold: number;
  memoryThreshold: number;
  openAlerts: { id: string; kind: AlertKind; threshold: number | null }[];
}

export interface FailedPoll {
  id: string;
  message: string;
  nextPollAt: Date | null;
}

/** The fleet as the metrics endpoint shows it. */
export interface WorkerGauge {
  id: string;
  name: string;
  awsInstanceId: string;
  awsRegion: string;
  status: WorkerStatus;
  cpuUtilization: number | null;
  memoryUtilization: number | null;
  lastPolledAt: Date | null;
}

const SETTINGS_COLUMNS: (keyof WorkerSettings)[] = [
  'name',
  'cpuThreshold',
  'memoryThreshold',
  'monitoringEnabled',
  'cmlEndpointOverride',
  'cmlUsername',
  'cmlPasswordEncrypted',
];

/**
 * The only writer of the `worker` table. Every update names its columns and the condition it
 * holds under, on the row as it is when the statement locks it: a removed worker is never
 * written again, and nobody's columns are written back from an older read.
 */
export class WorkerRepository {
  private readonly workers: Repository<Worker>;

  constructor(dataSource: DataSource) {
    this.workers = dataSource.getRepository(Worker);
  }

  async findById(id: string, db: Queryable = this.workers): Promise<Worker | null> {
    if (!isUuid(id)) {
      return null;
    }
    const [row] = await rowsOf<Worker>(db, 'SELECT * FROM worker WHERE id = $1', [id]);
    return row ? this.workers.create(row) : null;
  }

  /** In the order asked, null for an unknown id. */
  async findByIds(ids: readonly string[]): Promise<(Worker | null)[]> {
    const valid = ids.filter((id) => isUuid(id));
    const found =
      valid.length > 0
        ? await rowsOf<Worker>(this.workers, 'SELECT * FROM worker WHERE id = ANY($1::uuid[])', [
            valid,
          ])
        : [];
    const byId = new Map(found.map((row) => [row.id, this.workers.create(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The name and region of each of these workers still registered: what silences match on. */
  namesAndRegions(
    ids: readonly string[],
    tx: Queryable = this.workers,
  ): Promise<Pick<Worker, 'id' | 'name' | 'awsInstanceId' | 'awsRegion'>[]> {
    return rowsOf(
      tx,
      'SELECT id, name, "awsInstanceId", "awsRegion" FROM worker WHERE id = ANY($1::uuid[])',
      [ids.filter((id) => isUuid(id))],
    );
  }

  /**
   * A page of workers, newest first, with their total count. Each is the row of the columns
   * asked for (all of them when null) under Worker's prototype, for its computed fields: no
   * entity hydration, and no timestamp or JSON read that nothing asked for.
   */
  async list(
    query: WorkerListQuery,
    columns: readonly WorkerColumn[] | null = null,
  ): Promise<Page<Worker>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const { status, awsRegion, nameContains } = query.filter ?? {};
    if (status && status.length > 0) {
      values.push(status);
      conditions.push(`status = ANY($${values.length}::worker_status[])`);
    }
    if (awsRegion) {
      values.push(awsRegion);
      conditions.push(`"awsRegion" = $${values.length}`);
    }
    if (nameContains) {
      values.push(`%${nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      conditions.push(`name ILIKE $${values.length} ESCAPE '\\'`);
    }
    const filter = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const after = query.after ? decodeCursor(query.after) : undefined;
    const pageValues = after ? [...values, after.createdAt, after.id] : values;
    const position = after
      ? `${filter ? `${filter} AND` : ' WHERE'} ("createdAt", id) < ($${values.length + 1}, $${values.length + 2})`
      : filter;
    // The count rides along as the last column (an InitPlan, computed once): one round trip.
    const rows = await rowsOf<Worker & { [TOTAL_COUNT]?: number }>(
      this.workers,
      `SELECT ${columnList(columns)}, (SELECT count(*)::int FROM worker${filter}) AS "${TOTAL_COUNT}"
       FROM worker${position}
       ORDER BY "createdAt" DESC, id DESC LIMIT $${pageValues.length + 1}`,
      [...pageValues, query.first + 1],
    );
    const totalCount = rows[0]?.[TOTAL_COUNT] ?? (await this.count(filter, values));
    const edges = rows.slice(0, query.first).map((row) => {
      // The last property added: V8 takes it off without slowing the row's reads down.
      delete row[TOTAL_COUNT];
      const node = Object.setPrototypeOf(row, Worker.prototype) as Worker;
      return { cursor: encodeCursor(node), node };
    });
    return {
      edges,
      pageInfo: pageInfoOf(edges, rows.length > query.first, query.after),
      totalCount,
    };
  }

  /** For a page with no row to carry the count: past the last, or a filter matching none. */
  private async count(filter: string, values: unknown[]): Promise<number> {
    const [{ count }] = await rowsOf<{ count: number }>(
      this.workers,
      `SELECT count(*)::int AS count FROM worker${filter}`,
      values,
    );
    return count;
  }

  existsForInstance(region: string, instanceId: string): Promise<boolean> {
    return this.workers.existsBy({ awsRegion: region, awsInstanceId: instanceId });
  }

  /** The new row, or null when the instance is registered already (the unique index holds). */
  async insert(values: NewWorker): Promise<Worker | null> {
    const [row] = await rowsOf<Worker>(this.workers, INSERT_WORKER, [
      values.name,
      values.awsRegion,
      values.awsInstanceId,
      values.instanceType,
      values.status,
      values.cpuThreshold,
      values.memoryThreshold,
      values.monitoringEnabled ?? true,
      values.lastPolledAt ?? null,
      ...NEW_WORKER_CML_COLUMNS.map((column) => values[column] ?? null),
    ]);
    return row ? this.workers.create(row) : null;
  }

  /**
   * The new rows, in one statement. An instance registered already (the unique index holds),
   * or given twice, gets no row (a second one): it is absent from the answer. Rows go in in
   * instance order, so two statements inserting the same instances never wait on each other in
   * a cycle.
   */
  async insertMany(workers: readonly NewWorker[]): Promise<Worker[]> {
    if (workers.length === 0) {
      return [];
    }
    const values = [...workers].sort(
      (a, b) =>
        a.awsRegion.localeCompare(b.awsRegion) || a.awsInstanceId.localeCompare(b.awsInstanceId),
    );
    const rows = await rowsOf<Worker>(this.workers, INSERT_WORKERS, [
      values.map((v) => v.name),
      values.map((v) => v.awsRegion),
      values.map((v) => v.awsInstanceId),
      values.map((v) => v.instanceType),
      values.map((v) => v.status),
      values.map((v) => v.cpuThreshold),
      values.map((v) => v.memoryThreshold),
      values.map((v) => v.monitoringEnabled ?? true),
      values.map((v) => v.lastPolledAt ?? null),
      ...NEW_WORKER_CML_COLUMNS.map((column) => values.map((v) => v[column] ?? null)),
    ]);
    return rows.map((row) => this.workers.create(row));
  }

  /** The workers registered for any of these instances, in one statement. */
  registeredFor(instances: readonly InstanceKey[]): Promise<(InstanceKey & { id: string })[]> {
    if (instances.length === 0) {
      return Promise.resolve([]);
    }
    return rowsOf(
      this.workers,
      `SELECT w.id, w."awsRegion", w."awsInstanceId"
       FROM worker AS w
       JOIN unnest($1::varchar[], $2::varchar[]) AS k(region, instance_id)
         ON w."awsRegion" = k.region AND w."awsInstanceId" = k.instance_id`,
      [instances.map((i) => i.awsRegion), instances.map((i) => i.awsInstanceId)],
    );
  }

  /** Every region a worker is registered in. */
  async regions(): Promise<string[]> {
    const rows = await rowsOf<{ awsRegion: string }>(
      this.workers,
      'SELECT DISTINCT "awsRegion" FROM worker',
      [],
    );
    return rows.map((row) => row.awsRegion);
  }

  /** Writes only the settings given; null when the worker does not exist (any more). */
  async updateSettings(id: string, settings: WorkerSettings): Promise<Changed | null> {
    const columns = SETTINGS_COLUMNS.filter((column) => settings[column] !== undefined);
    if (columns.length === 0) {
      const current = await this.findById(id);
      return current ? { worker: current, before: current } : null;
    }
    if (!isUuid(id)) {
      return null;
    }
    const assignments = columns.map((column, index) => `"${column}" = $${index + 2}`);
    return this.changed(
      `UPDATE worker AS w SET ${[...assignments, '"updatedAt" = now()'].join(', ')}
       FROM (SELECT * FROM worker WHERE id = $1 FOR NO KEY UPDATE) AS before
       WHERE w.id = before.id
       RETURNING ${RETURNING_CHANGED}`,
      [id, ...columns.map((column) => settings[column])],
    );
  }

  /** Remembers a lifecycle call made for the worker; null when it no longer exists. */
  recordRequest(id: string, action: WorkerAction, at: Date): Promise<Changed | null> {
    return this.changed(
      `UPDATE worker AS w SET "requestedAction" = $2, "requestedAt" = $3, "updatedAt" = now()
       FROM (SELECT * FROM worker WHERE id = $1 FOR NO KEY UPDATE) AS before
       WHERE w.id = before.id
       RETURNING ${RETURNING_CHANGED}`,
      [id, action, at],
    );
  }

  /** Puts back the request that was there before ours, unless another one replaced ours since. */
  async withdrawRequest(
    id: string,
    ours: Date,
    previous: { requestedAction: WorkerAction | null; requestedAt: Date | null },
  ): Promise<void> {
    await this.workers.query(
      `UPDATE worker SET "requestedAction" = $3, "requestedAt" = $4, "updatedAt" = now()
       WHERE id = $1 AND "requestedAt" = $2`,
      [id, ours, previous.requestedAction, previous.requestedAt],
    );
  }

  /**
   * Sets a status a lifecycle call reported. The change is decided on the row as locked, so of
   * two writers racing, only the one that changes it sees a change (`before.status` differs).
   * Null when the worker no longer exists; `before` equals the row when nothing changed.
   * In a transaction, the row stays locked until it ends: what else it writes about the change
   * (its history) is decided by the same lock.
   */
  async changeStatus(
    id: string,
    status: WorkerStatus,
    at: Date,
    tx: Queryable = this.workers,
  ): Promise<Changed | null> {
    const changed = await this.changed(
      `UPDATE worker AS w SET status = $2, "lastTransitionAt" = $3, "updatedAt" = now()
       FROM (SELECT * FROM worker WHERE id = $1 FOR NO KEY UPDATE) AS before
       WHERE w.id = before.id AND before.status <> $2
       RETURNING ${RETURNING_CHANGED}`,
      [id, status, at],
      tx,
    );
    if (changed) {
      return changed;
    }
    const current = await this.findById(id, tx);
    return current ? { worker: current, before: current } : null;
  }

  async remove(id: string): Promise<boolean> {
    if (!isUuid(id)) {
      return false;
    }
    const removed = await rowsOf<{ id: string }>(
      this.workers,
      'DELETE FROM worker WHERE id = $1 RETURNING id',
      [id],
    );
    return removed.length > 0;
  }

  async setNextPollAt(ids: readonly string[], at: Date | null): Promise<void> {
    if (ids.length > 0) {
      await this.workers.query('UPDATE worker SET "nextPollAt" = $2 WHERE id = ANY($1::uuid[])', [
        ids,
        at,
      ]);
    }
  }

  /** What decides whether a worker is polled, for every worker. */
  pollingStates(ids?: readonly string[]): Promise<PollingState[]> {
    return rowsOf<PollingState>(
      this.workers,
      `SELECT id, status, "monitoringEnabled" FROM worker
       WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[])`,
      [ids ? ids.filter((id) => isUuid(id)) : null],
    );
  }

  /**
   * Locks the rows a poll batch is about to write, in id order (so two batches never wait on
   * each other in a cycle), and reads them as they are now: a removed worker is absent.
   */
  async lockForPoll(tx: Queryable, ids: readonly string[]): Promise<Worker[]> {
    const rows = await rowsOf<Worker>(
      tx,
      'SELECT * FROM worker WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE',
      [ids],
    );
    return rows.map((row) => this.workers.create(row));
  }

  storePolls(
    tx: Queryable,
    rows: readonly PolledRow[],
    collectedAt: Date,
    askedAt: Date,
    requestsExpireBefore: Date,
  ): Promise<PolledWorker[]> {
    return rowsOf<PolledWorker>(tx, UPDATE_POLLED_WORKERS, [
      rows.map((r) => r.id),
      rows.map((r) => r.status),
      rows.map((r) => r.systemCheck),
      rows.map((r) => r.instanceCheck),
      rows.map((r) => r.cpu),
      rows.map((r) => r.memory),
      rows.map((r) => r.nextPollAt),
      collectedAt,
      askedAt,
      rows.map((r) => r.cpuHighStreak),
      rows.map((r) => r.memoryHighStreak),
      rows.map((r) => r.lastActivityAt),
      requestsExpireBefore,
      rows.map((r) => r.cml.status),
      rows.map((r) => r.cml.error),
      rows.map((r) => r.cml.asked),
      rows.map((r) => r.cmlFailureStreak),
      rows.map((r) => r.cml.labs !== null),
      rows.map((r) => (r.cml.labs ? JSON.stringify(r.cml.labs.list) : null)),
      rows.map((r) => r.cml.labs?.labsTotal ?? null),
      rows.map((r) => r.cml.labs?.labsRunning ?? null),
      rows.map((r) => r.cml.labs?.nodesTotal ?? null),
      rows.map((r) => r.cml.labs?.nodesRunning ?? null),
      rows.map((r) => r.cml.details !== null),
      rows.map((r) => r.cml.details?.version ?? null),
      rows.map((r) => r.cml.details?.ready ?? null),
      rows.map((r) => (r.cml.details?.license ? JSON.stringify(r.cml.details.license) : null)),
      rows.map((r) => r.cml.addresses !== null),
      rows.map((r) => r.cml.addresses?.privateIpAddress ?? null),
      rows.map((r) => r.cml.addresses?.publicIpAddress ?? null),
      rows.map((r) => r.cml.addresses?.publicDnsName ?? null),
    ]);
  }

  recordPollFailures(
    tx: Queryable,
    failures: readonly FailedPoll[],
    at: Date,
  ): Promise<{ id: string; failures: number }[]> {
    return rowsOf(tx, RECORD_POLL_FAILURES, [
      failures.map((f) => f.id),
      failures.map((f) => f.message),
      failures.map((f) => f.nextPollAt),
      at,
    ]);
  }

  gauges(): Promise<WorkerGauge[]> {
    return rowsOf<WorkerGauge>(
      this.workers,
      `SELECT id, name, "awsInstanceId", "awsRegion", status, "cpuUtilization",
         "memoryUtilization", "lastPolledAt"
       FROM worker`,
      [],
    );
  }

  private async changed(
    statement: string,
    parameters: unknown[],
    db: Queryable = this.workers,
  ): Promise<Changed | null> {
    const [row] = await rowsOf<Worker & { before: Worker }>(db, statement, parameters);
    if (!row) {
      return null;
    }
    const { before, ...worker } = row;
    return {
      worker: this.workers.create(worker),
      before: this.workers.create(reviveTimestamps(before)),
    };
  }
}

/** json_build_object's timestamps arrive as strings. */
function reviveTimestamps(row: Worker): Worker {
  const revived: Record<string, unknown> = { ...row };
  for (const column of TIMESTAMP_COLUMNS) {
    const value = revived[column];
    revived[column] = typeof value === 'string' ? new Date(value) : value;
  }
  return revived as unknown as Worker;
}

const TIMESTAMP_COLUMNS = [
  'lastPolledAt',
  'nextPollAt',
  'lastActivityAt',
  'lastTransitionAt',
  'lastPollErrorAt',
  'requestedAt',
  'cmlCheckedAt',
  'cmlDetailsAt',
  'createdAt',
  'updatedAt',
];

const RETURNING_CHANGED = `w.*, to_jsonb(before) AS before`;

/** Where and how to reach a new worker's controller, in this order after the other columns. */
const NEW_WORKER_CML_COLUMNS = [
  'privateIpAddress',
  'publicIpAddress',
  'publicDnsName',
  'cmlEndpointOverride',
  'cmlUsername',
  'cmlPasswordEncrypted',
] as const;
const CML_COLUMN_LIST = NEW_WORKER_CML_COLUMNS.map((column) => `"${column}"`).join(', ');

const INSERT_WORKER = `
  INSERT INTO worker ("name", "awsRegion", "awsInstanceId", "instanceType", "status",
    "cpuThreshold", "memoryThreshold", "monitoringEnabled", "lastPolledAt", ${CML_COLUMN_LIST})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  ON CONFLICT ("awsRegion", "awsInstanceId") DO NOTHING
  RETURNING *`;

const INSERT_WORKERS = `
  INSERT INTO worker ("name", "awsRegion", "awsInstanceId", "instanceType", "status",
    "cpuThreshold", "memoryThreshold", "monitoringEnabled", "lastPolledAt", ${CML_COLUMN_LIST})
  SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[],
    $5::worker_status[], $6::float8[], $7::float8[], $8::boolean[], $9::timestamptz[],
    $10::varchar[], $11::varchar[], $12::varchar[], $13::varchar[], $14::varchar[], $15::text[])
  ON CONFLICT ("awsRegion", "awsInstanceId") DO NOTHING
  RETURNING *`;

const requestSettled = `coalesce(w."lastTransitionAt" < $9, true) AND (w."requestedAt" < $13
  OR (w."requestedAction"::text, v.status::text)
    IN (('STOP', 'STOPPED'), ('START', 'RUNNING'), ('TERMINATE', 'TERMINATED')))`;

/**
 * The join on a second copy of the row reads the worker before this statement, so status
 * changes and what the alerts need come back without a query per worker. A transition
 * recorded after EC2 was asked (a stopWorker during the poll) is newer than what the poll saw,
 * and is kept. A lifecycle request is forgotten once the poll sees its outcome, or once it is
 * too old ($13) to explain anything.
 */
const UPDATE_POLLED_WORKERS = `
  UPDATE worker AS w SET
    "status" = CASE WHEN w."lastTransitionAt" >= $9 THEN w.status ELSE v.status END,
    "systemCheck" = v.system_check,
    "instanceCheck" = v.instance_check,
    "cpuUtilization" = v.cpu,
    "memoryUtilization" = v.memory,
    "nextPollAt" = v.next_poll_at,
    "lastPolledAt" = $8,
    "lastTransitionAt" = CASE
      WHEN w.status = v.status OR w."lastTransitionAt" >= $9 THEN w."lastTransitionAt"
      ELSE $8 END,
    "lastPollError" = NULL,
    "lastPollErrorAt" = NULL,
    "consecutivePollFailures" = 0,
    "cpuHighStreak" = v.cpu_high_streak,
    "memoryHighStreak" = v.memory_high_streak,
    "lastActivityAt" = v.last_activity_at,
    "requestedAction" = CASE WHEN ${requestSettled} THEN NULL ELSE w."requestedAction" END,
    "requestedAt" = CASE WHEN ${requestSettled} THEN NULL ELSE w."requestedAt" END,
    "cmlStatus" = v.cml_status,
    "cmlError" = v.cml_error,
    "cmlCheckedAt" = CASE WHEN v.cml_asked THEN $8 ELSE w."cmlCheckedAt" END,
    "cmlFailureStreak" = v.cml_failure_streak,
    "cmlLabs" = CASE WHEN v.labs_read THEN v.labs ELSE w."cmlLabs" END,
    "labsTotal" = CASE WHEN v.labs_read THEN v.labs_total ELSE w."labsTotal" END,
    "labsRunning" = CASE WHEN v.labs_read THEN v.labs_running ELSE w."labsRunning" END,
    "nodesTotal" = CASE WHEN v.labs_read THEN v.nodes_total ELSE w."nodesTotal" END,
    "nodesRunning" = CASE WHEN v.labs_read THEN v.nodes_running ELSE w."nodesRunning" END,
    "cmlVersion" = CASE WHEN v.details_read THEN v.cml_version ELSE w."cmlVersion" END,
    "cmlReady" = CASE WHEN v.details_read THEN v.cml_ready ELSE w."cmlReady" END,
    "cmlLicense" = CASE WHEN v.details_read THEN v.cml_license ELSE w."cmlLicense" END,
    "cmlDetailsAt" = CASE WHEN v.details_read THEN $8 ELSE w."cmlDetailsAt" END,
    "privateIpAddress" = CASE WHEN v.addresses_read THEN v.private_ip ELSE w."privateIpAddress" END,
    "publicIpAddress" = CASE WHEN v.addresses_read THEN v.public_ip ELSE w."publicIpAddress" END,
    "publicDnsName" = CASE WHEN v.addresses_read THEN v.public_dns ELSE w."publicDnsName" END,
    "updatedAt" = now()
  FROM unnest($1::uuid[], $2::worker_status[], $3::check_status[], $4::check_status[],
      $5::float8[], $6::float8[], $7::timestamptz[], $10::int[], $11::int[], $12::timestamptz[],
      $14::cml_status[], $15::text[], $16::boolean[], $17::int[], $18::boolean[], $19::jsonb[],
      $20::int[], $21::int[], $22::int[], $23::int[], $24::boolean[], $25::text[],
      $26::boolean[], $27::jsonb[], $28::boolean[], $29::text[], $30::text[], $31::text[])
      AS v(id, status, system_check, instance_check, cpu, memory, next_poll_at,
        cpu_high_streak, memory_high_streak, last_activity_at, cml_status, cml_error, cml_asked,
        cml_failure_streak, labs_read, labs, labs_total, labs_running, nodes_total, nodes_running,
        details_read, cml_version, cml_ready, cml_license, addresses_read, private_ip, public_ip,
        public_dns)
    -- Locked as the update locks it, so "before" is the row as it is when updated: a request
    -- that changed the status meanwhile (and announced it) is seen, not the snapshot the
    -- statement started with. FOR UPDATE would also wait on the samples' foreign-key locks.
    JOIN (SELECT * FROM worker WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE) AS before
      ON before.id = v.id
  WHERE w.id = v.id
  RETURNING w.id, w.status, before.status AS "previousStatus",
    before."consecutivePollFailures" AS "previousFailures",
    coalesce(before."lastTransitionAt", before."createdAt") AS "previousTransitionAt",
    before."requestedAction", before."requestedAt", w."cpuThreshold", w."memoryThreshold",
    (SELECT coalesce(json_agg(json_build_object(
        'id', a.id, 'kind', a.kind, 'threshold', a.threshold)), '[]')
     FROM alert AS a WHERE a."workerId" = w.id AND a.state = 'FIRING') AS "openAlerts"`;

const RECORD_POLL_FAILURES = `
  UPDATE worker AS w SET
    "lastPollError" = v.message,
    "lastPollErrorAt" = $4,
    "consecutivePollFailures" = w."consecutivePollFailures" + 1,
    "nextPollAt" = v.next_poll_at,
    "updatedAt" = now()
  FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS v(id, message, next_poll_at)
  WHERE w.id = v.id
  RETURNING w.id, w."consecutivePollFailures" AS failures`;

/** The page's column that is no worker's: a name no column of `worker` has. */
const TOTAL_COUNT = '_totalCount';

/** A page's cursor needs `createdAt` and `id`, whatever else is asked. */
function columnList(columns: readonly WorkerColumn[] | null): string {
  if (!columns) {
    return '*';
  }
  return [...new Set<WorkerColumn>(['id', 'createdAt', ...columns])]
    .map((column) => quoteIdentifier(column))
    .join(', ');
}
