import { timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AlertKind, ReceiverKind } from '../entities/alert.enums';
import { WorkerStatus } from '../entities/worker-status.enum';
import type { CmlCallName, CmlCallOutcome } from '../services/cml/cml-client';

/** What the fleet looks like right now: read once per scrape. */
export interface FleetSnapshot {
  workers: {
    id: string;
    name: string;
    awsInstanceId: string;
    awsRegion: string;
    status: string;
    cpuUtilization: number | null;
    memoryUtilization: number | null;
    lastPolledAt: Date | null;
  }[];
  alertsFiring: { kind: string; count: number }[];
  jobs: { due: number; running: number; late: number };
}

export interface FleetSnapshotSource {
  snapshot(): Promise<FleetSnapshot>;
}

/** The newest poll cycle this process took part in, possibly still under way. */
export type PollCycleSource = () => { startedAt: Date; finishedAt: Date } | undefined;

export interface ServiceMetricsOptions {
  /** Past this many workers the per-worker gauges are left out; `cwm_workers` still counts them. */
  workerGaugesMaxFleet: number;
  /** The service's version and source revision, for `cwm_build_info`. */
  version: string;
  revision: string;
}

export type AwsCallOutcome = 'ok' | 'error' | 'throttled';
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';
/** `unknown`: the request failed before it resolved to an operation (syntax, validation). */
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';
export type OperationOutcome = 'ok' | 'error';

export interface PollBatchRecord {
  /** Workers the batch was asked to poll. */
  size: number;
  durationMs: number;
  polled: number;
  failed: number;
  gone: number;
}

/** Operation names come from clients: these bound the series they can create. */
export const OPERATION_NAME_MAX_LENGTH = 64;
export const OPERATION_NAME_MAX_DISTINCT = 200;
const ANONYMOUS_OPERATION = 'anonymous';
const OTHER_OPERATION = 'other';

/** `data`: the service's own tables; `jobs`: the job store, when it is the same PostgreSQL. */
export type SqlPool = 'data' | 'jobs';
const SQL_POOLS: SqlPool[] = ['data', 'jobs'];

const WORKER_LABELS = ['worker_id', 'worker_name', 'instance_id', 'region'] as const;
const POLL_OUTCOMES = ['polled', 'failed', 'gone'] as const;
/** The AWS calls the gateways make: their series exist from the start, so rate() and sum() see 0. */
const AWS_ACTIONS = [
  'DescribeInstanceStatus',
  'DescribeInstances',
  'GetMetricData',
  'RunInstances',
  'StartInstances',
  'StopInstances',
  'TerminateInstances',
] as const;
const AWS_CALL_OUTCOMES: AwsCallOutcome[] = ['ok', 'error', 'throttled'];
const CML_ENDPOINTS: CmlCallName[] = [
  'authenticate',
  'system_information',
  'licensing',
  'populate_lab_tiles',
];
const CML_CALL_OUTCOMES: CmlCallOutcome[] = [
  'ok',
  'unauthorized',
  'error',
  'unreachable',
  'timeout',
];
const DELIVERY_OUTCOMES: DeliveryOutcome[] = ['delivered', 'retry', 'failed'];
/**
 * prom-client's sums of `nodejs_active_{handles,requests,resources}` are gauges named like
 * counters, which `promtool check metrics` refuses; `sum()` of the per-type gauges says the same.
 */
const MISNAMED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * The service's Prometheus metrics, on a registry of its own (so tests and several instances
 * in one process never collide), with Node's default process metrics.
 *
 * Fleet gauges are not kept up to date between scrapes: `metricsText()` reads one snapshot
 * from the source and sets them all just before rendering. Without a source (ROLE=api) there
 * are none, so that the fleet is counted once however many processes are scraped.
 */
export class ServiceMetrics {
  readonly contentType: string;
  private readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private snapshotSource: FleetSnapshotSource | undefined;
  private pollCycleSource: PollCycleSource | undefined;
  private inFlightSnapshot: Promise<FleetSnapshot> | undefined;

