import { randomUUID } from 'node:crypto';
import type { EntitySubscriberInterface } from 'typeorm';
import type { AuditEvent, AuditEventColumn } from '../../entities/audit-event.entity';
import { AuditOutcome } from '../../entities/audit-outcome.enum';
import type { Logger } from '../../logger';
import type {
  AuditEventRepository,
  AuditListQuery,
} from '../../repositories/audit-event.repository';
import type { Page } from '../../repositories/pagination';
import { type AuditCaller, type AuditEntry, PendingAudit, runAudited } from './audit-scope';
import { AuditTransactionSubscriber } from './audit-transaction.subscriber';

export type { AuditListQuery as AuditQuery };

const PRUNE_BATCH = 5000;

/** One mutation to record, and how to tell its outcome. */
export interface AuditedCall<T> extends AuditCaller {
  /** What the arguments tell, before the outcome is known. */
  subject: Pick<AuditEntry, 'workerId' | 'alertId' | 'summary'>;
  /** The records of a success: one, or one per item of a batch. */
  succeeded(result: T): AuditEntry[];
  /** The record of a failure, with the error code the caller is answered. */
  failed(error: unknown): AuditEntry;
}

/** The audit log: every mutation recorded with its caller and outcome, for a retention. */
export class AuditService {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly retentionDays: number,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly pruneBatch = PRUNE_BATCH,
  ) {}

  /** Newest first, by (at, id). */
  list(
    query: AuditListQuery,
    columns: readonly AuditEventColumn[] | null = null,
  ): Promise<Page<AuditEvent>> {
    return this.events.list(query, columns);
  }

  /** What writes a mutation's record inside the first transaction it commits. */
  transactionSubscriber(): EntitySubscriberInterface {
    return new AuditTransactionSubscriber(this.events);
  }

  /**
   * Runs a mutation and records it: SUCCEEDED within the first transaction it commits, if any;
   * then, once it is over, with its outcome (inserted, or updated by id). The mutation's own
   * answer is never changed by the record failing afterwards: the change is made, and a client
   * told otherwise would retry it (a createWorker would launch a second instance); the failure
   * is logged as an error.
   */
  async record<T>(call: AuditedCall<T>, work: () => Promise<T>): Promise<T> {
    const { actor, operation, subject } = call;
    const pending = new PendingAudit(
      { actor, operation },
      { ...subject, outcome: AuditOutcome.SUCCEEDED, errorCode: null },
      this.now(),
    );
    let result: T;
    try {
      result = await runAudited(pending, work);
    } catch (error) {
      await this.settle(pending, () => [call.failed(error)]);
      throw error;
    }
    await this.settle(pending, () => call.succeeded(result));
    return result;
  }

  /** Deletes records past the retention in bounded batches, so no statement holds locks long. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.retentionDays * 86_400_000);
    let deleted = 0;
    for (;;) {
      const batch = await this.events.deleteOlderThan(cutoff, this.pruneBatch);
      deleted += batch;
      if (batch < this.pruneBatch) {
        break;
      }
    }
    if (deleted > 0) {
      this.logger.info({ deleted, cutoff }, 'pruned old audit records');
    }
    return deleted;
  }

  private async settle(pending: PendingAudit, entriesOf: () => AuditEntry[]): Promise<void> {
    pending.settled = true;
    try {
      const entries = entriesOf();
      const [first, ...others] = entries.length > 0 ? entries : [pending.entry];
      if (pending.committed && others.length === 0 && sameEntry(first, pending.entry)) {
        return;
      }
      await this.events.write([
        pending.record(first),
        ...others.map((entry) => pending.record(entry, randomUUID())),
      ]);
    } catch (error) {
      this.logger.error(
        {
          err: error,
          auditId: pending.id,
          actor: pending.caller.actor,
          operation: pending.caller.operation,
        },
        'could not record a mutation in the audit log',
      );
    }
  }
}

function sameEntry(a: AuditEntry, b: AuditEntry): boolean {
  return (
    a.workerId === b.workerId &&
    a.alertId === b.alertId &&
    a.outcome === b.outcome &&
    a.errorCode === b.errorCode &&
    a.summary === b.summary
  );
}
