import type { Span } from '@opentelemetry/api';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Config } from '../../config';
import type { MetricSampleEvent } from '../../entities/metric-sample.entity';
import type { WorkerAction } from '../../entities/alert.enums';
import type { WorkerStatusChange } from '../../entities/worker-status-change.type';
import { CheckStatus, WorkerStatus } from '../../entities/worker-status.enum';
import { Worker } from '../../entities/worker.entity';
import type { Logger } from '../../logger';
import type { PollBatchRecord } from '../../observability/metrics';
import {
  inSpan,
  POLL_BATCH_SPAN,
  recordWorkerPolls,
  type WorkerPollResult,
} from '../../observability/tracing';
import { nextAlertState, OpenAlert } from '../alerts/alert-rules';
import type { AlertChanges, AlertService, WorkerObservation } from '../alerts/alert.service';
import type { FleetTelemetry, HealthReport, Utilization } from '../aws/fleet-telemetry.gateway';
import type { PollOutcome } from './poll-batcher';
import { nextBoundary, PollCycleTracker } from './poll-cycle.tracker';
import type { PubSub } from '../pubsub/pub-sub';
import { groupBy } from '../../lib/maps';

/** How many periods back CloudWatch is asked for the newest datapoint: it publishes late. */
const LOOKBACK_PERIODS = 3;

/** The poll jobs of workers that need no more polling. */
export interface PollJobCanceller {
  cancelPolls(workerIds: readonly string[]): Promise<void>;
}

export interface MetricsCollectorOptions {
  monitoring: Pick<
    Config['monitoring'],
    'enabled' | 'pollIntervalSeconds' | 'metricsPeriodSeconds'
  >;
  now?: () => Date;
  /** Told of every batch once its results are published (the service's metrics). */
  onBatch?: (batch: PollBatchRecord) => void;
}

interface Reading {
  worker: Worker;
  status: WorkerStatus;
  systemCheck: CheckStatus | null;
  instanceCheck: CheckStatus | null;
  cpu: Utilization['cpu'];
  memory: Utilization['memory'];
}

interface Failure {
  worker: Worker;
  error: unknown;
}

type RegionResult = { readings: Reading[]; failures: Failure[] };

/** A polled worker's row after the update, with what it was just before. */
interface UpdatedWorker {
  id: string;
  status: WorkerStatus;
  previousStatus: WorkerStatus;
  previousFailures: number;
  previousTransitionAt: Date | null;
  requestedAction: WorkerAction | null;
  requestedAt: Date | null;
  cpuThreshold: number;
  memoryThreshold: number;
  openAlerts: OpenAlert[];
}

interface Stored {
  changes: WorkerStatusChange[];
  recovered: string[];
  newlyFailing: Set<string>;
  alerts: AlertChanges;
}

/**
 * Polls a batch of workers: one query loads them; per region, batched EC2 and CloudWatch
 * calls; one multi-row insert stores the samples and one statement updates the workers; then
 * every sample and status change is published.
 */
