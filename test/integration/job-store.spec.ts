import { Writable } from 'node:stream';
import { Client } from 'pg';
import type { Config } from '../../src/config';
import { quoteIdentifier } from '../../src/database/sql';
import { DELIVER_NOTIFICATION_JOB } from '../../src/jobs/job-catalogue';
import { createJobBackend, JobScheduler } from '../../src/jobs/scheduler';
import { createLogger, type Logger } from '../../src/logger';
import { testLogger } from '../support/silent-logger';
import { waitFor } from '../support/wait-for';
import { testDatabaseUrl, uniqueSchemaName } from '../support/test-database';

const MONGO_URL = process.env.JOBS_MONGO_URL;

const jobs: Config['jobs'] = {
  store: { kind: 'postgres' },
  processEveryMs: 100,
  lockLifetimeMs: 2_000,
  concurrency: 50,
  lockLimit: 0,
};

type Store = { name: string; store: Config['jobs']['store'] };

const stores: Store[] = [{ name: 'PostgreSQL', store: { kind: 'postgres' } }];
if (MONGO_URL) {
  const url = new URL(MONGO_URL);
  url.pathname = `/${uniqueSchemaName()}`;
  stores.push({ name: 'MongoDB', store: { kind: 'mongo', url: url.toString() } });
} else {
  // MongoDB cannot be assumed on a developer's machine; say so rather than pass in silence.
  process.stderr.write(
    'job-store.spec: MongoDB job store not tested: set JOBS_MONGO_URL (e.g. mongodb://127.0.0.1:27017) to run it\n',
  );
}

const workerIds = Array.from(
  { length: 20 },
  (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
);

describe.each(stores)('job store on $name', ({ store }) => {
  const { schedulers, open } = schedulersOnOwnSchema(store);

  it('should set up its store from two processes at once', async () => {
    const [a, b] = await Promise.all([open(), open()]);

    expect([a.kind, b.kind]).toEqual([store.kind, store.kind]);
  });

  it('should hold exactly one poll job per worker when two processes schedule it at once', async () => {
    const [a, b] = schedulers;
    const later = new Date(Date.now() + 3_600_000);

    await Promise.all([
      a.schedulePolls(workerIds, later),
      b.schedulePolls(workerIds, later),
      a.schedulePolls(workerIds.slice(5), later),
    ]);

    const scheduled = await a.pollJobs();
    expect(scheduled.map((job) => job.workerId).sort()).toEqual(workerIds);
    expect(scheduled.every((job) => job.nextRunAt?.getTime() === later.getTime())).toBe(true);
  });

  it('should cancel the jobs of the workers it is given, and only those', async () => {
    const [a] = schedulers;

    await a.cancelPolls(workerIds.slice(0, 15));

    expect((await a.pollJobs()).map((job) => job.workerId).sort()).toEqual(workerIds.slice(15));
    await a.cancelPolls(workerIds.slice(15));
  });

  it('should run a due poll job and move its next run to the next interval boundary', async () => {
    const intervalMs = 1_000;
    const runner = await open({ pollIntervalMs: intervalMs });
    const ran: string[] = [];
    await runner.register('poll-worker', ({ workerId }) => {
      ran.push(workerId);
      return Promise.resolve({
        nextRunAt: new Date((Math.floor(Date.now() / intervalMs) + 1) * intervalMs),
      });
    });
    await runner.start();

    await runner.schedulePolls([workerIds[0]], new Date());
    await waitFor(() => ran.length >= 1);
    // Read between two runs: the job is due again every second, and one running is locked.
    const job = await waitFor(async () => {
      const [state] = await runner.pollJobs();
      return state?.lastFinishedAt && !state.lockedAt && state.nextRunAt ? state : undefined;
    });

    expect(ran[0]).toBe(workerIds[0]);
    expect((job.nextRunAt?.getTime() ?? 1) % intervalMs).toBe(0);
  });
});

describe('job store on PostgreSQL, between processes', () => {
  const { schema, open } = schedulersOnOwnSchema({ kind: 'postgres' });

  it('should wake another process for a job due now, long before its next scan', async () => {
    const runner = await open({ settings: { processEveryMs: 60_000 } });
    const delivered: string[] = [];
    await runner.register(DELIVER_NOTIFICATION_JOB, ({ notificationId }) => {
      delivered.push(notificationId);
      return Promise.resolve();
    });
    await runner.start();
    const enqueuer = await open();
    await enqueuer.start();

    await enqueuer.enqueue(DELIVER_NOTIFICATION_JOB, [{ notificationId: 'n-1' }]);

    await waitFor(() => delivered.length === 1, 10_000);
    expect(delivered).toEqual(['n-1']);
  });

  it('should spend three statements per job run, announcing none of its states', async () => {
    let statements = 0;
    const runner = await open({
      settings: { processEveryMs: 60_000 },
      onStatement: () => {
        statements += 1;
      },
    });
    let ran = 0;
    await runner.register('poll-worker', () => {
      ran += 1;
      return Promise.resolve();
    });
    const ids = Array.from({ length: 50 }, (_, i) => `worker-${i}`);
    await runner.schedulePolls(ids, new Date(Date.now() + 60_000));
    const jobsTable = `${quoteIdentifier(schema)}.agenda_jobs`;
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      await client.query(`UPDATE ${jobsTable} SET next_run_at = now() WHERE name = 'poll-worker'`);
      const before = statements;

      // A claim each as it starts, then a save as each job starts and one as it ends.
      await runner.start();
      await waitFor(() => ran === ids.length, 10_000);
      await waitFor(async () => {
        const { rows } = await client.query<{ unfinished: number }>(
          `SELECT count(*)::int AS unfinished FROM ${jobsTable}
            WHERE name = 'poll-worker' AND last_finished_at IS NULL`,
        );
        return rows[0]?.unfinished === 0;
      }, 10_000);

      expect((statements - before) / ids.length).toBeLessThan(3.5);
    } finally {
      await client.end();
    }
  });
});

