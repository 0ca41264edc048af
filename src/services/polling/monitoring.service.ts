import type { Config } from '../../config';
import { DomainError, ErrorCode, notFound } from '../../errors/domain-error';
import { WorkerStatus } from '../../entities/worker-status.enum';
import type { Worker } from '../../entities/worker.entity';
import type { JobStoreKind, PollJobState, PollSchedule } from '../../jobs/job-queue';
import { nextBoundary } from '../../lib/interval-boundary';
import type { Logger } from '../../logger';
import type { PollingState, WorkerRepository } from '../../repositories/worker.repository';
import type { PollBatcher } from './poll-batcher';
import type { PollCycle, PollCycleTracker } from './poll-cycle.tracker';

/** What the registry tells monitoring: which workers to start or stop polling. */
export interface WorkerMonitoring {
  watch(worker: Worker): Promise<void>;
  unwatch(workerIds: readonly string[]): Promise<void>;
}

export interface PollJobCounts {
  scheduled: number;
  running: number;
  overdue: number;
}

export interface MonitoringStatusView {
  enabled: boolean;
  jobStore: JobStoreKind | null;
  pollIntervalSeconds: number;
  metricsPeriodSeconds: number;
  jobs: PollJobCounts;
  lastCycle: PollCycle | null;
}

/**
 * The life of the poll jobs: one per monitored, non-terminated worker, made and cancelled as
 * the registry changes and reconciled with it at boot. Without a scheduler (monitoring off)
 * nothing is scheduled; refreshWorker still polls on demand.
 */