  private readonly polls = new Counter({
    name: 'cwm_polls_total',
    help: 'Workers polled, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly pollBatchDuration = new Histogram({
    name: 'cwm_poll_batch_duration_seconds',
    help: 'Time a poll batch took, from loading its workers to publishing their samples.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly pollCycleDuration = new Gauge({
    name: 'cwm_poll_cycle_duration_seconds',
    help: "This process's newest poll cycle, from its first batch's start to its last batch's end; it grows while the cycle runs, and is 0 until the process polled.",
    registers: [this.registry],
  });
  private readonly pollBatchSize = new Histogram({
    name: 'cwm_poll_batch_size',
    help: 'Workers per poll batch.',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [this.registry],
  });
  private readonly awsCalls = new Counter({
    name: 'cwm_aws_calls_total',
    help: 'AWS API calls, by action and outcome.',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly cmlCalls = new Counter({
    name: 'cwm_cml_calls_total',
    help: 'Calls to CML controllers, by endpoint and outcome.',
    labelNames: ['endpoint', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly cmlCallDuration = new Histogram({
    name: 'cwm_cml_call_duration_seconds',
    help: 'Time a CML controller took to answer a call, by endpoint.',
    labelNames: ['endpoint'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly awsThrottles = new Counter({
    name: 'cwm_aws_throttles_total',
    help: 'AWS API calls refused by throttling, by action.',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  private readonly sqlStatements = new Counter({
    name: 'cwm_sql_statements_total',
    help: 'SQL statements sent to PostgreSQL, by connection pool.',
    labelNames: ['pool'] as const,
    registers: [this.registry],
  });
  private readonly sqlStatementsByPool = Object.fromEntries(
    SQL_POOLS.map((pool) => [pool, this.sqlStatements.labels({ pool })]),
  ) as Record<SqlPool, Counter.Internal>;
  private readonly operations = new Counter({
    name: 'cwm_graphql_operations_total',
    help: 'GraphQL operations over HTTP, by operation name, type and outcome.',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly operationDuration = new Histogram({
    name: 'cwm_graphql_operation_duration_seconds',
    help: 'Time from receiving a GraphQL request over HTTP to sending its response.',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly webSocketConnections = new Gauge({
    name: 'cwm_websocket_connections',
    help: 'Open graphql-ws connections.',
    registers: [this.registry],
  });
  private readonly subscriptions = new Gauge({
    name: 'cwm_subscriptions',
    help: 'Active GraphQL subscriptions.',
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'cwm_notification_deliveries_total',
    help: 'Alert notification delivery attempts, by receiver kind and outcome.',
    labelNames: ['receiver_kind', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly workerCpu = new Gauge({
    name: 'cwm_worker_cpu_utilization_percent',
    help: 'Latest CPU utilization measured on the worker; absent when none was measured.',
    labelNames: WORKER_LABELS,
    registers: [this.registry],
  });
  private readonly workerMemory = new Gauge({
    name: 'cwm_worker_memory_utilization_percent',
    help: 'Latest memory utilization measured on the worker; absent when none was measured.',
    labelNames: WORKER_LABELS,
    registers: [this.registry],
  });
  private readonly workerStatus = new Gauge({
    name: 'cwm_worker_status',
    help: 'The worker status: 1 on the series of its current status.',
    labelNames: [...WORKER_LABELS, 'status'] as const,
    registers: [this.registry],
  });
  private readonly workerLastPoll = new Gauge({
    name: 'cwm_worker_last_poll_timestamp_seconds',
    help: 'When the worker was last polled (Unix time); absent when it never was.',
    labelNames: WORKER_LABELS,
    registers: [this.registry],
  });
  private readonly workers = new Gauge({
    name: 'cwm_workers',
    help: 'Registered workers, by status and region.',
    labelNames: ['status', 'region'] as const,
    registers: [this.registry],
  });
  private readonly alertsFiring = new Gauge({
    name: 'cwm_alerts_firing',
    help: 'Alerts firing now, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly jobs = new Gauge({
    name: 'cwm_jobs',
    help: 'Scheduled jobs by state: due, running, or late.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  constructor(private readonly options: ServiceMetricsOptions) {
    collectDefaultMetrics({ register: this.registry });
    MISNAMED_DEFAULT_METRICS.forEach((name) => this.registry.removeSingleMetric(name));
    this.contentType = this.registry.contentType;
    new Gauge({
      name: 'cwm_build_info',
      help: 'Always 1: the version and source revision of the service and the Node.js it runs on, as labels.',
      labelNames: ['version', 'revision', 'node_version'] as const,
      registers: [this.registry],
    }).set(
      { version: options.version, revision: options.revision, node_version: process.version },
      1,
    );
    // Known label values start at 0 so rate() sees the first increment and sum() is no empty set.
    POLL_OUTCOMES.forEach((outcome) => this.polls.inc({ outcome }, 0));
    SQL_POOLS.forEach((pool) => this.sqlStatementsByPool[pool].inc(0));
    for (const action of AWS_ACTIONS) {
      AWS_CALL_OUTCOMES.forEach((outcome) => this.awsCalls.inc({ action, outcome }, 0));
      this.awsThrottles.inc({ action }, 0);
    }
    for (const endpoint of CML_ENDPOINTS) {
      CML_CALL_OUTCOMES.forEach((outcome) => this.cmlCalls.inc({ endpoint, outcome }, 0));
    }
    for (const receiverKind of Object.values(ReceiverKind)) {
      DELIVERY_OUTCOMES.forEach((outcome) =>
        this.deliveries.inc({ receiver_kind: receiverKind, outcome }, 0),
      );
    }
  }

  /** Called for every statement: the pools' counters are looked up once, not per call. */
  recordSqlStatement(pool: SqlPool): void {
    this.sqlStatementsByPool[pool].inc();
  }

  recordPollBatch(batch: PollBatchRecord): void {
    this.pollBatchSize.observe(batch.size);
    this.pollBatchDuration.observe(batch.durationMs / 1000);
    POLL_OUTCOMES.forEach((outcome) => this.polls.inc({ outcome }, batch[outcome]));
  }

  /** A throttled call also counts in `cwm_aws_throttles_total`. */
  recordAwsCall(action: string, outcome: AwsCallOutcome): void {
    this.awsCalls.inc({ action, outcome });
    if (outcome === 'throttled') {
      this.awsThrottles.inc({ action });
    }
  }

  recordCmlCall(endpoint: string, outcome: string, seconds: number): void {
    this.cmlCalls.inc({ endpoint, outcome });
    this.cmlCallDuration.observe({ endpoint }, seconds);
  }

  recordDelivery(receiverKind: string, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ receiver_kind: receiverKind, outcome });
  }

  connectionOpened(): void {
    this.webSocketConnections.inc();
  }

  connectionClosed(): void {
    this.webSocketConnections.dec();
  }

  subscriptionStarted(): void {
    this.subscriptions.inc();
  }

  subscriptionEnded(): void {
    this.subscriptions.dec();
  }

  /**
   * `name` null or empty counts as "anonymous"; names are cut to 64 characters, and past 200
   * distinct names any new one counts as "other".
   */
  recordOperation(
    name: string | null | undefined,
    type: OperationType,
    outcome: OperationOutcome,
    durationMs: number,
  ): void {
    const operation = this.operationLabel(name);
    this.operations.inc({ operation, type, outcome });
    this.operationDuration.observe({ operation, type }, durationMs / 1000);
  }

  setSnapshotSource(source: FleetSnapshotSource): void {
    this.snapshotSource = source;
  }

  setPollCycleSource(source: PollCycleSource): void {
    this.pollCycleSource = source;
  }

  /** The exposition text; rejects when the snapshot source fails. */
  async metricsText(): Promise<string> {
    if (this.snapshotSource) {
      this.applySnapshot(await this.sharedSnapshot(this.snapshotSource));
    }
    this.applyPollCycle();
    // Synchronously after applySnapshot: registry.metrics() reads the gauges before it first
    // yields, so a concurrent scrape cannot mix two snapshots into one text.
    return this.registry.metrics();
  }

  /** Scrapes that arrive while a snapshot is being read share it. */
  private sharedSnapshot(source: FleetSnapshotSource): Promise<FleetSnapshot> {
    this.inFlightSnapshot ??= source.snapshot().finally(() => {
      this.inFlightSnapshot = undefined;
    });
    return this.inFlightSnapshot;
  }

  private applySnapshot(snapshot: FleetSnapshot): void {
    for (const gauge of [
      this.workerCpu,
      this.workerMemory,
      this.workerStatus,
      this.workerLastPoll,
      this.workers,
      this.alertsFiring,
      this.jobs,
    ]) {
      gauge.reset();
    }
    this.applyWorkerCounts(snapshot.workers);
    // About 700 bytes and 4 series a worker, in every scrape of every exporting process.
    if (snapshot.workers.length <= this.options.workerGaugesMaxFleet) {
      this.applyWorkerGauges(snapshot.workers);
    }
    Object.values(AlertKind).forEach((kind) => this.alertsFiring.set({ kind }, 0));
    for (const { kind, count } of snapshot.alertsFiring) {
      this.alertsFiring.set({ kind }, count);
    }
    this.jobs.set({ state: 'due' }, snapshot.jobs.due);
    this.jobs.set({ state: 'running' }, snapshot.jobs.running);
    this.jobs.set({ state: 'late' }, snapshot.jobs.late);
  }

  /** Every status of every region a worker is in, 0 included. */
  private applyWorkerCounts(workers: FleetSnapshot['workers']): void {
    const counts = new Map<string, Map<string, number>>();
    for (const { awsRegion, status } of workers) {
      const byStatus = counts.get(awsRegion) ?? new Map<string, number>();
      counts.set(awsRegion, byStatus.set(status, (byStatus.get(status) ?? 0) + 1));
    }
    for (const [region, byStatus] of counts) {
      for (const status of new Set([...Object.values(WorkerStatus), ...byStatus.keys()])) {
        this.workers.set({ status, region }, byStatus.get(status) ?? 0);
      }
    }
  }

  private applyWorkerGauges(workers: FleetSnapshot['workers']): void {
    for (const worker of workers) {
      const labels = {
        worker_id: worker.id,
        worker_name: worker.name,
        instance_id: worker.awsInstanceId,
        region: worker.awsRegion,
      };
      this.workerStatus.set({ ...labels, status: worker.status }, 1);
      if (worker.cpuUtilization !== null) {
        this.workerCpu.set(labels, worker.cpuUtilization);
      }
      if (worker.memoryUtilization !== null) {
        this.workerMemory.set(labels, worker.memoryUtilization);
      }
      if (worker.lastPolledAt !== null) {
        this.workerLastPoll.set(labels, worker.lastPolledAt.getTime() / 1000);
      }
    }
  }

  private applyPollCycle(): void {
    const cycle = this.pollCycleSource?.();
    this.pollCycleDuration.reset();
    if (cycle) {
      this.pollCycleDuration.set((cycle.finishedAt.getTime() - cycle.startedAt.getTime()) / 1000);
    }
  }

  private operationLabel(name: string | null | undefined): string {
    if (!name) {
      return ANONYMOUS_OPERATION;
    }
    const label = name.slice(0, OPERATION_NAME_MAX_LENGTH);
    if (this.operationNames.has(label)) {
      return label;
    }
    if (this.operationNames.size >= OPERATION_NAME_MAX_DISTINCT) {
      return OTHER_OPERATION;
    }
    this.operationNames.add(label);
    return label;
  }
}

const gzipped = promisify(gzip);

/**
 * `GET /metrics`. With a token, only requests bearing it (`Authorization: Bearer <token>`)
 * are answered; without one, the endpoint is open. Gzipped when the scraper accepts it, as
 * Prometheus does: the text of a large fleet shrinks about tenfold.
 */
export function metricsHandler(metrics: ServiceMetrics, token: string | undefined): RequestHandler {
  if (token === '') {
    // An empty token would let an empty credential through: refuse the configuration.
    throw new TypeError('The metrics token must not be empty; leave it unset to disable auth');
  }
  const expected = token === undefined ? undefined : Buffer.from(token, 'utf8');
  return (req, res) => {
    if (expected && !bearsToken(req.get('authorization'), expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Unauthorized');
      return;
    }
    res.vary('Accept-Encoding');
    metrics
      .metricsText()
      .then((text) => encoded(text, req))
      .then(
        ({ body, encoding }) => {
          res.status(200).set('Content-Type', metrics.contentType);
          if (encoding) {
            res.set('Content-Encoding', encoding);
          }
          res.send(body);
        },
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          res.status(500).type('text/plain').send(`Could not collect metrics: ${reason}`);
        },
      );
  };
}

async function encoded(
  text: string,
  req: Request,
): Promise<{ body: string | Buffer; encoding?: 'gzip' }> {
  return req.acceptsEncodings('gzip', 'identity') === 'gzip'
    ? { body: await gzipped(text), encoding: 'gzip' }
    : { body: text };
}

function bearsToken(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  if (!match?.[1]) {
    return false;
  }
  const presented = Buffer.from(match[1], 'utf8');
  // timingSafeEqual needs equal lengths; the length alone gives nothing useful away.
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