describe('job store on PostgreSQL, after a process dies mid-poll', () => {
  const { open } = schedulersOnOwnSchema({ kind: 'postgres' });

  it("should run the poll again as soon as the dead run's lock expires, not an interval later", async () => {
    const lockLifetimeMs = 1_500;
    const settings = { processEveryMs: 200, lockLifetimeMs };
    const intervalMs = 60_000;
    let releaseDeadRun: () => void = () => undefined;
    const dead = await open({ pollIntervalMs: intervalMs, settings });
    let deadRunStarted = false;
    await dead.register('poll-worker', () => {
      deadRunStarted = true;
      // A process killed mid-poll never finishes its run; it is let go once the test is over.
      return new Promise((resolve) => (releaseDeadRun = () => resolve({})));
    });
    await dead.start();
    await dead.schedulePolls(['killed-worker'], new Date());
    await waitFor(() => deadRunStarted, 10_000);
    const diedAt = Date.now();

    const survivor = await open({ pollIntervalMs: intervalMs, settings });
    const ranAt: number[] = [];
    await survivor.register('poll-worker', () => {
      ranAt.push(Date.now());
      return Promise.resolve({ nextRunAt: new Date(Date.now() + intervalMs) });
    });
    await survivor.start();

    try {
      await waitFor(() => ranAt.length > 0, 10_000);
      expect(ranAt[0] - diedAt).toBeLessThan(lockLifetimeMs + 2 * settings.processEveryMs + 1_000);
      const [job] = await survivor.pollJobs();
      expect(job.nextRunAt?.getTime()).toBeGreaterThan(Date.now() + intervalMs / 2);
    } finally {
      releaseDeadRun();
    }
  });
});