export class MetricsCollector {
  private readonly now: () => Date;
  private readonly intervalMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly telemetry: FleetTelemetry,
    private readonly pubSub: PubSub,
    private readonly pollJobs: PollJobCanceller,
    private readonly cycles: PollCycleTracker,
    private readonly alerts: AlertService,
    private readonly options: MetricsCollectorOptions,
    private readonly logger: Logger,
  ) {
    this.now = options.now ?? (() => new Date());
    this.intervalMs = options.monitoring.pollIntervalSeconds * 1000;
  }

  /**
   * Traced as a `poll.batch` span of its own trace (the batch serves many callers), parent of
   * the batch's SQL and AWS calls and of one `poll.worker` span per worker.
   */
  pollWorkers(workerIds: string[]): Promise<Map<string, PollOutcome>> {
    return inSpan(
      POLL_BATCH_SPAN,
      { root: true, attributes: { 'poll.batch.size': workerIds.length } },
      (span) => this.pollBatch(workerIds, span),
    );
  }

  private async pollBatch(workerIds: string[], span: Span): Promise<Map<string, PollOutcome>> {
    const startedAt = this.now();
    const workers = await this.dataSource.getRepository(Worker).findBy({ id: In(workerIds) });
    const outcomes = new Map<string, PollOutcome>();
    const removed = workerIds.filter((id) => !workers.some((worker) => worker.id === id));
    removed.forEach((id) => outcomes.set(id, { kind: 'gone', nextPollAt: null }));

    const results = await Promise.all(
      [...groupBy(workers, (worker) => worker.awsRegion)].map(([region, regionWorkers]) =>
        this.pollRegion(region, regionWorkers, startedAt),
      ),
    );
    const readings = results.flatMap((result) => result.readings);
    const failures = results.flatMap((result) => result.failures);

    const collectedAt = this.now();
    recordWorkerPolls(span, { startTime: startedAt, endTime: collectedAt }, () =>
      workerPollResults(readings, failures),
    );
    const { changes, recovered, newlyFailing, alerts } = await this.dataSource.transaction(
      (manager) => this.store(manager, readings, failures, startedAt, collectedAt),
    );
    for (const reading of readings) {
      outcomes.set(
        reading.worker.id,
        reading.status === WorkerStatus.TERMINATED
          ? { kind: 'gone', nextPollAt: null }
          : { kind: 'polled', nextPollAt: this.nextPollAt(reading.worker, reading.status) },
      );
    }
    for (const { worker, error } of failures) {
      outcomes.set(worker.id, { kind: 'failed', error, nextPollAt: this.nextPollAt(worker) });
    }
    this.logTransitions(newlyFailing, recovered, failures);

    await this.publish(readings, changes, collectedAt);
    await this.alerts.announce(alerts);
    const finished = [
      ...removed,
      ...readings.filter((r) => r.status === WorkerStatus.TERMINATED).map((r) => r.worker.id),
    ];
    if (finished.length > 0) {
      await this.pollJobs.cancelPolls(finished);
    }
    const finishedAt = this.now();
    this.cycles.recordBatch({
      startedAt,
      finishedAt,
      polled: readings.length,
      failed: failures.length,
    });
    const batch: PollBatchRecord = {
      size: workerIds.length,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      polled: readings.length - (finished.length - removed.length),
      failed: failures.length,
      gone: finished.length,
    };
    this.options.onBatch?.(batch);
    span.setAttributes({
      'poll.batch.polled': batch.polled,
      'poll.batch.failed': batch.failed,
      'poll.batch.gone': batch.gone,
    });
    return outcomes;
  }

  private async pollRegion(region: string, workers: Worker[], now: Date): Promise<RegionResult> {
    const instanceIds = workers.map((worker) => worker.awsInstanceId);
    let health: HealthReport;
    let utilization: Map<string, Utilization>;
    try {
      [health, utilization] = await Promise.all([
        this.telemetry.describeHealth(region, instanceIds),
        this.telemetry.readUtilization(region, instanceIds, {
          periodSeconds: this.options.monitoring.metricsPeriodSeconds,
          lookbackPeriods: LOOKBACK_PERIODS,
          now,
        }),
      ]);
    } catch (error) {
      return { readings: [], failures: workers.map((worker) => ({ worker, error })) };
    }
    const missing = new Set(health.missing);
    const readings: Reading[] = [];
    const failures: Failure[] = [];
    for (const worker of workers) {
      const instance = health.health.get(worker.awsInstanceId);
      if (missing.has(worker.awsInstanceId)) {
        readings.push(unmeasured(worker, WorkerStatus.TERMINATED));
      } else if (!instance) {
        failures.push({
          worker,
          error: new Error(`EC2 reported no status for instance ${worker.awsInstanceId}`),
        });
      } else {
        const running = instance.status === WorkerStatus.RUNNING;
        const metrics = utilization.get(worker.awsInstanceId);
        readings.push({
          worker,
          status: instance.status,
          systemCheck: instance.systemCheck,
          instanceCheck: instance.instanceCheck,
          cpu: running ? (metrics?.cpu ?? null) : null,
          memory: running ? (metrics?.memory ?? null) : null,
        });
      }
    }
    return { readings, failures };
  }

  private async store(
    manager: EntityManager,
    readings: Reading[],
    failures: Failure[],
    askedAt: Date,
    collectedAt: Date,
  ): Promise<Stored> {
    const changes: WorkerStatusChange[] = [];
    const recovered: string[] = [];
    const newlyFailing = new Set<string>();
    let alerts: AlertChanges = { alerts: [], notificationIds: [], remediations: [] };
    if (readings.length > 0) {
      const measured = [
        readings.map((r) => r.worker.id),
        readings.map((r) => r.status),
        readings.map((r) => r.systemCheck),
        readings.map((r) => r.instanceCheck),
        readings.map((r) => r.cpu?.value ?? null),
        readings.map((r) => r.memory?.value ?? null),
      ];
      await manager.query(INSERT_SAMPLES, [
        ...measured,
        readings.map((r) => r.cpu?.at ?? null),
        readings.map((r) => r.memory?.at ?? null),
        collectedAt,
      ]);
      const states = readings.map((r) =>
        nextAlertState(
          r.worker,
          {
            status: r.status,
            cpu: r.cpu?.value ?? null,
            memory: r.memory?.value ?? null,
            thresholds: r.worker.thresholds,
            collectedAt,
          },
          this.alerts.rules,
        ),
      );
      // TypeORM answers an UPDATE with [rows, affected count].
      const [updated]: [UpdatedWorker[], number] = await manager.query(UPDATE_POLLED_WORKERS, [
        ...measured,
        readings.map((r) => this.nextPollAt(r.worker, r.status)),
        collectedAt,
        askedAt,
        states.map((state) => state.cpuHighStreak),
        states.map((state) => state.memoryHighStreak),
        states.map((state) => state.lastActivityAt),
        new Date(collectedAt.getTime() - this.alerts.rules.requestTtlMs),
      ]);
      const byId = new Map(readings.map((reading, index) => [reading.worker.id, index]));
      const observations: WorkerObservation[] = [];
      for (const row of updated) {
        if (row.previousStatus !== row.status) {
          changes.push({
            workerId: row.id,
            previousStatus: row.previousStatus,
            status: row.status,
            changedAt: collectedAt,
          });
        }
        if (row.previousFailures > 0) {
          recovered.push(row.id);
        }
        const index = byId.get(row.id) as number;
        observations.push(toObservation(row, readings[index], states[index], collectedAt));
      }
      alerts = await this.alerts.apply(manager, observations);
    }
    if (failures.length > 0) {
      const [failed]: [{ id: string; failures: number }[], number] = await manager.query(
        RECORD_POLL_FAILURES,
        [
          failures.map((f) => f.worker.id),
          failures.map((f) => describeError(f.error)),
          failures.map((f) => this.nextPollAt(f.worker)),
          collectedAt,
        ],
      );
      failed.filter((row) => row.failures === 1).forEach((row) => newlyFailing.add(row.id));
    }
    return { changes, recovered, newlyFailing, alerts };
  }

  /** The next interval boundary, while the worker is still to be polled on schedule. */
  private nextPollAt(worker: Worker, status: WorkerStatus = worker.status): Date | null {
    const scheduled =
      this.options.monitoring.enabled &&
      worker.monitoringEnabled &&
      status !== WorkerStatus.TERMINATED;
    return scheduled ? nextBoundary(this.now(), this.intervalMs) : null;
  }

  private async publish(
    readings: Reading[],
    changes: WorkerStatusChange[],
    collectedAt: Date,
  ): Promise<void> {
    const events = [
      ...readings.map((reading) =>
        this.pubSub.publish('WORKER_METRICS', toSampleEvent(reading, collectedAt)),
      ),
      ...changes.map((change) => this.pubSub.publish('WORKER_STATUS_CHANGED', change)),
    ];
    const failed = (await Promise.allSettled(events)).filter(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    if (failed.length > 0) {
      // The samples are stored; subscribers miss these events, the next poll sends fresh ones.
      this.logger.error(
        { err: failed[0].reason, failedEvents: failed.length },
        'could not publish poll results',
      );
    }
  }

  /** Once per transition, not once per poll: a region down for an hour is two log lines. */
  private logTransitions(
    newlyFailing: Set<string>,
    recovered: string[],
    failures: Failure[],
  ): void {
    for (const { worker, error } of failures) {
      if (newlyFailing.has(worker.id)) {
        this.logger.warn(
          {
            err: error,
            workerId: worker.id,
            instanceId: worker.awsInstanceId,
            region: worker.awsRegion,
          },
          'polling a worker failed; it keeps its last values until a poll succeeds',
        );
      }
    }
    if (recovered.length > 0) {
      this.logger.info({ workerIds: recovered }, 'polling recovered');
    }
  }
}

