import type {
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import type { AuditEventRepository } from '../../repositories/audit-event.repository';
import { currentAudit } from './audit-scope';

/**
 * Writes a mutation's record in the first transaction the mutation commits, just before its
 * COMMIT: whatever the services do in it, and through whichever Transactor, the record commits
 * or rolls back with it. A failed write of the record fails that transaction (Postgres aborts a
 * transaction on any failed statement), so no change commits unrecorded.
 */
export class AuditTransactionSubscriber implements EntitySubscriberInterface {
  constructor(private readonly events: Pick<AuditEventRepository, 'write'>) {}

  async beforeTransactionCommit({ queryRunner, manager }: TransactionCommitEvent): Promise<void> {
    const pending = currentAudit();
    if (!pending || pending.settled || pending.carrier) {
      return;
    }
    pending.carrier = queryRunner;
    await this.events.write([pending.record(pending.entry)], manager);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    const pending = currentAudit();
    // A savepoint's release commits nothing yet: only the outermost COMMIT does.
    if (pending?.carrier === queryRunner && !queryRunner.isTransactionActive) {
      pending.committed = true;
    }
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    const pending = currentAudit();
    if (pending?.carrier === queryRunner) {
      pending.carrier = undefined;
      pending.committed = false;
    }
  }
}
