import type { WorkerStatusTransition } from '../../entities/worker-status-transition.entity';
import type { Logger } from '../../logger';
import type {
  TransitionRange,
  WorkerStatusTransitionRepository,
} from '../../repositories/worker-status-transition.repository';

export type { TransitionRange };

const PRUNE_BATCH = 5000;

/**
 * The workers' status history for the API, and its retention: kept as long as the samples.
 * The transitions themselves are written by whoever writes the status, in the same transaction.
 */
export class StatusHistoryService {
  constructor(
    private readonly transitions: WorkerStatusTransitionRepository,
    private readonly retentionDays: number,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The newest transitions of each worker, in one statement for all of them. */
  newestTransitions(
    workerIds: readonly string[],
    range: TransitionRange,
  ): Promise<WorkerStatusTransition[][]> {
    return this.transitions.newestOf(workerIds, range);
  }

  /** Deletes transitions past the retention in bounded batches, so no statement holds locks long. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.retentionDays * 86_400_000);
    let deleted = 0;
    for (;;) {
      const batch = await this.transitions.deleteOlderThan(cutoff, PRUNE_BATCH);
      deleted += batch;
      if (batch < PRUNE_BATCH) {
        break;
      }
    }
    if (deleted > 0) {
      this.logger.info({ deleted, cutoff }, 'pruned old status transitions');
    }
    return deleted;
  }
}
