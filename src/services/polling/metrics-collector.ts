import type { Span } from '@opentelemetry/api';
import type { Config } from '../../config';
import { POLLED } from '../../entities/change-source.enum';
import { CmlServiceStatus, type StoredLab } from '../../entities/cml.types';
import type { MetricSampleEvent } from '../../entities/metric-sample.entity';
import type { WorkerPollFailure } from '../../entities/worker-poll-failure.type';
import type { WorkerStatusChange } from '../../entities/worker-status-change.type';
import { CheckStatus, WorkerStatus } from '../../entities/worker-status.enum';
import type { Worker } from '../../entities/worker.entity';
import { nextBoundary } from '../../lib/interval-boundary';
import { groupBy } from '../../lib/maps';
import type { Logger } from '../../logger';
import type { PollBatchRecord } from '../../observability/metrics';
import {
  inSpan,
  POLL_BATCH_SPAN,
  recordWorkerPolls,
  type WorkerPollResult,
} from '../../observability/tracing';
import type { MetricSampleRepository } from '../../repositories/metric-sample.repository';
import type { Queryable, Transactor } from '../../repositories/sql-result';
import type {
  PolledRow,
  PolledWorker,
  WorkerRepository,
} from '../../repositories/worker.repository';
import type { WorkerStatusTransitionRepository } from '../../repositories/worker-status-transition.repository';
import { type CmlFacts, nextAlertState, type WorkerAlertState } from '../alerts/alert-rules';
import type { AlertChanges, AlertService, WorkerObservation } from '../alerts/alert.service';
import type { FleetTelemetry, HealthReport, Utilization } from '../aws/fleet-telemetry.gateway';
import { mayBeUnknownYet } from '../aws/new-instance-grace';
import { type CmlObservation, type CmlReader, NOT_APPLICABLE } from '../cml/cml-monitor';
import type { PubSub } from '../pubsub/pub-sub';
import type { PollOutcome } from './poll-batcher';
import type { PollCycleTracker } from './poll-cycle.tracker';

/** How many periods back CloudWatch is asked for the newest datapoint: it publishes late. */
const LOOKBACK_PERIODS = 3;

/** The poll jobs of workers that need no more polling. */
export interface PollJobCanceller {
  cancelPolls(workerIds: readonly string[]): Promise<void>;
}

export interface MetricsCollectorOptions {
  monitoring: Pick<
    Config['monitoring'],
    'enabled' | 'pollIntervalSeconds' | 'metricsPeriodSeconds' | 'newInstanceGraceMs'
  >;
  now?: () => Date;
  /** Told of every batch once its results are published (the service's metrics). */
  onBatch?: (batch: PollBatchRecord) => void;
  /** Asks the running workers' CML controllers; undefined: CML monitoring is off. */
  cml?: CmlReader;
}

/** CML monitoring is off: nothing is asked, nothing changes. */
const NOT_ASKED: CmlObservation = {
  status: CmlServiceStatus.UNKNOWN,
  error: null,
  labs: null,
  details: null,
};

interface Reading {
  worker: Worker;
  status: WorkerStatus;
  systemCheck: CheckStatus | null;
  instanceCheck: CheckStatus | null;
  cpu: Utilization['cpu'];
  memory: Utilization['memory'];
  cml: CmlObservation;
}

interface Failure {
  worker: Worker;
  error: unknown;
}

type RegionResult = { readings: Reading[]; failures: Failure[] };

/** What a batch asked of AWS, and which of its workers it must not write after all. */
interface Batch {
  readings: Reading[];
  failures: Failure[];
  onScheduleOnly: ReadonlySet<string>;
  askedAt: Date;
  collectedAt: Date;
}

interface Stored {
  readings: Reading[];
  failures: Failure[];
  changes: WorkerStatusChange[];
  pollFailures: WorkerPollFailure[];
  recovered: string[];
  newlyFailing: Set<string>;
  alerts: AlertChanges;
  /** Removed while the batch was polled. */
  removed: string[];
  /** Already polled for this interval, or polled later than this batch: the row as it is. */
  superseded: Worker[];
}

export interface MetricsCollectorStores {
  workers: WorkerRepository;
  samples: MetricSampleRepository;
  transitions: WorkerStatusTransitionRepository;
  transactions: Transactor;
}

