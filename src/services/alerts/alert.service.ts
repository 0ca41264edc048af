import type { Config } from '../../config';
import type { Alert } from '../../entities/alert.entity';
import { AlertKind, AlertState } from '../../entities/alert.enums';
import type { WorkerStatus } from '../../entities/worker-status.enum';
import type { Worker } from '../../entities/worker.entity';
import { notFound } from '../../errors/domain-error';
import {
  type JobPayloads,
  type QueuedJobName,
  REMEDIATE_WORKER_JOB,
} from '../../jobs/job-catalogue';
import type { JobQueue } from '../../jobs/job-queue';
import type { Logger } from '../../logger';
import type { AlertRepository, Resolution } from '../../repositories/alert.repository';
import type { Queryable, Transactor } from '../../repositories/sql-result';
import {
  AlertRules,
  evaluate,
  FireDecision,
  NO_CML,
  Observation,
  resolvedAsItFired,
  WorkerAlertState,
} from './alert-rules';
import type { NotificationService } from '../notifications/notification.service';
import type { PubSub } from '../pubsub/pub-sub';

/** A sample of one worker, ready to evaluate: `state` is the worker's state after it. */
export interface WorkerObservation extends Observation {
  workerId: string;
  state: WorkerAlertState;
}

/** What evaluating some samples changed, to announce once the transaction has committed. */
export interface AlertChanges {
  alerts: Alert[];
  /** A notification group is due already (no group wait): flush it right after the commit. */
  notifyNow: boolean;
  remediations: string[];
}

/** Which alerts an active silence matches, to say so to subscribers. */
export interface SilenceCheck {
  silencedAmong(
    alerts: readonly Pick<Alert, 'id' | 'workerId' | 'kind' | 'severity'>[],
    at: Date,
  ): Promise<Set<string>>;
}

/** What the registry tells the alerts about lifecycle changes it made itself. */
export interface WorkerAlerts {
  transitionRecorded(worker: Worker, status: WorkerStatus): Promise<void>;
  workersRemoved(workerIds: readonly string[]): Promise<void>;
}

export const NO_CHANGES: AlertChanges = { alerts: [], notifyNow: false, remediations: [] };

/**
 * Fires and resolves alerts from samples and lifecycle changes. The database keeps one open
 * alert per worker and kind (a partial unique index): when two processes evaluate the same
 * condition, one insert wins and only the winner announces, notifies and remediates.
 */
export class AlertService implements WorkerAlerts {
  readonly rules: AlertRules;

  constructor(
    private readonly repository: AlertRepository,
    private readonly transactions: Transactor,
    private readonly pubSub: PubSub,
    private readonly notifications: NotificationService,
    private readonly silences: SilenceCheck,
    private readonly jobs: JobQueue,
    private readonly config: Pick<Config, 'alerts' | 'monitoring'> & {
      cml: Pick<Config['cml'], 'licenseWarningDays'>;
    },
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    const { alerts, monitoring } = config;
    this.rules = {
      forSamples: alerts.forSamples,
      hysteresis: alerts.hysteresis,
      idleCpuThreshold: alerts.idle.cpuThreshold,
      idleAfterMs: alerts.idle.afterMs,
      // EC2 stops and starts take minutes; a request older than three polls explains nothing.
      requestTtlMs: Math.max(3_600_000, 3 * monitoring.pollIntervalSeconds * 1000),
      licenseWarningMs: config.cml.licenseWarningDays * 86_400_000,
    };
  }

  /** Evaluates samples inside the caller's transaction; announce the result after commit. */
  async apply(tx: Queryable, observations: WorkerObservation[]): Promise<AlertChanges> {
    const fires: (FireDecision & { workerId: string; at: Date })[] = [];
    const resolves: Resolution[] = [];
    for (const observation of observations) {
      const decisions = evaluate(observation, observation.state, this.rules);
      const { workerId, collectedAt: at } = observation;
      decisions.fire.forEach((fire) => fires.push({ ...fire, workerId, at }));
      decisions.resolve.forEach(({ alertId, value, reason }) =>
        resolves.push({ alertId, value, reason, at }),
      );
    }
    if (fires.length === 0 && resolves.length === 0) {
      return NO_CHANGES;
    }
    const fired = await this.repository.insertFiring(tx, fires);
    const resolved = await this.repository.resolve(tx, resolves);
    return this.plan(tx, fired, resolved);
  }