export class MonitoringService implements WorkerMonitoring {
  constructor(
    private readonly workers: WorkerRepository,
    private readonly scheduler: PollSchedule | undefined,
    private readonly batcher: PollBatcher,
    private readonly cycles: PollCycleTracker,
    private readonly config: Pick<Config, 'monitoring' | 'jobs'>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  watch(worker: Worker): Promise<void> {
    return this.watchMany([worker]);
  }

  /**
   * Starts polling the workers, at once, those that are to be polled at all, with one call to
   * the job store. The job store is not the registry's transaction: a request that changed a
   * worker meanwhile (monitoring switched off, the worker removed) is seen by reading it again
   * after the job is made, and followed.
   */
  async watchMany(workers: readonly Worker[]): Promise<void> {
    const polled = this.scheduler ? workers.filter(isPolled) : [];
    if (polled.length === 0) {
      return;
    }
    const ids = polled.map((worker) => worker.id);
    const firstRunAt = this.now();
    if (await this.schedule(ids, firstRunAt)) {
      for (const worker of polled) {
        worker.nextPollAt = firstRunAt;
      }
      await this.follow(ids, true);
    }
  }

  /** Stops polling the workers, then starts again any that a request meanwhile wants polled. */
  async unwatch(workerIds: readonly string[]): Promise<void> {
    if (workerIds.length === 0) {
      return;
    }
    await this.workers.setNextPollAt(workerIds, null);
    if (this.scheduler && (await this.cancel(workerIds))) {
      await this.follow(workerIds, false);
    }
  }

  /** The workers whose wish changed since the job store was told `polled`, told again. */
  private async follow(workerIds: readonly string[], polled: boolean): Promise<void> {
    const states = await this.workers.pollingStates(workerIds);
    const wanted = new Set(states.filter(isPolled).map((state) => state.id));
    const changed = workerIds.filter((id) => wanted.has(id) !== polled);
    if (changed.length === 0) {
      return;
    }
    if (polled) {
      await this.workers.setNextPollAt(changed, null);
      await this.cancel(changed);
    } else {
      await this.schedule(changed, this.now());
    }
  }

  private async schedule(workerIds: readonly string[], firstRunAt: Date): Promise<boolean> {
    try {
      await this.scheduler?.schedulePolls(workerIds, firstRunAt);
    } catch (error) {
      // The registry is the truth: reconciliation creates the job once the store answers.
      this.logger.error({ err: error, workerIds }, 'could not schedule polling');
      return false;
    }
    await this.workers.setNextPollAt(workerIds, firstRunAt);
    return true;
  }

  private async cancel(workerIds: readonly string[]): Promise<boolean> {
    try {
      await this.scheduler?.cancelPolls(workerIds);
      return true;
    } catch (error) {
      this.logger.error({ err: error, workerIds }, 'could not cancel polling');
      return false;
    }
  }

  /**
   * Both ways: every monitored, non-terminated worker gets a job (due at the next interval
   * boundary, with the rest of the fleet), and jobs whose worker is gone or unmonitored go.
   */
  async reconcile(): Promise<{ scheduled: number; cancelled: number }> {
    if (!this.scheduler) {
      return { scheduled: 0, cancelled: 0 };
    }
    const [monitored, jobs] = await Promise.all([
      this.workers.pollingStates(),
      this.scheduler.pollJobs(),
    ]);
    const wanted = new Set(monitored.filter(isPolled).map((worker) => worker.id));
    const scheduled = new Set(jobs.map((job) => job.workerId));
    const missing = [...wanted].filter((id) => !scheduled.has(id));
    const stray = [...scheduled].filter((id) => !wanted.has(id));
    if (missing.length > 0) {
      const firstRunAt = nextBoundary(
        this.now(),
        this.config.monitoring.pollIntervalSeconds * 1000,
      );
      await this.scheduler.schedulePolls(missing, firstRunAt);
      await this.workers.setNextPollAt(missing, firstRunAt);
    }
    if (stray.length > 0) {
      await this.scheduler.cancelPolls(stray);
    }
    if (missing.length > 0 || stray.length > 0) {
      this.logger.info(
        { scheduled: missing.length, cancelled: stray.length },
        'reconciled poll jobs with the registry',
      );
    }
    return { scheduled: missing.length, cancelled: stray.length };
  }

  /** Polls the worker now, through the same batched path as its schedule. */
  async refresh(id: string): Promise<Worker> {
    await this.findOrFail(id);
    const outcome = await this.batcher.poll(id);
    if (outcome.kind === 'failed') {
      throw outcome.error instanceof DomainError
        ? outcome.error
        : new DomainError(
            ErrorCode.UPSTREAM_UNAVAILABLE,
            `polling worker ${id} failed: ${String(outcome.error)}`,
            undefined,
            { cause: outcome.error },
          );
    }
    return this.findOrFail(id);
  }

  async status(): Promise<MonitoringStatusView> {
    const jobs = this.scheduler ? await this.scheduler.pollJobs() : [];
    return {
      enabled: this.scheduler !== undefined,
      jobStore: this.scheduler?.kind ?? null,
      pollIntervalSeconds: this.config.monitoring.pollIntervalSeconds,
      metricsPeriodSeconds: this.config.monitoring.metricsPeriodSeconds,
      jobs: this.countJobs(jobs),
      lastCycle: this.cycles.lastCycle() ?? null,
    };
  }

  private countJobs(jobs: PollJobState[]): PollJobCounts {
    const now = this.now().getTime();
    const { lockLifetimeMs, processEveryMs } = this.config.jobs;
    const isRunning = (job: PollJobState) =>
      job.lockedAt !== null &&
      now - job.lockedAt.getTime() < lockLifetimeMs &&
      job.lastRunAt !== null &&
      job.lastRunAt >= job.lockedAt &&
      (job.lastFinishedAt === null || job.lastFinishedAt < job.lastRunAt);
    // A due job is claimed within one processEvery by some process; later than that, none is.
    const isOverdue = (job: PollJobState) =>
      job.nextRunAt !== null && now - job.nextRunAt.getTime() > processEveryMs + 1000;
    const running = jobs.filter(isRunning).length;
    return {
      scheduled: jobs.length,
      running,
      overdue: jobs.filter((job) => !isRunning(job) && isOverdue(job)).length,
    };
  }

  private async findOrFail(id: string): Promise<Worker> {
    const worker = await this.workers.findById(id);
    if (!worker) {
      throw notFound(`no worker with id ${id}`, 'id');
    }
    return worker;
  }
}

function isPolled(worker: PollingState): boolean {
  return worker.monitoringEnabled && worker.status !== WorkerStatus.TERMINATED;
}
