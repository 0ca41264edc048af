import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend, PostgresNotificationChannel } from '@agendajs/postgres-backend';
import { Agenda, type AgendaBackend, type Job, type NotificationChannel } from 'agenda';
import { MongoClient } from 'mongodb';
import { Pool } from 'pg';
import type { Config } from '../config';
import { quoteIdentifier } from '../database/sql';
import type { Logger } from '../logger';
import { forEachLimited } from '../lib/for-each-limited';
import { nextBoundary } from '../lib/interval-boundary';
import { ConnectionWatch, isConnectionError, watchPool } from '../observability/connection-watch';
import { inJobSpan } from '../observability/tracing';
import {
  JOB_CATALOGUE,
  type JobPolicy,
  type JobName,
  type JobPayloads,
  type KeyedJobName,
  POLL_WORKER_JOB,
  type QueuedJobName,
  notifyAlertGroupsEveryMs,
  RetryableJobError,
  retryDelayMs,
} from './job-catalogue';
import type { JobCounts, JobQueue, JobStoreKind, PollJobState, PollSchedule } from './job-queue';

/** Where the service's own PostgreSQL is, for the job store when no MongoDB is configured. */
export interface PostgresLocation {
  url: string;
  schema: string;
  /** Told when the job store (this PostgreSQL, or MongoDB) goes away and comes back. */
  logger: Logger;
  /** Called for every statement the job store sends (claims, saves, notifications). */
  onStatement?: () => void;
}

const JOBS_TABLE = 'agenda_jobs';
const MONGO_COLLECTION = 'agendaJobs';
/**
 * Jobs of which at most one may exist per key of their payload, and the unique index that
 * makes sure of it (Agenda's own `unique()` checks, then inserts: two processes can both pass).
 */
const KEYED_JOBS = Object.entries(JOB_CATALOGUE).flatMap(([name, policy]) =>
  policy.kind === 'keyed' ? [{ name, key: policy.dedupKey, index: policy.uniqueIndex }] : [],
);
/**
 * Agenda claims the next due job with an index scan in (name, next_run_at, priority) order.
 * A fleet's poll jobs are all due at the same boundary, and its own index puts the jobs
 * already claimed (locked_at set) before the free ones of the same time: each claim stepped
 * over every job claimed before it, 0.9 ms a claim with 5,000 claimed. Free ones first, it
 * takes 0.09 ms.
 */
const CLAIM_INDEX = 'agenda_jobs_claim_free_first';
/** Two processes creating Agenda's tables at once fail ("tuple concurrently updated"). */
const SCHEMA_LOCK_KEY = 7_302_115;
const UNIQUE_VIOLATION = '23505';
const MONGO_DUPLICATE_KEY = 11000;

/**
 * The job store behind Agenda: MongoDB when configured (what production runs), else the
 * service's own PostgreSQL. Each also carries the unique index that makes Agenda's
 * check-then-insert `unique()` safe when two processes schedule the same worker at once.
 */
export interface JobBackend {
  readonly kind: JobStoreKind;
  readonly agendaBackend: AgendaBackend;
  /** Wakes the other processes when a job is due now; the backend's own when undefined. */
  readonly notificationChannel: NotificationChannel | undefined;
  /**
   * Runs `connect` (which builds Agenda: it sets up its tables as soon as it is built), then
   * adds the poll jobs' unique index.
   */
  prepare<T>(connect: () => Promise<T>): Promise<T>;
  isDuplicateKey(error: unknown): boolean;
  /** Counts an error Agenda met reaching the store towards the store's outage. */
  connectionFailed(error: unknown): void;
  /** Rejects when the store is unreachable. */
  ping(): Promise<void>;
  /** Jobs of this name due and unclaimed, running, and due since before `lateBefore`. */
  countJobs(name: string, now: Date, lateBefore: Date): Promise<JobCounts>;
  close(): Promise<void>;
}

export function createJobBackend(
  store: Config['jobs']['store'],
  postgres: PostgresLocation,
): JobBackend {
  return store.kind === 'mongo'
    ? mongoJobBackend(store.url, postgres.logger)
    : postgresJobBackend(postgres);
}