  /**
   * Publishes (saying which alerts a silence holds back), sends what is due at once, queues
   * remediations. Failures are logged: the alerts are stored, and the sweep sends what is due.
   */
  async announce(changes: AlertChanges): Promise<void> {
    if (changes.alerts.length === 0) {
      return;
    }
    const silenced = await this.silencedAmong(changes.alerts);
    const published = await Promise.allSettled(
      changes.alerts.map((alert) =>
        this.pubSub.publish('THRESHOLD_ALERT', { ...alert, silenced: silenced.has(alert.id) }),
      ),
    );
    const failed = published.filter(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    if (failed.length > 0) {
      this.logger.error(
        { err: failed[0].reason, failedEvents: failed.length },
        'could not publish alerts',
      );
    }
    for (const alert of changes.alerts) {
      this.logger.info(
        {
          alertId: alert.id,
          workerId: alert.workerId,
          kind: alert.kind,
          state: alert.state,
          severity: alert.severity,
          value: alert.state === AlertState.FIRING ? alert.value : alert.resolvedValue,
          threshold: alert.threshold,
        },
        alert.state === AlertState.FIRING
          ? 'alert firing'
          : resolvedAsItFired(alert)
            ? 'alert recorded as an event'
            : 'alert resolved',
      );
    }
    if (changes.notifyNow) {
      try {
        await this.notifications.flushDue();
      } catch (error) {
        this.logger.error({ err: error }, 'could not send the notifications due; the sweep will');
      }
    }
    await this.queue(
      REMEDIATE_WORKER_JOB,
      changes.remediations.map((alertId) => ({ alertId })),
    );
  }

  /** `worker` is the row as the statement that changed its status locked it. */
  async transitionRecorded(worker: Worker, status: WorkerStatus): Promise<void> {
    const changes = await this.transactions.transaction(async (tx) => {
      const open = await this.repository.firingOf(tx, [worker.id]);
      const observation: WorkerObservation = {
        workerId: worker.id,
        previousStatus: worker.status,
        status,
        previousTransitionAt: worker.lastTransitionAt ?? worker.createdAt,
        requested:
          worker.requestedAction && worker.requestedAt
            ? { action: worker.requestedAction, at: worker.requestedAt }
            : null,
        thresholds: { cpu: worker.cpuThreshold, memory: worker.memoryThreshold },
        cpu: null,
        memory: null,
        systemCheck: null,
        instanceCheck: null,
        collectedAt: this.now(),
        open,
        cml: NO_CML,
        state: {
          cpuHighStreak: worker.cpuHighStreak,
          memoryHighStreak: worker.memoryHighStreak,
          cmlFailureStreak: worker.cmlFailureStreak,
          lastActivityAt: worker.lastActivityAt,
        },
      };
      return this.apply(tx, [observation]);
    });
    await this.announce(changes);
  }

  /** A removed worker is no longer watched: its open alerts resolve, and receivers hear it. */
  async workersRemoved(workerIds: readonly string[]): Promise<void> {
    const changes = await this.transactions.transaction(async (tx) => {
      const open = await this.repository.firingOf(tx, workerIds);
      if (open.length === 0) {
        return NO_CHANGES;
      }
      const at = this.now();
      const resolved = await this.repository.resolve(
        tx,
        open.map((alert) => ({
          alertId: alert.id,
          value: null,
          reason: 'worker removed from the registry',
          at,
        })),
      );
      return this.plan(tx, [], resolved);
    });
    await this.announce(changes);
  }

  /**
   * Idempotent: the first acknowledgement's time is kept, and only the first is sent on to the
   * receivers. Sending it may fail (logged): the acknowledgement itself is stored.
   */
  async acknowledge(id: string): Promise<Alert> {
    const acknowledged = await this.repository.acknowledge(id, this.now());
    if (!acknowledged) {
      throw notFound(`no alert with id ${id}`, 'id');
    }
    const { alert, first } = acknowledged;
    if (first) {
      try {
        await this.notifications.acknowledged(alert);
      } catch (error) {
        this.logger.error(
          { err: error, alertId: alert.id },
          'could not tell the receivers of an acknowledgement',
        );
      }
    }
    return alert;
  }

  private async silencedAmong(alerts: readonly Alert[]): Promise<Set<string>> {
    try {
      return await this.silences.silencedAmong(alerts, this.now());
    } catch (error) {
      // Subscribers still hear of the alerts; the flag is read again by queries.
      this.logger.error({ err: error }, 'could not check the alerts against the silences');
      return new Set();
    }
  }

  private async plan(tx: Queryable, fired: Alert[], resolved: Alert[]): Promise<AlertChanges> {
    const notifyNow = await this.notifications.plan(tx, fired, resolved);
    const { autoRemediation, idle } = this.config.alerts;
    const remediations = fired
      .filter(
        (alert) =>
          (alert.kind === AlertKind.STOPPED_UNEXPECTEDLY && autoRemediation) ||
          (alert.kind === AlertKind.IDLE && idle.autoStop),
      )
      .map((alert) => alert.id);
    return { alerts: [...fired, ...resolved], notifyNow, remediations };
  }

  private async queue<Name extends QueuedJobName>(
    name: Name,
    payloads: JobPayloads[Name][],
  ): Promise<void> {
    if (payloads.length === 0) {
      return;
    }
    try {
      await this.jobs.enqueue(name, payloads);
    } catch (error) {
      // A remediation not queued is lost, and said.
      this.logger.error({ err: error, job: name, count: payloads.length }, 'could not queue jobs');
    }
  }
}
