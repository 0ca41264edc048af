import { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../../config';
import { Alert } from '../../entities/alert.entity';
import { AlertEventType, AlertKind, AlertState } from '../../entities/alert.enums';
import { WorkerStatus } from '../../entities/worker-status.enum';
import type { Worker } from '../../entities/worker.entity';
import { notFound } from '../../errors/domain-error';
import { DELIVER_NOTIFICATION_JOB } from '../../jobs/deliver-notification.job';
import { REMEDIATE_WORKER_JOB } from '../../jobs/remediate-worker.job';
import type { Logger } from '../../logger';
import {
  AlertRules,
  evaluate,
  FireDecision,
  Observation,
  OpenAlert,
  ResolveDecision,
  WorkerAlertState,
} from './alert-rules';
import type { NotificationService } from '../notifications/notification.service';
import type { PubSub } from '../pubsub/pub-sub';
import { isUuid } from '../../lib/uuid';

/** A sample of one worker, ready to evaluate: `state` is the worker's state after it. */
export interface WorkerObservation extends Observation {
  workerId: string;
  state: WorkerAlertState;
}

/** What evaluating some samples changed, to announce once the transaction has committed. */
export interface AlertChanges {
  alerts: Alert[];
  notificationIds: string[];
  remediations: string[];
}

/** The job queue the alerts feed: deliveries and remediations. */
export interface AlertJobQueue {
  enqueue(name: string, payloads: readonly Record<string, string>[]): Promise<void>;
}

/** What the registry tells the alerts about lifecycle changes it made itself. */
export interface WorkerAlerts {
  transitionRecorded(worker: Worker, status: WorkerStatus): Promise<void>;
  workersRemoved(workerIds: readonly string[]): Promise<void>;
}

export const NO_CHANGES: AlertChanges = { alerts: [], notificationIds: [], remediations: [] };

/**
 * Fires and resolves alerts from samples and lifecycle changes. The database keeps one open
 * alert per worker and kind (a partial unique index): when two processes evaluate the same
 * condition, one insert wins and only the winner announces, notifies and remediates.
 */
export class AlertService implements WorkerAlerts {
  readonly rules: AlertRules;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pubSub: PubSub,
    private readonly notifications: NotificationService,
    private readonly jobs: AlertJobQueue,
    private readonly config: Pick<Config, 'alerts' | 'monitoring'>,
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
    };
  }

  /** Evaluates samples inside the caller's transaction; announce the result after commit. */
  async apply(manager: EntityManager, observations: WorkerObservation[]): Promise<AlertChanges> {
    const fires: (FireDecision & { workerId: string; at: Date })[] = [];
    const resolves: (ResolveDecision & { at: Date })[] = [];
    for (const observation of observations) {
      const decisions = evaluate(observation, observation.state, this.rules);
      const { workerId, collectedAt: at } = observation;
      decisions.fire.forEach((fire) => fires.push({ ...fire, workerId, at }));
      decisions.resolve.forEach((resolve) => resolves.push({ ...resolve, at }));
    }
    if (fires.length === 0 && resolves.length === 0) {
      return NO_CHANGES;
    }
    const repository = manager.getRepository(Alert);
    const fired: Alert[] =
      fires.length === 0
        ? []
        : repository.create(
            await manager.query<Alert[]>(INSERT_FIRING, [
              fires.map((f) => f.workerId),
              fires.map((f) => f.kind),
              fires.map((f) => f.severity),
              fires.map((f) => f.value),
              fires.map((f) => f.threshold),
              fires.map((f) => f.message),
              fires.map((f) => f.at),
            ]),
          );
    const resolved = await this.resolveIn(
      manager,
      resolves.map((r) => r.alertId),
      resolves.map((r) => r.value),
      resolves.map((r) => r.reason),
      resolves.map((r) => r.at),
    );
    return this.plan(manager, fired, resolved);
  }

  /** Publishes, queues deliveries and remediations. Failures are logged: the alerts are stored. */
  async announce(changes: AlertChanges): Promise<void> {
    if (changes.alerts.length === 0) {
      return;
    }
    const published = await Promise.allSettled(
      changes.alerts.map((alert) => this.pubSub.publish('THRESHOLD_ALERT', alert)),
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
        alert.state === AlertState.FIRING ? 'alert firing' : 'alert resolved',
      );
    }
    await this.queue(
      DELIVER_NOTIFICATION_JOB,
      changes.notificationIds.map((notificationId) => ({ notificationId })),
    );
    await this.queue(
      REMEDIATE_WORKER_JOB,
      changes.remediations.map((alertId) => ({ alertId })),
    );
  }

  async transitionRecorded(worker: Worker, status: WorkerStatus): Promise<void> {
    const changes = await this.dataSource.transaction(async (manager) => {
      const open: OpenAlert[] = await manager.query(
        `SELECT id, kind, threshold FROM alert WHERE "workerId" = $1 AND state = 'FIRING'`,
        [worker.id],
      );
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
        state: {
          cpuHighStreak: worker.cpuHighStreak,
          memoryHighStreak: worker.memoryHighStreak,
          lastActivityAt: worker.lastActivityAt,
        },
      };
      return this.apply(manager, [observation]);
    });
    await this.announce(changes);
  }

  /** A removed worker is no longer watched: its open alerts resolve, and receivers hear it. */
  async workersRemoved(workerIds: readonly string[]): Promise<void> {
    const changes = await this.dataSource.transaction(async (manager) => {
      const open: { id: string }[] = await manager.query(
        `SELECT id FROM alert WHERE "workerId" = ANY($1::uuid[]) AND state = 'FIRING'`,
        [workerIds],
      );
      if (open.length === 0) {
        return NO_CHANGES;
      }
      const at = this.now();
      const resolved = await this.resolveIn(
        manager,
        open.map((row) => row.id),
        open.map(() => null),
        open.map(() => 'worker removed from the registry'),
        open.map(() => at),
      );
      return this.plan(manager, [], resolved);
    });
    await this.announce(changes);
  }

  /** Idempotent: the first acknowledgement's time is kept. */
  async acknowledge(id: string): Promise<Alert> {
    const rows: [Alert[], number] | undefined = isUuid(id)
      ? await this.dataSource.query(
          `UPDATE alert SET "acknowledgedAt" = COALESCE("acknowledgedAt", $2)
           WHERE id = $1 RETURNING *`,
          [id, this.now()],
        )
      : undefined;
    const [row] = rows?.[0] ?? [];
    if (!row) {
      throw notFound(`no alert with id ${id}`, 'id');
    }
    return this.dataSource.getRepository(Alert).create(row);
  }

  private async resolveIn(
    manager: EntityManager,
    ids: string[],
    values: (number | null)[],
    reasons: string[],
    at: Date[],
  ): Promise<Alert[]> {
    if (ids.length === 0) {
      return [];
    }
    const [rows]: [Alert[], number] = await manager.query(RESOLVE, [ids, values, reasons, at]);
    return manager.getRepository(Alert).create(rows);
  }

  private async plan(
    manager: EntityManager,
    fired: Alert[],
    resolved: Alert[],
  ): Promise<AlertChanges> {
    const notificationIds = await this.notifications.plan(manager, [
      ...fired.map((alert) => ({ alert, event: AlertEventType.FIRING })),
      ...resolved.map((alert) => ({ alert, event: AlertEventType.RESOLVED })),
    ]);
    const { autoRemediation, idle } = this.config.alerts;
    const remediations = fired
      .filter(
        (alert) =>
          (alert.kind === AlertKind.STOPPED_UNEXPECTEDLY && autoRemediation) ||
          (alert.kind === AlertKind.IDLE && idle.autoStop),
      )
      .map((alert) => alert.id);
    return { alerts: [...fired, ...resolved], notificationIds, remediations };
  }

  private async queue(name: string, payloads: Record<string, string>[]): Promise<void> {
    if (payloads.length === 0) {
      return;
    }
    try {
      await this.jobs.enqueue(name, payloads);
    } catch (error) {
      // Deliveries are queued again by the remind-alerts sweep; a remediation is lost, and said.
      this.logger.error({ err: error, job: name, count: payloads.length }, 'could not queue jobs');
    }
  }
}

