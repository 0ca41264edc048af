/**
 * Every job the service runs: its name, its payload (ids only, plain JSON), the payload key of
 * which at most one job may exist, how many run at once per process and how a failure is
 * retried. A leaf: it imports nothing of ours, so services, handlers and the scheduler can all
 * depend on it.
 */

type NoPayload = Record<string, never>;

export interface JobPayloads {
  /** Polls one worker (in a batch with the others due with it), then schedules its next poll. */
  'poll-worker': { workerId: string };
  /** Sends one notification to one receiver; retried with backoff while the receiver fails. */
  'deliver-notification': { notificationId: string };
  /** Acts on a fired alert: restarts a worker stopped unexpectedly, or stops an idle one. */
  'remediate-worker': { alertId: string };
  /**
   * Deletes samples and status transitions past METRICS_RETENTION_DAYS, and audit records past
   * AUDIT_RETENTION_DAYS.
   */
  'prune-metrics': NoPayload;
  /** Makes and cancels poll jobs the job store missed while it was unreachable. */
  'reconcile-polls': NoPayload;
  /**
   * Sends the notification groups that are due (group wait, group interval, reminders), and
   * queues again deliveries whose job was lost.
   */
  'notify-alert-groups': NoPayload;
  /** Registers the instances carrying WORKER_AUTO_IMPORT_TAGS that no worker is registered for. */
  'auto-import-workers': NoPayload;
}

export type JobName = keyof JobPayloads;

export const POLL_WORKER_JOB = 'poll-worker' satisfies JobName;
export const DELIVER_NOTIFICATION_JOB = 'deliver-notification' satisfies JobName;
export const REMEDIATE_WORKER_JOB = 'remediate-worker' satisfies JobName;
export const PRUNE_METRICS_JOB = 'prune-metrics' satisfies JobName;
export const RECONCILE_POLLS_JOB = 'reconcile-polls' satisfies JobName;
export const NOTIFY_ALERT_GROUPS_JOB = 'notify-alert-groups' satisfies JobName;

export type RetryPolicy =
  /** A failed run is not run again by the job store (the next scheduled run is the retry). */
  | { kind: 'none' }
  /** `baseMs * 2^(attempt-1)` with jitter, capped; the base comes from configuration. */
  | { kind: 'exponential'; maxDelayMs: number };

interface KeyedJob<Name extends JobName> {
  kind: 'keyed';
  /** At most one job per value of this payload field (a unique index in the job store). */
  dedupKey: keyof JobPayloads[Name] & string;
  uniqueIndex: string;
  /** Per process; 'configured' takes JOBS_CONCURRENCY. */
  concurrency: number | 'configured';
  retry: RetryPolicy;
}

interface RecurringJob {
  kind: 'recurring';
  /**
   * One such job exists fleet-wide; one run at a time. 'notification-groups' follows the
   * group wait and interval, 'auto-import' is WORKER_AUTO_IMPORT_INTERVAL.
   */
  everyMs: number | 'notification-groups' | 'auto-import';
}

/** The jobs of which at most one exists per payload key; the others recur fleet-wide. */
export type KeyedJobName = 'poll-worker' | 'deliver-notification' | 'remediate-worker';

export type JobPolicy<Name extends JobName> = Name extends KeyedJobName
  ? KeyedJob<Name>
  : RecurringJob;

export const JOB_CATALOGUE: { [Name in JobName]: JobPolicy<Name> } = {
  'poll-worker': {
    kind: 'keyed',
    dedupKey: 'workerId',
    uniqueIndex: 'agenda_jobs_poll_worker_unique',
    concurrency: 'configured',
    retry: { kind: 'none' },
  },
  // Deliveries are I/O-bound and short (10 s timeout): many may wait on receivers at once.
  'deliver-notification': {
    kind: 'keyed',
    dedupKey: 'notificationId',
    uniqueIndex: 'agenda_jobs_deliver_notification_unique',
    concurrency: 50,
    retry: { kind: 'exponential', maxDelayMs: 3_600_000 },
  },
  // Remediations call EC2 one worker at a time; a few at once is plenty.
  'remediate-worker': {
    kind: 'keyed',
    dedupKey: 'alertId',
    uniqueIndex: 'agenda_jobs_remediate_worker_unique',
    concurrency: 4,
    retry: { kind: 'none' },
  },
  'prune-metrics': { kind: 'recurring', everyMs: 60 * 60 * 1000 },
  'reconcile-polls': { kind: 'recurring', everyMs: 10 * 60 * 1000 },
  'notify-alert-groups': { kind: 'recurring', everyMs: 'notification-groups' },
  'auto-import-workers': { kind: 'recurring', everyMs: 'auto-import' },
};

/** The jobs a service may queue on demand (polls are scheduled through `PollSchedule`). */
export type QueuedJobName = Exclude<KeyedJobName, 'poll-worker'>;

/**
 * Often enough that a group is sent within a quarter of its wait (or interval) of being due,
 * and at least every 5 s; no more than once a second, whatever the configuration.
 */
export function notifyAlertGroupsEveryMs(grouping: { waitMs: number; intervalMs: number }): number {
  const shortest = Math.min(grouping.waitMs || grouping.intervalMs, grouping.intervalMs);
  return Math.min(5_000, Math.max(1_000, Math.round(shortest / 4)));
}

/**
 * How long to wait before retry number `attempt` (1-based: the retry after the first failed
 * attempt is attempt 1): `baseMs * 2^(attempt-1)`, capped at `maxMs`, times a random factor in
 * [0.5, 1] so that receivers coming back up are not hit by every retry at the same instant.
 */
export function retryDelayMs(
  attempt: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** A failure worth another attempt after the job's backoff: expected, logged as such. */
export class RetryableJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableJobError';
  }
}