/**
 * Polls a batch of workers: one query loads them; per region, batched EC2 and CloudWatch
 * calls; then one transaction locks the rows, stores the samples, updates the workers and
 * stores their status changes; then every sample, status change and failed poll is published.
 * What a poll writes is decided on the rows as locked: a worker removed meanwhile loses only its
 * own sample, a result older than the row's writes nothing, and a scheduled poll of an interval
 * already served writes nothing.
 */
export class MetricsCollector {
  private readonly now: () => Date;
  private readonly intervalMs: number;

  constructor(
    private readonly stores: MetricsCollectorStores,
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
  pollWorkers(
    workerIds: string[],
    onScheduleOnly: ReadonlySet<string> = new Set(),
  ): Promise<Map<string, PollOutcome>> {
    return inSpan(
      POLL_BATCH_SPAN,
      { root: true, attributes: { 'cml.poll.batch.size': workerIds.length } },
      (span) => this.pollBatch(workerIds, onScheduleOnly, span),
    );
  }

  private async pollBatch(
    workerIds: string[],
    onScheduleOnly: ReadonlySet<string>,
    span: Span,
  ): Promise<Map<string, PollOutcome>> {
    const startedAt = this.now();
    const loaded = (await this.stores.workers.findByIds(workerIds)).filter(
      (worker): worker is Worker => worker !== null,
    );
    const outcomes = new Map<string, PollOutcome>();
    const removed = workerIds.filter((id) => !loaded.some((worker) => worker.id === id));
    const served = loaded.filter((worker) =>
      servedAlready(worker, onScheduleOnly, startedAt, this.intervalMs),
    );
    const workers = loaded.filter((worker) => !served.includes(worker));

    const results = await Promise.all(
      [...groupBy(workers, (worker) => worker.awsRegion)].map(([region, regionWorkers]) =>
        this.pollRegion(region, regionWorkers, startedAt),
      ),
    );
    const collectedAt = this.now();
    const stored = await this.stores.transactions.transaction((tx) =>
      this.store(tx, {
        readings: results.flatMap((result) => result.readings),
        failures: results.flatMap((result) => result.failures),
        onScheduleOnly,
        askedAt: startedAt,
        collectedAt,
      }),
    );
    const { readings, failures, changes, pollFailures, recovered, newlyFailing, alerts } = stored;
    recordWorkerPolls(span, { startTime: startedAt, endTime: collectedAt }, () =>
      workerPollResults(readings, failures),
    );
    const gone = [...removed, ...stored.removed];
    gone.forEach((id) => outcomes.set(id, { kind: 'gone', nextPollAt: null }));
    for (const worker of [...served, ...stored.superseded]) {
      outcomes.set(worker.id, { kind: 'polled', nextPollAt: worker.nextPollAt });
    }
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

    await this.publish(readings, changes, pollFailures, collectedAt);
    await this.alerts.announce(alerts);
    const finished = [
      ...gone,
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
      polled: readings.length - (finished.length - gone.length),
      failed: failures.length,
      gone: finished.length,
    };
    this.options.onBatch?.(batch);
    span.setAttributes({
      'cml.poll.batch.polled': batch.polled,
      'cml.poll.batch.failed': batch.failed,
      'cml.poll.batch.gone': batch.gone,
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
        if (mayBeUnknownYet(worker, now, this.options.monitoring.newInstanceGraceMs)) {
          failures.push({ worker, error: notKnownYet(worker, now) });
        } else {
          readings.push(unmeasured(worker, WorkerStatus.TERMINATED));
        }
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
          cml: NOT_ASKED,
        });
      }
    }
    await this.askCml(readings);
    return { readings, failures };
  }

  /** After EC2 and CloudWatch, within the batch: the controllers of the running workers. */
  private async askCml(readings: Reading[]): Promise<void> {
    const reader = this.options.cml;
    if (!reader) {
      readings.forEach((reading) => (reading.cml = NOT_ASKED));
      return;
    }
    const running = readings.filter((reading) => reading.status === WorkerStatus.RUNNING);
    const observed = await reader.observe(running.map((reading) => reading.worker));
    for (const reading of readings) {
      reading.cml =
        reading.status === WorkerStatus.RUNNING
          ? (observed.get(reading.worker.id) ?? NOT_ASKED)
          : NOT_APPLICABLE;
    }
  }

  /**
   * Locks the batch's rows and keeps what may still be written: each reading and failure goes
   * on with the row as locked (its thresholds, streaks and monitoring switch as they are now).
   */
  private async store(tx: Queryable, batch: Batch): Promise<Stored> {
    const { askedAt, collectedAt, onScheduleOnly } = batch;
    const ids = [...batch.readings, ...batch.failures].map((entry) => entry.worker.id);
    const locked = new Map(
      (await this.stores.workers.lockForPoll(tx, ids)).map((row) => [row.id, row]),
    );
    const removed = ids.filter((id) => !locked.has(id));
    const superseded: Worker[] = [];
    const current = <T extends { worker: Worker }>(entries: T[]): T[] =>
      entries.flatMap((entry) => {
        const row = locked.get(entry.worker.id);
        if (!row) {
          return [];
        }
        const newer = row.lastPolledAt !== null && row.lastPolledAt >= collectedAt;
        if (newer || servedAlready(row, onScheduleOnly, askedAt, this.intervalMs)) {
          superseded.push(row);
          return [];
        }
        return [{ ...entry, worker: row }];
      });
    const readings = current(batch.readings);
    const failures = current(batch.failures);
    const stored: Stored = {
      readings,
      failures,
      changes: [],
      pollFailures: [],
      recovered: [],
      newlyFailing: new Set(),
      alerts: { alerts: [], notifyNow: false, remediations: [] },
      removed,
      superseded,
    };
    if (readings.length > 0) {
      await this.storeReadings(tx, readings, askedAt, collectedAt, stored);
    }
    if (failures.length > 0) {
      const polls = failures.map((f) => ({
        id: f.worker.id,
        message: describeError(f.error),
        nextPollAt: this.nextPollAt(f.worker),
      }));
      const failed = await this.stores.workers.recordPollFailures(tx, polls, collectedAt);
      failed.filter((row) => row.failures === 1).forEach((row) => stored.newlyFailing.add(row.id));
      const counts = new Map(failed.map((row) => [row.id, row.failures]));
      stored.pollFailures = polls.flatMap(({ id, message }) => {
        const consecutiveFailures = counts.get(id);
        return consecutiveFailures === undefined
          ? []
          : [{ workerId: id, message, consecutiveFailures, occurredAt: collectedAt }];
      });
    }
    return stored;
  }

  private async storeReadings(
    tx: Queryable,
    readings: Reading[],
    askedAt: Date,
    collectedAt: Date,
    stored: Stored,
  ): Promise<void> {
    await this.stores.samples.insert(
      tx,
      readings.map((r) => toSampleEvent(r, collectedAt)),
      collectedAt,
    );
    const facts = readings.map((r) => cmlFacts(r.worker, r.cml));
    const states = readings.map((r, index) =>
      nextAlertState(
        r.worker,
        {
          status: r.status,
          cpu: r.cpu?.value ?? null,
          memory: r.memory?.value ?? null,
          thresholds: r.worker.thresholds,
          collectedAt,
          systemCheck: r.systemCheck,
          instanceCheck: r.instanceCheck,
          cml: facts[index],
        },
        this.alerts.rules,
      ),
    );
    const updated = await this.stores.workers.storePolls(
      tx,
      readings.map((r, index) => ({
        id: r.worker.id,
        status: r.status,
        systemCheck: r.systemCheck,
        instanceCheck: r.instanceCheck,
        cpu: r.cpu?.value ?? null,
        memory: r.memory?.value ?? null,
        nextPollAt: this.nextPollAt(r.worker, r.status),
        ...states[index],
        cml: toCmlColumns(r.cml),
      })),
      collectedAt,
      askedAt,
      new Date(collectedAt.getTime() - this.alerts.rules.requestTtlMs),
    );
    const byId = new Map(readings.map((reading, index) => [reading.worker.id, index]));
    const observations: WorkerObservation[] = [];
    for (const row of updated) {
      if (row.previousStatus !== row.status) {
        stored.changes.push({
          workerId: row.id,
          previousStatus: row.previousStatus,
          status: row.status,
          changedAt: collectedAt,
          ...POLLED,
        });
      }
      if (row.previousFailures > 0) {
        stored.recovered.push(row.id);
      }
      const index = byId.get(row.id) as number;
      observations.push(
        toObservation(row, readings[index], states[index], facts[index], collectedAt),
      );
    }
    // Decided on the rows as the update locked them: a request that changed a status first
    // stored that change itself, and this poll sees none.
    await this.stores.transitions.insert(tx, stored.changes);
    stored.alerts = await this.alerts.apply(tx, observations);
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
    pollFailures: WorkerPollFailure[],
    collectedAt: Date,
  ): Promise<void> {
    const events = [
      ...readings.map((reading) =>
        this.pubSub.publish('WORKER_METRICS', toSampleEvent(reading, collectedAt)),
      ),
      ...changes.map((change) => this.pubSub.publish('WORKER_STATUS_CHANGED', change)),
      ...pollFailures.map((failure) => this.pubSub.publish('WORKER_POLL_FAILED', failure)),
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

function notKnownYet(worker: Worker, now: Date): Error {
  const seconds = Math.round((now.getTime() - worker.createdAt.getTime()) / 1000);
  return new Error(
    `EC2 does not know instance ${worker.awsInstanceId} yet (registered ${seconds} s ago; ` +
      'EC2 is eventually consistent); retrying',
  );
}

function unmeasured(worker: Worker, status: WorkerStatus): Reading {
  return {
    worker,
    status,
    systemCheck: null,
    instanceCheck: null,
    cpu: null,
    memory: null,
    cml: NOT_APPLICABLE,
  };
}

/** What the alert rules need of this poll's CML read, with what the locked row knew before. */
function cmlFacts(row: Worker, cml: CmlObservation): CmlFacts {
  const license = cml.details?.license ?? row.cmlLicense;
  return {
    status: cml.status,
    error: cml.error,
    labsRunning: cml.labs?.labsRunning ?? null,
    nodesRunning: cml.labs?.nodesRunning ?? null,
    // The first read of a controller is no change: the labs were there before it was asked.
    labsChanged:
      cml.labs !== null &&
      row.cmlCheckedAt !== null &&
      labsDigest(row.cmlLabs) !== labsDigest(cml.labs.list),
    license: license && {
      ...license,
      expiresAt: license.expiresAt === null ? null : new Date(license.expiresAt),
    },
  };
}

function labsDigest(labs: readonly StoredLab[]): string {
  return labs
    .map((lab) => `${lab.id}:${lab.state}:${lab.nodeCount}:${lab.modifiedAt ?? ''}`)
    .sort()
    .join('|');
}

/** A stopped worker's controller knows nothing: its labs are cleared, its license kept. */
function toCmlColumns(cml: CmlObservation): PolledRow['cml'] {
  if (cml.status === CmlServiceStatus.NOT_APPLICABLE) {
    return {
      status: cml.status,
      error: null,
      asked: false,
      labs: { list: [], labsTotal: null, labsRunning: null, nodesTotal: null, nodesRunning: null },
      details: null,
      addresses: null,
    };
  }
  return {
    status: cml.status,
    error: cml.error,
    asked: cml.status !== CmlServiceStatus.UNKNOWN,
    labs: cml.labs,
    details: cml.details,
    addresses: cml.addresses ?? null,
  };
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
    cmlStatus: reading.cml.status,
    labsRunning: reading.cml.labs?.labsRunning ?? null,
    nodesRunning: reading.cml.labs?.nodesRunning ?? null,
    collectedAt,
  };
}

/**
 * A scheduled poll of a worker whose next poll is already later than when it was asked, set by
 * a poll that succeeded within the interval before it (a refresh, or a run whose process died
 * after storing). A failed poll moves `nextPollAt` too, but serves nothing.
 */
function servedAlready(
  worker: Worker,
  onScheduleOnly: ReadonlySet<string>,
  askedAt: Date,
  intervalMs: number,
): boolean {
  const { nextPollAt, lastPolledAt } = worker;
  return (
    onScheduleOnly.has(worker.id) &&
    nextPollAt !== null &&
    nextPollAt > askedAt &&
    lastPolledAt !== null &&
    lastPolledAt.getTime() >= nextPollAt.getTime() - intervalMs
  );
}

function toObservation(
  row: PolledWorker,
  reading: Reading,
  state: WorkerAlertState,
  cml: CmlFacts,
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
    cml,
    state,
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