function* workerPollResults(readings: Reading[], failures: Failure[]): Iterable<WorkerPollResult> {
  for (const { worker, status, cpu, memory } of readings) {
    yield {
      ...pollTarget(worker),
      status,
      cpuUtilization: cpu?.value,
      memoryUtilization: memory?.value,
    };
  }
  for (const { worker, error } of failures) {
    yield { ...pollTarget(worker), error };
  }
}

function pollTarget(worker: Worker) {
  return { workerId: worker.id, instanceId: worker.awsInstanceId, region: worker.awsRegion };
}

function unmeasured(worker: Worker, status: WorkerStatus): Reading {
  return { worker, status, systemCheck: null, instanceCheck: null, cpu: null, memory: null };
}

function toSampleEvent(reading: Reading, collectedAt: Date): MetricSampleEvent {
  return {
    workerId: reading.worker.id,
    status: reading.status,
    systemCheck: reading.systemCheck,
    instanceCheck: reading.instanceCheck,
    cpuUtilization: reading.cpu?.value ?? null,
    memoryUtilization: reading.memory?.value ?? null,
    cpuDatapointAt: reading.cpu?.at ?? null,
    memoryDatapointAt: reading.memory?.at ?? null,
    collectedAt,
  };
}

function toObservation(
  row: UpdatedWorker,
  reading: Reading,
  state: WorkerObservation['state'],
  collectedAt: Date,
): WorkerObservation {
  return {
    workerId: row.id,
    previousStatus: row.previousStatus,
    status: row.status,
    previousTransitionAt: row.previousTransitionAt,
    requested:
      row.requestedAction && row.requestedAt
        ? { action: row.requestedAction, at: row.requestedAt }
        : null,
    thresholds: { cpu: row.cpuThreshold, memory: row.memoryThreshold },
    cpu: reading.cpu?.value ?? null,
    memory: reading.memory?.value ?? null,
    systemCheck: reading.systemCheck,
    instanceCheck: reading.instanceCheck,
    collectedAt,
    open: row.openAlerts,
    state,
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const requestSettled = `coalesce(w."lastTransitionAt" < $9, true) AND (w."requestedAt" < $13
  OR (w."requestedAction"::text, v.status::text)
    IN (('STOP', 'STOPPED'), ('START', 'RUNNING'), ('TERMINATE', 'TERMINATED')))`;

const INSERT_SAMPLES = `
  INSERT INTO metric_sample ("workerId", "status", "systemCheck", "instanceCheck",
    "cpuUtilization", "memoryUtilization", "cpuDatapointAt", "memoryDatapointAt", "collectedAt")
  SELECT sample.*, $9::timestamptz
  FROM unnest($1::uuid[], $2::worker_status[], $3::check_status[], $4::check_status[],
    $5::float8[], $6::float8[], $7::timestamptz[], $8::timestamptz[]) AS sample`;

/**
 * The join on a second copy of the row reads the worker before this statement, so status
 * changes and what the alerts need come back without a query per worker. A transition
 * recorded after EC2 was asked (a stopWorker during the poll) is newer than what the poll saw,
 * and is kept. A lifecycle request is forgotten once the poll sees its outcome, or once it is
 * too old ($13) to explain anything.
 */
const UPDATE_POLLED_WORKERS = `
  UPDATE worker AS w SET
    "status" = CASE WHEN w."lastTransitionAt" >= $9 THEN w.status ELSE v.status END,
    "systemCheck" = v.system_check,
    "instanceCheck" = v.instance_check,
    "cpuUtilization" = v.cpu,
    "memoryUtilization" = v.memory,
    "nextPollAt" = v.next_poll_at,
    "lastPolledAt" = $8,
    "lastTransitionAt" = CASE
      WHEN w.status = v.status OR w."lastTransitionAt" >= $9 THEN w."lastTransitionAt"
      ELSE $8 END,
    "lastPollError" = NULL,
    "lastPollErrorAt" = NULL,
    "consecutivePollFailures" = 0,
    "cpuHighStreak" = v.cpu_high_streak,
    "memoryHighStreak" = v.memory_high_streak,
    "lastActivityAt" = v.last_activity_at,
    "requestedAction" = CASE WHEN ${requestSettled} THEN NULL ELSE w."requestedAction" END,
    "requestedAt" = CASE WHEN ${requestSettled} THEN NULL ELSE w."requestedAt" END,
    "updatedAt" = now()
  FROM unnest($1::uuid[], $2::worker_status[], $3::check_status[], $4::check_status[],
      $5::float8[], $6::float8[], $7::timestamptz[], $10::int[], $11::int[], $12::timestamptz[])
      AS v(id, status, system_check, instance_check, cpu, memory, next_poll_at,
        cpu_high_streak, memory_high_streak, last_activity_at)
    -- Locked as the update locks it, so "before" is the row as it is when updated: a request
    -- that changed the status meanwhile (and announced it) is seen, not the snapshot the
    -- statement started with. FOR UPDATE would also wait on the samples' foreign-key locks.
    JOIN (SELECT * FROM worker WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE) AS before
      ON before.id = v.id
  WHERE w.id = v.id
  RETURNING w.id, w.status, before.status AS "previousStatus",
    before."consecutivePollFailures" AS "previousFailures",
    coalesce(before."lastTransitionAt", before."createdAt") AS "previousTransitionAt",
    before."requestedAction", before."requestedAt", w."cpuThreshold", w."memoryThreshold",
    (SELECT coalesce(json_agg(json_build_object(
        'id', a.id, 'kind', a.kind, 'threshold', a.threshold)), '[]')
     FROM alert AS a WHERE a."workerId" = w.id AND a.state = 'FIRING') AS "openAlerts"`;

const RECORD_POLL_FAILURES = `
  UPDATE worker AS w SET
    "lastPollError" = v.message,
    "lastPollErrorAt" = $4,
    "consecutivePollFailures" = w."consecutivePollFailures" + 1,
    "nextPollAt" = v.next_poll_at,
    "updatedAt" = now()
  FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS v(id, message, next_poll_at)
  WHERE w.id = v.id
  RETURNING w.id, w."consecutivePollFailures" AS failures`;
