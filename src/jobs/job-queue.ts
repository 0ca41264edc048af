import type { JobPayloads, QueuedJobName } from './job-catalogue';

/** What services use to put work on the job store; the scheduler implements it. */
export interface JobQueue {
  /** Queues one job per payload, due now; a payload whose job already exists is left alone. */
  enqueue<Name extends QueuedJobName>(
    name: Name,
    payloads: readonly JobPayloads[Name][],
  ): Promise<void>;
}

/** What the job store says of one worker's poll job. */
export interface PollJobState {
  workerId: string;
  nextRunAt: Date | null;
  lockedAt: Date | null;
  lastRunAt: Date | null;
  lastFinishedAt: Date | null;
}

export interface JobCounts {
  due: number;
  running: number;
  late: number;
}

export type JobStoreKind = 'postgres' | 'mongo';

/** The per-worker poll jobs, as monitoring makes, cancels and reports them. */
export interface PollSchedule {
  readonly kind: JobStoreKind;
  /** Makes sure each worker has its poll job; a worker that already has one keeps it as it is. */
  schedulePolls(workerIds: readonly string[], firstRunAt: Date): Promise<void>;
  cancelPolls(workerIds: readonly string[]): Promise<void>;
  pollJobs(): Promise<PollJobState[]>;
  pollJobCounts(now?: Date): Promise<JobCounts>;
}
