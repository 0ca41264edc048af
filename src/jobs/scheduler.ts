import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend, PostgresNotificationChannel } from '@agendajs/postgres-backend';
import {
  Agenda,
  type AgendaBackend,
  type BackoffStrategy,
  type Job,
  type NotificationChannel,
} from 'agenda';
import { MongoClient } from 'mongodb';
import { Pool } from 'pg';
import type { Config } from '../config';
import { quoteIdentifier } from '../database/sql';
import type { Logger } from '../logger';
import { forEachLimited } from '../lib/for-each-limited';
import { DELIVER_NOTIFICATION_JOB } from './deliver-notification.job';
import { POLL_WORKER_JOB } from './poll-worker.job';
import { REMEDIATE_WORKER_JOB } from './remediate-worker.job';

export type JobStoreKind = 'postgres' | 'mongo';

/** Where the service's own PostgreSQL is, for the job store when no MongoDB is configured. */
export interface PostgresLocation {
  url: string;
  schema: string;
  /** Told of errors on idle connections, e.g. the server closing them at shutdown. */
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
const KEYED_JOBS: { name: string; key: string; index: string }[] = [
  { name: POLL_WORKER_JOB, key: 'workerId', index: 'agenda_jobs_poll_worker_unique' },
  {
    name: DELIVER_NOTIFICATION_JOB,
    key: 'notificationId',
    index: 'agenda_jobs_deliver_notification_unique',
  },
  { name: REMEDIATE_WORKER_JOB, key: 'alertId', index: 'agenda_jobs_remediate_worker_unique' },
];
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
  return store.kind === 'mongo' ? mongoJobBackend(store.url) : postgresJobBackend(postgres);
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
    reconnect: { enabled: true },
  });
  // Without listeners, a connection the server drops (a restart, a failover) would crash the
  // process: the pool's idle clients, and the LISTEN client, which reconnects by itself.
  const connectionLost = (error: Error) => logger.warn({ err: error }, 'job store connection lost');
  pool.on('error', connectionLost);
  notificationChannel.on('error', connectionLost);
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
        return connected;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
        client.release();
      }
    },
    isDuplicateKey: (error) => (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION,
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
    close: () => pool.end(),
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

function mongoJobBackend(url: string): JobBackend {
  const client = new MongoClient(url);
  const db = client.db();
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
      return connected;
    },
    isDuplicateKey: (error) => (error as { code?: unknown } | null)?.code === MONGO_DUPLICATE_KEY,
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
    close: () => client.close(),
  };
}

export interface SchedulerOptions {
  backend: JobBackend;
  jobs: Config['jobs'];
  pollIntervalMs: number;
  logger: Logger;
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

export type JobHandler<Data> = (data: Data, job: Job<Data>) => Promise<void>;

/**
 * Agenda 6 over the chosen backend: the schedule and the lock of every job. Per-worker poll
 * jobs are made with `create().unique()`, since `every()` keeps one job per name.
 */
export class JobScheduler {
  private readonly running = new Set<Job>();
  private readonly idle: (() => void)[] = [];

  private constructor(
    private readonly agenda: Agenda,
    private readonly backend: JobBackend,
    private readonly options: Config['jobs'],
    private readonly pollIntervalMs: number,
    private readonly logger: Logger,
  ) {
    agenda.on('error', (error) => logger.error({ err: error }, 'job store error'));
    agenda.on('fail', (error: Error, job: Job) => {
      const context = { err: error, job: job.attrs.name, data: job.attrs.data };
      // Expected and retried (a receiver that is down): its own service logs it as a warning.
      if (error.name === 'RetryableDeliveryError') {
        logger.debug(context, 'job failed; retried after its backoff');
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

  static async open({
    backend,
    jobs,
    pollIntervalMs,
    logger,
  }: SchedulerOptions): Promise<JobScheduler> {
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
    return new JobScheduler(agenda, backend, jobs, pollIntervalMs, logger);
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
      new Date(now.getTime() - 2 * this.options.processEveryMs),
    );
  }

  /** Registers the poll job's handler; its concurrency and lock limit come from configuration. */
  definePoll(handler: JobHandler<{ workerId: string }>): void {
    this.agenda.define<{ workerId: string }>(
      POLL_WORKER_JOB,
      (job) => handler(job.attrs.data, job),
      {
        concurrency: this.options.concurrency,
        lockLimit: this.options.lockLimit,
        lockLifetime: this.options.lockLifetimeMs,
      },
    );
  }

  /** A job of which one instance exists fleet-wide, repeating every `intervalMs`. */
  async defineRecurring(
    name: string,
    intervalMs: number,
    handler: () => Promise<void>,
  ): Promise<void> {
    this.agenda.define(name, () => handler(), { concurrency: 1, lockLimit: 1 });
    await this.agenda.every(intervalMs, name, undefined, { skipImmediate: true });
  }

  /**
   * A one-off job run on demand. A handler that throws is retried after `retryDelayMs` (null:
   * no retry); a job that finished is removed, its outcome lives in the service's own tables.
   */
  defineTask<Data>(
    name: string,
    handler: JobHandler<Data>,
    options: { concurrency: number; retryDelayMs?: BackoffStrategy },
  ): void {
    this.agenda.define<Data>(name, (job) => handler(job.attrs.data, job), {
      concurrency: options.concurrency,
      lockLimit: options.concurrency,
      lockLifetime: this.options.lockLifetimeMs,
      backoff: options.retryDelayMs,
      removeOnComplete: true,
    });
  }

  /** Queues one job per payload, due now; a payload whose job already exists is left alone. */
  async enqueue<Data extends Record<string, string>>(
    name: string,
    payloads: readonly Data[],
  ): Promise<void> {
    const keyed = KEYED_JOBS.find((job) => job.name === name);
    if (!keyed) {
      throw new Error(`job ${name} has no unique key`);
    }
    await forEachLimited(payloads, 16, async (data) => {
      try {
        await this.agenda
          .create(name, data)
          .schedule(new Date())
          .unique({ [`data.${keyed.key}`]: data[keyed.key] }, { insertOnly: true })
          .save();
      } catch (error) {
        if (!this.backend.isDuplicateKey(error)) {
          throw error;
        }
      }
    });
  }

  async start(): Promise<void> {
    await this.agenda.start();
  }

  /** Makes sure each worker has its poll job; a worker that already has one keeps it as it is. */
  async schedulePolls(workerIds: readonly string[], firstRunAt: Date): Promise<void> {
    await forEachLimited(workerIds, 16, async (workerId) => {
      try {
        await this.agenda
          .create(POLL_WORKER_JOB, { workerId })
          .repeatEvery(this.pollIntervalMs)
          .schedule(firstRunAt)
          .unique({ 'data.workerId': workerId }, { insertOnly: true })
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
    await this.agenda.stop(false);
    if (this.running.size > 0) {
      const finished = new Promise<void>((resolve) => this.idle.push(resolve));
      const timedOut = await Promise.race([
        finished.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, true).unref()),
      ]);
      if (timedOut) {
        this.logger.warn(
          { running: this.running.size },
          'jobs still running at shutdown; their locks expire after the lock lifetime',
        );
      }
    }
    await this.backend.close();
  }
}
