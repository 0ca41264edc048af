/** What one poll gave for one worker. */
export type PollOutcome =
  | { kind: 'polled'; nextPollAt: Date | null }
  /** AWS failed for the worker's region; the error is recorded on the worker. */
  | { kind: 'failed'; error: unknown; nextPollAt: Date | null }
  /** EC2 no longer knows the instance, or the worker was removed: nothing left to poll. */
  | { kind: 'gone'; nextPollAt: null };

/**
 * Polls the workers; `onScheduleOnly` names those that only their poll job asked for, whose
 * interval may have been served already (by a refresh, or by a run whose process died).
 */
export type PollBatch = (
  workerIds: string[],
  onScheduleOnly: ReadonlySet<string>,
) => Promise<Map<string, PollOutcome>>;

export interface PollBatcherOptions {
  /** The batch is polled once no further worker was added for this long... */
  windowMs: number;
  /** ...or once its first worker waited this long, whichever comes first. */
  maxWaitMs: number;
  /** A batch this large is polled at once. */
  maxBatchSize: number;
  /**
   * Workers per whole AWS request (100 per DescribeInstanceStatus, 250 per GetMetricData:
   * 500 fills both). A batch cut short by the longest wait leaves the odd remainder for the
   * next one, so that a cycle's batches cost no more calls than one batch of them all.
   */
  alignment: number;
}

interface Waiter {
  scheduled: boolean;
  resolve(outcome: PollOutcome): void;
  reject(error: unknown): void;
}

/**
 * Gathers the workers whose poll jobs come due together into one batch, so that N workers
 * cost ⌈N/100⌉ + ⌈2N/500⌉ AWS calls and a few SQL statements instead of several each.
 * Agenda starts the due jobs one after another as it claims them; the batch waits until
 * they stop arriving.
 */
export class PollBatcher {
  private pending = new Map<string, Waiter[]>();
  private idleTimer: NodeJS.Timeout | undefined;
  private maxWaitTimer: NodeJS.Timeout | undefined;
  private lastArrivalAt = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly pollBatch: PollBatch,
    private readonly options: PollBatcherOptions,
  ) {}

  /**
   * Resolves once the batch holding this worker is stored and published. `scheduled`: asked by
   * the worker's poll job, not by someone who wants a fresh reading now.
   */
  poll(workerId: string, { scheduled = false } = {}): Promise<PollOutcome> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(workerId);
      if (waiters) {
        waiters.push({ scheduled, resolve, reject });
      } else {
        this.pending.set(workerId, [{ scheduled, resolve, reject }]);
      }
      this.scheduleFlush();
    });
  }

  /** Waits for the batches under way; new ones may still start. */
  async settle(): Promise<void> {
    while (this.pending.size > 0 || this.inFlight.size > 0) {
      if (this.pending.size > 0) {
        this.flush(this.pending.size);
      }
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private scheduleFlush(): void {
    this.lastArrivalAt = performance.now();
    if (this.pending.size >= this.options.maxBatchSize) {
      this.flush(this.pending.size);
      return;
    }
    this.idleTimer ??= setTimeout(() => this.flushWhenIdle(), this.options.windowMs);
    this.maxWaitTimer ??= setTimeout(() => this.flushAligned(), this.options.maxWaitMs);
  }

  /**
   * After a long synchronous stretch (a batch being stored), timers run before the arrivals
   * that queued meanwhile: look again once those are in before calling the batch complete.
   */
  private flushWhenIdle(): void {
    setImmediate(() => {
      const quietFor = performance.now() - this.lastArrivalAt;
      if (quietFor >= this.options.windowMs) {
        this.idleTimer = undefined;
        this.flush(this.pending.size);
      } else {
        this.idleTimer = setTimeout(() => this.flushWhenIdle(), this.options.windowMs - quietFor);
      }
    });
  }

  /** Workers keep arriving: poll the whole requests' worth, leave the remainder to the next. */
  private flushAligned(): void {
    this.maxWaitTimer = undefined;
    const { alignment } = this.options;
    const aligned = this.pending.size - (this.pending.size % alignment);
    this.flush(aligned > 0 ? aligned : this.pending.size);
    if (this.pending.size > 0) {
      this.maxWaitTimer = setTimeout(() => this.flushAligned(), this.options.maxWaitMs);
    }
  }

  /** Polls the `count` workers that have waited longest. */
  private flush(count: number): void {
    if (this.pending.size === 0 || count === 0) {
      return;
    }
    let batch: Map<string, Waiter[]>;
    if (count >= this.pending.size) {
      clearTimeout(this.idleTimer);
      clearTimeout(this.maxWaitTimer);
      this.idleTimer = undefined;
      this.maxWaitTimer = undefined;
      batch = this.pending;
      this.pending = new Map();
    } else {
      const entries = [...this.pending];
      batch = new Map(entries.slice(0, count));
      this.pending = new Map(entries.slice(count));
    }
    const run = this.run(batch).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async run(batch: Map<string, Waiter[]>): Promise<void> {
    try {
      const onScheduleOnly = new Set(
        [...batch].filter(([, waiters]) => waiters.every((w) => w.scheduled)).map(([id]) => id),
      );
      const outcomes = await this.pollBatch([...batch.keys()], onScheduleOnly);
      for (const [workerId, waiters] of batch) {
        const outcome = outcomes.get(workerId) ?? { kind: 'gone', nextPollAt: null };
        waiters.forEach((waiter) => waiter.resolve(outcome));
      }
    } catch (error) {
      batch.forEach((waiters) => waiters.forEach((waiter) => waiter.reject(error)));
    }
  }
}
