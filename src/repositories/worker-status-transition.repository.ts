import type { DataSource, Repository } from 'typeorm';
import type { ChangeSource } from '../entities/change-source.enum';
import type { WorkerStatus } from '../entities/worker-status.enum';
import { WorkerStatusTransition } from '../entities/worker-status-transition.entity';
import { Queryable, rowsOf } from './sql-result';

export interface NewTransition {
  workerId: string;
  previousStatus: WorkerStatus;
  status: WorkerStatus;
  changedAt: Date;
  source: ChangeSource;
  actor: string | null;
}

export interface TransitionRange {
  since?: Date | null;
  limit: number;
}

/** The only writer of `worker_status_transition`. */
export class WorkerStatusTransitionRepository {
  private readonly transitions: Repository<WorkerStatusTransition>;

  constructor(dataSource: DataSource) {
    this.transitions = dataSource.getRepository(WorkerStatusTransition);
  }

  /**
   * One statement for a whole batch, in the transaction that wrote the statuses: that
   * transaction holds the workers' rows locked, so none of them can be removed meanwhile.
   */
  async insert(tx: Queryable, transitions: readonly NewTransition[]): Promise<void> {
    if (transitions.length > 0) {
      await tx.query(INSERT_TRANSITIONS, [
        transitions.map((t) => t.workerId),
        transitions.map((t) => t.previousStatus),
        transitions.map((t) => t.status),
        transitions.map((t) => t.changedAt),
        transitions.map((t) => t.source),
        transitions.map((t) => t.actor),
      ]);
    }
  }

  /** The newest transitions of each worker, in one statement for all of them. */
  async newestOf(
    workerIds: readonly string[],
    range: TransitionRange,
  ): Promise<WorkerStatusTransition[][]> {
    const rows = await rowsOf<WorkerStatusTransition>(this.transitions, NEWEST_TRANSITIONS, [
      workerIds,
      range.since ?? null,
      range.limit,
    ]);
    const byWorker = new Map<string, WorkerStatusTransition[]>(workerIds.map((id) => [id, []]));
    for (const row of rows) {
      byWorker.get(row.workerId)?.push(this.transitions.create(row));
    }
    return workerIds.map((id) => byWorker.get(id) ?? []);
  }

  /** Deletes at most `limit` transitions made before `cutoff`; returns how many went. */
  async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    const deleted = await rowsOf<{ id: string }>(
      this.transitions,
      `DELETE FROM worker_status_transition WHERE id IN (
         SELECT id FROM worker_status_transition WHERE "changedAt" < $1 LIMIT $2)
       RETURNING id`,
      [cutoff, limit],
    );
    return deleted.length;
  }
}

const INSERT_TRANSITIONS = `
  INSERT INTO worker_status_transition ("workerId", "previousStatus", "status", "changedAt",
    "source", "actor")
  SELECT * FROM unnest($1::uuid[], $2::worker_status[], $3::worker_status[], $4::timestamptz[],
    $5::change_source[], $6::text[])`;

/**
 * A lateral join walks each worker's index and stops at the limit; the id breaks ties between
 * changes stored at the same millisecond, newest last written first.
 */
const NEWEST_TRANSITIONS = `
  SELECT transition.*
  FROM unnest($1::uuid[]) AS requested(id)
  CROSS JOIN LATERAL (
    SELECT * FROM worker_status_transition AS t
    WHERE t."workerId" = requested.id
      AND ($2::timestamptz IS NULL OR t."changedAt" >= $2)
    ORDER BY t."changedAt" DESC, t.id DESC
    LIMIT $3
  ) AS transition`;