function postgresJobBackend({ url, schema, logger, onStatement }: PostgresLocation): JobBackend {
  // The LISTEN connection holds one client for good, hence at least 2.
  const pool = countStatements(
    new Pool({ connectionString: url, max: 6, options: `-c search_path=${schema}` }),
    onStatement,
  );
  const agendaBackend = new PostgresBackend({
    pool,
    tableName: JOBS_TABLE,
    disableNotifications: true,
  });
  // Channels are per database, schemas are not: keep services on other schemas apart.
  const notificationChannel = new WakeUpChannel({
    pool,
    channelName: `${JOBS_TABLE}:${schema}`,
    // Its default gives up after 10 attempts (about 100 s): a longer outage left the
    // wake-ups off for good.
    reconnect: { enabled: true, maxAttempts: Number.POSITIVE_INFINITY, maxDelayMs: 5_000 },
  });
  // Without listeners, a connection the server drops (a restart, a failover) would crash the
  // process: the pool's clients, and the LISTEN client, which reconnects by itself.
  const watch = new ConnectionWatch({ name: 'jobStore', logger });
  watchPool(pool, watch, 'pool');
  notificationChannel.on('error', (error: Error) => watch.down('listener', error));
  notificationChannel.on('stateChange', (state: string) => {
    if (state === 'connected') {
      watch.up('listener');
    }
  });
  return {
    kind: 'postgres',
    agendaBackend,
    notificationChannel,
    async prepare(connect) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
        const connected = await connect();
        for (const { name, key, index } of KEYED_JOBS) {
          await client.query(
            `CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdentifier(index)}
               ON ${quoteIdentifier(JOBS_TABLE)} ((data->>'${key}')) WHERE name = '${name}'`,
          );
        }
        await client.query(
          `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(CLAIM_INDEX)} ON ${quoteIdentifier(JOBS_TABLE)}
             (name, next_run_at, priority DESC, locked_at NULLS FIRST) WHERE disabled = FALSE`,
        );
        await client.query(
          `UPDATE ${quoteIdentifier(JOBS_TABLE)} SET repeat_interval = NULL
           WHERE name = $1 AND repeat_interval IS NOT NULL`,
          [POLL_WORKER_JOB],
        );
        return connected;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
        client.release();
      }
    },
    isDuplicateKey: (error) => (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION,
    connectionFailed: (error) => watch.down('pool', error),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    countJobs: async (name, now, lateBefore) => {
      const { rows } = await pool.query<JobCounts>(
        `SELECT
           count(*) FILTER (WHERE locked_at IS NULL AND next_run_at <= $2)::int AS due,
           count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS running,
           count(*) FILTER (WHERE locked_at IS NULL AND next_run_at < $3)::int AS late
         FROM ${quoteIdentifier(JOBS_TABLE)} WHERE name = $1`,
        [name, now, lateBefore],
      );
      return rows[0];
    },
    close: () => {
      watch.close();
      return pool.end();
    },
  };
}

/**
 * Tells the other processes of a job due now (a notification to deliver, a remediation), so
 * they need not wait for their next scan. Agenda would also announce every start, success and
 * completion of every job: three NOTIFYs per job, half the job store's statements in a poll
 * cycle, each parsed by every process, for events nothing here listens to.
 */
class WakeUpChannel extends PostgresNotificationChannel {
  override publishState(): Promise<void> {
    return Promise.resolve();
  }
}

/** Agenda sends every statement through `pool.query`: counting there counts them all. */
function countStatements(pool: Pool, onStatement: (() => void) | undefined): Pool {
  if (onStatement) {
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    pool.query = ((...args: unknown[]) => {
      onStatement();
      return query(...args);
    }) as Pool['query'];
  }
  return pool;
}

function mongoJobBackend(url: string, logger: Logger): JobBackend {
  const client = new MongoClient(url);
  const db = client.db();
  // The driver reconnects by itself and reports nothing; what Agenda meets is the outage.
  const watch = new ConnectionWatch({ name: 'jobStore', logger });
  watch.probeWith('client', () => db.command({ ping: 1 }));
  return {
    kind: 'mongo',
    agendaBackend: new MongoBackend({ mongo: db, collection: MONGO_COLLECTION }),
    notificationChannel: undefined,
    async prepare(connect) {
      const connected = await connect();
      for (const { name, key, index } of KEYED_JOBS) {
        await db
          .collection(MONGO_COLLECTION)
          .createIndex(
            { [`data.${key}`]: 1 },
            { name: index, unique: true, partialFilterExpression: { name } },
          );
      }
      await db
        .collection(MONGO_COLLECTION)
        .updateMany(
          { name: POLL_WORKER_JOB, repeatInterval: { $exists: true } },
          { $unset: { repeatInterval: '' } },
        );
      return connected;
    },
    isDuplicateKey: (error) => (error as { code?: unknown } | null)?.code === MONGO_DUPLICATE_KEY,
    connectionFailed: (error) => watch.down('client', error),
    ping: async () => {
      await db.command({ ping: 1 });
    },
    countJobs: async (name, now, lateBefore) => {
      const jobs = db.collection(MONGO_COLLECTION);
      const [due, running, late] = await Promise.all([
        jobs.countDocuments({ name, lockedAt: null, nextRunAt: { $lte: now } }),
        jobs.countDocuments({ name, lockedAt: { $ne: null } }),
        jobs.countDocuments({ name, lockedAt: null, nextRunAt: { $lt: lateBefore } }),
      ]);
      return { due, running, late };
    },
    close: () => {
      watch.close();
      return client.close();
    },
  };
}

