import { In, type DataSource, type Repository } from 'typeorm';
import { AuditEvent, type AuditEventColumn } from '../entities/audit-event.entity';
import type { AuditOutcome } from '../entities/audit-outcome.enum';
import { inOrderOf } from '../lib/maps';
import { isUuid } from '../lib/uuid';
import { newestFirstPage, type Page, pageInfoOf } from './pagination';
import { type Queryable, rowsOf } from './sql-result';

export type AuditRecord = Pick<
  AuditEvent,
  'id' | 'at' | 'actor' | 'operation' | 'workerId' | 'alertId' | 'outcome' | 'errorCode' | 'summary'
>;

export interface AuditListQuery {
  filter?: {
    actor?: string | null;
    workerId?: string | null;
    operations?: readonly string[] | null;
    outcome?: AuditOutcome | null;
    since?: Date | null;
  } | null;
  first: number;
  after?: string | null;
}

/** What a filter that names nothing answers. */
function emptyPage(after: string | null | undefined): Page<AuditEvent> {
  return { edges: [], pageInfo: pageInfoOf([], false, after), totalCount: 0 };
}

/** The only writer of `audit_event`. */
export class AuditEventRepository {
  private readonly events: Repository<AuditEvent>;

  constructor(dataSource: DataSource) {
    this.events = dataSource.getRepository(AuditEvent);
  }

  /**
   * Inserts the records in one statement; a record whose id is stored already (written by the
   * mutation's transaction) takes the outcome, subject and summary given here.
   */
  async write(records: readonly AuditRecord[], db: Queryable = this.events): Promise<void> {
    if (records.length === 0) {
      return;
    }
    const column = <Key extends keyof AuditRecord>(key: Key) =>
      records.map((record) => record[key]);
    await db.query(WRITE_RECORDS, [
      column('id'),
      column('at'),
      column('actor'),
      column('operation'),
      column('workerId'),
      column('alertId'),
      column('outcome'),
      column('errorCode'),
      column('summary'),
    ]);
  }

  /** In the order asked, null for an unknown id. */
  async findByIds(ids: readonly string[]): Promise<(AuditEvent | null)[]> {
    const valid = ids.filter((id) => isUuid(id));
    const found = valid.length > 0 ? await this.events.findBy({ id: In(valid) }) : [];
    return inOrderOf(ids, found);
  }

  /** Newest first, by (at, id). */
  list(
    query: AuditListQuery,
    columns: readonly AuditEventColumn[] | null = null,
  ): Promise<Page<AuditEvent>> {
    const { actor, workerId, operations, outcome, since } = query.filter ?? {};
    if (workerId !== undefined && workerId !== null && !isUuid(workerId)) {
      return Promise.resolve(emptyPage(query.after));
    }
    const filtered = this.events.createQueryBuilder('event');
    if (actor !== undefined && actor !== null) {
      filtered.andWhere('event.actor = :actor', { actor });
    }
    if (workerId) {
      filtered.andWhere('event.workerId = :workerId', { workerId });
    }
    if (operations) {
      if (operations.length === 0) {
        return Promise.resolve(emptyPage(query.after));
      }
      filtered.andWhere('event.operation IN (:...operations)', { operations });
    }
    if (outcome) {
      filtered.andWhere('event.outcome = :outcome', { outcome });
    }
    if (since) {
      filtered.andWhere('event.at >= :since', { since });
    }
    return newestFirstPage(
      filtered,
      'at',
      { first: query.first, after: query.after ?? undefined },
      columns,
    );
  }

  /**
   * Deletes at most `limit` of the records older than `cutoff`, oldest first. The ids go through
   * an array so the rows are found by primary key: `IN (SELECT …)` is planned as a scan of the
   * whole table.
   */
  async deleteOlderThan(cutoff: Date, limit: number): Promise<number> {
    const deleted = await rowsOf<{ id: string }>(
      this.events,
      `DELETE FROM audit_event WHERE id = ANY(ARRAY(
         SELECT id FROM audit_event WHERE at < $1 ORDER BY at LIMIT $2))
       RETURNING id`,
      [cutoff, limit],
    );
    return deleted.length;
  }
}

const WRITE_RECORDS = `
  INSERT INTO audit_event (id, at, actor, operation, "workerId", "alertId", outcome, "errorCode",
    summary)
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::uuid[],
    $6::uuid[], $7::audit_outcome[], $8::text[], $9::text[])
  ON CONFLICT (id) DO UPDATE SET
    "workerId" = EXCLUDED."workerId",
    "alertId" = EXCLUDED."alertId",
    outcome = EXCLUDED.outcome,
    "errorCode" = EXCLUDED."errorCode",
    summary = EXCLUDED.summary`;
