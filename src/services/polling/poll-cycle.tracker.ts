/** The AWS actions a poll makes; other calls (lifecycle, imports) are not part of a cycle. */
export const POLL_ACTIONS = ['DescribeInstanceStatus', 'GetMetricData'] as const;

export interface PollCycle {
  /** The interval boundary the cycle's polls were due at. */
  dueAt: Date;
  startedAt: Date;
  finishedAt: Date;
  batches: number;
  workersPolled: number;
  workersFailed: number;
  awsCalls: Map<string, number>;
}

/**
 * Sums what this process polled per interval: every batch whose polls started within the same
 * interval belongs to one cycle, whatever the number of batches Agenda's claims cut it into.
 */
export class PollCycleTracker {
  private current: PollCycle | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  countCall(action: string): void {
    if (!(POLL_ACTIONS as readonly string[]).includes(action)) {
      return;
    }
    const cycle = this.cycleAt(this.now());
    cycle.awsCalls.set(action, (cycle.awsCalls.get(action) ?? 0) + 1);
  }

  recordBatch(batch: { startedAt: Date; finishedAt: Date; polled: number; failed: number }): void {
    const cycle = this.cycleAt(batch.startedAt);
    cycle.batches += 1;
    cycle.workersPolled += batch.polled;
    cycle.workersFailed += batch.failed;
    if (batch.startedAt < cycle.startedAt) {
      cycle.startedAt = batch.startedAt;
    }
    if (batch.finishedAt > cycle.finishedAt) {
      cycle.finishedAt = batch.finishedAt;
    }
  }

  /** The newest cycle this process took part in, possibly still under way. */
  lastCycle(): PollCycle | undefined {
    return this.current && { ...this.current, awsCalls: new Map(this.current.awsCalls) };
  }

  private cycleAt(time: Date): PollCycle {
    const dueAt = new Date(Math.floor(time.getTime() / this.intervalMs) * this.intervalMs);
    if (!this.current || this.current.dueAt.getTime() < dueAt.getTime()) {
      this.current = {
        dueAt,
        startedAt: time,
        finishedAt: time,
        batches: 0,
        workersPolled: 0,
        workersFailed: 0,
        awsCalls: new Map(),
      };
    }
    return this.current;
  }
}