export interface SchedulerOptions {
  backend: JobBackend;
  jobs: Config['jobs'];
  pollIntervalMs: number;
  /** The base of the deliveries' exponential backoff. */
  retryBaseMs: number;
  /** The notifications' group wait and interval, which set how often their sweep runs. */
  notificationGrouping: { waitMs: number; intervalMs: number };
  /** How often auto-import-workers runs; unset while auto-import is off. */
  autoImportIntervalMs?: number;
  logger: Logger;
}

/** What a run may say of the job's next run; a poll always says when. */
export interface JobRunResult {
  nextRunAt?: Date | null;
}

type KeyedJobPolicy<Name extends KeyedJobName> = JobPolicy<Name> & { kind: 'keyed' };

export type JobHandler<Name extends JobName> = (
  payload: JobPayloads[Name],
) => Promise<JobRunResult | void>;

/**
 * Agenda 6 over the chosen backend: the schedule and the lock of every job in the catalogue.
 *
 * A poll job has no repeat interval of its own: Agenda would save the next run (one interval
 * on) before the handler runs, so a process killed mid-poll left its workers unpolled for a
 * whole interval after their lock expired. Without one, the run leaves no next run until it
 * ends; a run whose process died is due as soon as its lock expires, and each run sets the
 * next one itself (the next interval boundary, also when it failed).
 */
export class JobScheduler implements JobQueue, PollSchedule {
  private readonly running = new Set<Job>();
  private readonly idle: (() => void)[] = [];
  private closing = false;

  private constructor(
    private readonly agenda: Agenda,
    private readonly backend: JobBackend,
    private readonly options: SchedulerOptions,
  ) {
    const { logger } = options;
    agenda.on('error', (error) => {
      if (this.closing) {
        // A claim Agenda began before it stopped meets the pool closed under it.
        logger.debug({ err: error }, 'job store error while closing');
      } else if (isConnectionError(error)) {
        backend.connectionFailed(error);
      } else {
        logger.error({ err: error }, 'job store error');
      }
    });
    agenda.on('fail', (error: Error, job: Job) => {
      const context = { err: error, job: job.attrs.name, data: job.attrs.data };
      // Expected and retried (a receiver that is down): its own service logs it as a warning.
      if (error instanceof RetryableJobError) {
        logger.debug(context, 'job failed; retried after its backoff');
      } else if (isConnectionError(error)) {
        // The store's own watch has logged the outage once; one error per job would bury it.
        logger.debug(context, 'job failed: a store it needs is out of reach');
      } else {
        logger.error(context, 'job failed');
      }
    });
    agenda.on('start', (job) => {
      this.running.add(job);
    });
    agenda.on('complete', (job) => {
      this.running.delete(job);
      if (this.running.size === 0) {
        this.idle.splice(0).forEach((resolve) => resolve());
      }
    });
  }

  static async open(options: SchedulerOptions): Promise<JobScheduler> {
    const { backend, jobs } = options;
    let agenda: Agenda;
    try {
      agenda = await backend.prepare(async () => {
        const connecting = new Agenda({
          backend: backend.agendaBackend,
          notificationChannel: backend.notificationChannel,
          name: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
          processEvery: jobs.processEveryMs,
          defaultLockLifetime: jobs.lockLifetimeMs,
          maxConcurrency: jobs.concurrency + 16,
          defaultConcurrency: 4,
        });
        await connecting.ready;
        return connecting;
      });
    } catch (error) {
      await backend.close();
      throw error;
    }
    return new JobScheduler(agenda, backend, options);
  }

  get kind(): JobStoreKind {
    return this.backend.kind;
  }

  ping(): Promise<void> {
    return this.backend.ping();
  }

  /** Poll jobs due, running, and late: due for longer than two scans of the store. */
  pollJobCounts(now = new Date()): Promise<JobCounts> {
    return this.backend.countJobs(
      POLL_WORKER_JOB,
      now,
      new Date(now.getTime() - 2 * this.options.jobs.processEveryMs),
    );
  }

