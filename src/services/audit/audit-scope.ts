import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { AuditOutcome } from '../../entities/audit-outcome.enum';
import type { AuditRecord } from '../../repositories/audit-event.repository';

/** What one record says of a mutation, beside who called it, which mutation and when. */
export interface AuditEntry {
  workerId: string | null;
  alertId: string | null;
  outcome: AuditOutcome;
  errorCode: string | null;
  summary: string;
}

export interface AuditCaller {
  actor: string;
  operation: string;
}

/**
 * A mutation under way and its record: the one a transaction of the mutation writes (as it
 * commits, so the write and its record stand or fall together), then settled with the outcome.
 */
export class PendingAudit {
  readonly id = randomUUID();
  /** The transaction that wrote the record, until it rolls back. */
  carrier: object | undefined;
  /** The record as `entry` says is committed. */
  committed = false;
  /** The mutation is over: a transaction still running (started and not awaited) is not its own. */
  settled = false;

  constructor(
    readonly caller: AuditCaller,
    readonly entry: AuditEntry,
    readonly at: Date,
  ) {}

  record(entry: AuditEntry, id: string = this.id): AuditRecord {
    return { id, at: this.at, ...this.caller, ...entry };
  }
}

const scopes = new AsyncLocalStorage<PendingAudit>();

/** The mutation whose work is running here, if any. */
export function currentAudit(): PendingAudit | undefined {
  return scopes.getStore();
}

/** Runs `work` as the mutation of `pending`: the transactions it commits carry its record. */
export function runAudited<T>(pending: PendingAudit, work: () => Promise<T>): Promise<T> {
  return scopes.run(pending, work);
}