describe('job store on PostgreSQL, claiming a fleet due at once', () => {
  const { schema, open } = schedulersOnOwnSchema({ kind: 'postgres' });
  const client = new Client({ connectionString: testDatabaseUrl() });

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('should find the next free job without stepping over the ones already claimed', async () => {
    const ids = Array.from({ length: 400 }, (_, i) => `worker-${i}`);
    const scheduler = await open();
    await scheduler.schedulePolls(ids, new Date('2030-01-01T00:00:00Z'));
    const table = `${quoteIdentifier(schema)}.agenda_jobs`;
    await client.query(
      `UPDATE ${table} SET locked_at = now()
        WHERE id IN (SELECT id FROM ${table} ORDER BY random() LIMIT 300)`,
    );
    await client.query(`ANALYZE ${table}`);

    // Agenda's own claim (PostgresJobRepository.getNextJobToRun), without its lock.
    const { rows } = await client.query<{ 'QUERY PLAN': PlanNode[] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON)
       SELECT id FROM ${table}
        WHERE name = 'poll-worker' AND disabled = FALSE
          AND ((locked_at IS NULL AND next_run_at <= $1) OR locked_at <= $2)
        ORDER BY next_run_at ASC NULLS LAST, priority DESC LIMIT 1`,
      [new Date('2030-01-01T00:00:01Z'), new Date(Date.now() - 60_000)],
    );

    expect(rowsStepped(rows[0]['QUERY PLAN'][0].Plan)).toBeLessThanOrEqual(2);
  });
});

describe('job store on PostgreSQL, when a job fails', () => {
  const { open } = schedulersOnOwnSchema({ kind: 'postgres' });

  it('should leave an unreachable store to its outage warning and log any other failure as an error', async () => {
    const lines: { level: number; msg: string; data?: { notificationId?: string } }[] = [];
    const logger = createLogger(
      'debug',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
          done();
        },
      }),
    );
    const runner = await open({ logger });
    await runner.register(DELIVER_NOTIFICATION_JOB, ({ notificationId }) =>
      Promise.reject(
        notificationId === 'store-away'
          ? Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
              code: 'ECONNREFUSED',
            })
          : new Error('no such receiver'),
      ),
    );
    await runner.start();

    await runner.enqueue(DELIVER_NOTIFICATION_JOB, [
      { notificationId: 'store-away' },
      { notificationId: 'broken' },
    ]);

    const failures = () => lines.filter((line) => line.msg.startsWith('job failed'));
    await waitFor(() => failures().length >= 2, 10_000);
    const levelOf = (id: string) =>
      failures().find((line) => line.data?.notificationId === id)?.level;
    expect(levelOf('store-away')).toBe(20);
    expect(levelOf('broken')).toBe(50);
  });
});

/** A schema of the describe block's own; the schedulers opened on it are closed after it. */
function schedulersOnOwnSchema(store: Config['jobs']['store']) {
  const schema = uniqueSchemaName();
  const schedulers: JobScheduler[] = [];
  const onTestDatabase = async (sql: string) => {
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(() => onTestDatabase(`CREATE SCHEMA ${quoteIdentifier(schema)}`));

  afterAll(async () => {
    await Promise.all(schedulers.map((scheduler) => scheduler.close()));
    await onTestDatabase(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
  });

  const open = async (
    options: {
      pollIntervalMs?: number;
      settings?: Partial<Config['jobs']>;
      onStatement?: () => void;
      logger?: Logger;
    } = {},
  ) => {
    const scheduler = await JobScheduler.open({
      backend: createJobBackend(store, {
        url: testDatabaseUrl(),
        schema,
        logger: testLogger(),
        onStatement: options.onStatement,
      }),
      jobs: { ...jobs, store, ...options.settings },
      pollIntervalMs: options.pollIntervalMs ?? 60_000,
      retryBaseMs: 1_000,
      notificationGrouping: { waitMs: 0, intervalMs: 300_000 },
      logger: options.logger ?? testLogger(),
    });
    schedulers.push(scheduler);
    return scheduler;
  };
  return { schema, schedulers, open };
}

interface PlanNode {
  Plan: PlanNode;
  Plans?: PlanNode[];
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
}

/** Rows the scans read: those returned and those their filters threw away. */
function rowsStepped(node: PlanNode): number {
  const own = node.Plans ? 0 : (node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0);
  return own + (node.Plans ?? []).reduce((total, child) => total + rowsStepped(child), 0);
}