  /** Registers a job's handler, with the policy the catalogue gives it; each run is a span. */
  async register<Name extends JobName>(name: Name, untraced: JobHandler<Name>): Promise<void> {
    const policy = JOB_CATALOGUE[name];
    const handler: JobHandler<Name> = (payload) =>
      inJobSpan(name, payload, () => untraced(payload));
    if (policy.kind === 'recurring') {
      this.agenda.define(name, async () => void (await handler({} as JobPayloads[Name])), {
        concurrency: 1,
        lockLimit: 1,
      });
      const everyMs =
        policy.everyMs === 'notification-groups'
          ? notifyAlertGroupsEveryMs(this.options.notificationGrouping)
          : policy.everyMs === 'auto-import'
            ? this.autoImportEveryMs()
            : policy.everyMs;
      await this.agenda.every(everyMs, name, undefined, { skipImmediate: true });
      return;
    }
    const { jobs, retryBaseMs } = this.options;
    const isPoll = name === POLL_WORKER_JOB;
    const concurrency = policy.concurrency === 'configured' ? jobs.concurrency : policy.concurrency;
    const { retry } = policy;
    this.agenda.define<JobPayloads[Name]>(
      name,
      async (job) => {
        try {
          const result = await handler(job.attrs.data);
          if (result?.nextRunAt !== undefined) {
            job.attrs.nextRunAt = result.nextRunAt;
          }
        } finally {
          if (isPoll) {
            job.attrs.nextRunAt ??= nextBoundary(new Date(), this.options.pollIntervalMs);
          }
        }
      },
      {
        concurrency,
        lockLimit: isPoll ? jobs.lockLimit : concurrency,
        lockLifetime: jobs.lockLifetimeMs,
        backoff:
          retry.kind === 'exponential'
            ? ({ attempt }) =>
                retryDelayMs(attempt, { baseMs: retryBaseMs, maxMs: retry.maxDelayMs })
            : undefined,
        // A finished task's outcome lives in the service's own tables; polls stay scheduled.
        removeOnComplete: !isPoll,
      },
    );
  }

  private autoImportEveryMs(): number {
    const { autoImportIntervalMs } = this.options;
    if (autoImportIntervalMs === undefined) {
      throw new Error('auto-import-workers is registered without autoImportIntervalMs');
    }
    return autoImportIntervalMs;
  }

  async enqueue<Name extends QueuedJobName>(
    name: Name,
    payloads: readonly JobPayloads[Name][],
  ): Promise<void> {
    await this.insertKeyed(name, payloads, new Date());
  }

  async start(): Promise<void> {
    await this.agenda.start();
  }

  /** Makes sure each worker has its poll job; a worker that already has one keeps it as it is. */
  async schedulePolls(workerIds: readonly string[], firstRunAt: Date): Promise<void> {
    await this.insertKeyed(
      POLL_WORKER_JOB,
      workerIds.map((workerId) => ({ workerId })),
      firstRunAt,
    );
  }

  /** One job per payload due at `runAt`; another process inserting it first is no error. */
  private async insertKeyed<Name extends KeyedJobName>(
    name: Name,
    payloads: readonly JobPayloads[Name][],
    runAt: Date,
  ): Promise<void> {
    const { dedupKey } = JOB_CATALOGUE[name] as KeyedJobPolicy<Name>;
    await forEachLimited(payloads, 16, async (data) => {
      try {
        await this.agenda
          .create(name, data)
          .schedule(runAt)
          .unique(
            { [`data.${dedupKey}`]: (data as Record<string, string>)[dedupKey] },
            { insertOnly: true },
          )
          .save();
      } catch (error) {
        // Another process inserted it between Agenda's check and its insert: the index held.
        if (!this.backend.isDuplicateKey(error)) {
          throw error;
        }
      }
    });
  }

  async cancelPolls(workerIds: readonly string[]): Promise<void> {
    await forEachLimited(workerIds, 16, (workerId) =>
      this.agenda.cancel({ name: POLL_WORKER_JOB, data: { workerId } }),
    );
  }

  async pollJobs(): Promise<PollJobState[]> {
    const { jobs } = await this.agenda.queryJobs({ name: POLL_WORKER_JOB });
    return jobs.flatMap((job) => {
      const workerId = (job.data as { workerId?: unknown } | undefined)?.workerId;
      return typeof workerId === 'string'
        ? [
            {
              workerId,
              nextRunAt: job.nextRunAt ?? null,
              lockedAt: job.lockedAt ?? null,
              lastRunAt: job.lastRunAt ?? null,
              lastFinishedAt: job.lastFinishedAt ?? null,
            },
          ]
        : [];
    });
  }

  /**
   * Releases the jobs locked ahead of their run, lets the running ones finish (so no poll is
   * cut in half and none stays locked until its lock expires), then closes the store.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.closing = true;
    await this.agenda.stop(false);
    if (this.running.size > 0) {
      const finished = new Promise<void>((resolve) => this.idle.push(resolve));
      const timedOut = await Promise.race([
        finished.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, true).unref()),
      ]);
      if (timedOut) {
        this.options.logger.warn(
          { running: this.running.size },
          'jobs still running at shutdown; their locks expire after the lock lifetime',
        );
      }
    }
    await this.backend.close();
  }
}