/** A kind already firing for the worker (another process won the race) inserts nothing. */
const INSERT_FIRING = `
  INSERT INTO alert ("workerId", "kind", "state", "severity", "value", "threshold", "message",
    "startedAt", "lastNotifiedAt")
  SELECT v.worker_id, v.kind, 'FIRING', v.severity, v.value, v.threshold, v.message, v.at, v.at
  FROM unnest($1::uuid[], $2::alert_kind[], $3::alert_severity[], $4::float8[], $5::float8[],
    $6::text[], $7::timestamptz[]) AS v(worker_id, kind, severity, value, threshold, message, at)
  ON CONFLICT ("workerId", "kind") WHERE "state" = 'FIRING' DO NOTHING
  RETURNING *`;

/** Only a firing alert resolves, so of two processes resolving it, one does. */
const RESOLVE = `
  UPDATE alert AS a SET
    "state" = 'RESOLVED',
    "resolvedAt" = v.at,
    "resolvedValue" = v.value,
    "resolution" = v.reason,
    "lastNotifiedAt" = v.at
  FROM unnest($1::uuid[], $2::float8[], $3::text[], $4::timestamptz[]) AS v(id, value, reason, at)
  WHERE a.id = v.id AND a.state = 'FIRING'
  RETURNING a.*`;
