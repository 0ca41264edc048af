import { Client } from 'pg';
import type { Config } from '../../src/config';
import { quoteIdentifier } from '../../src/database/sql';
import { createJobBackend, JobScheduler } from '../../src/jobs/scheduler';
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
  const schema = uniqueSchemaName();
  const schedulers: JobScheduler[] = [];

  const open = async (pollIntervalMs = 60_000) => {
    const scheduler = await JobScheduler.open({
      backend: createJobBackend(store, { url: testDatabaseUrl(), schema, logger: testLogger() }),
      jobs: { ...jobs, store },
      pollIntervalMs,
      logger: testLogger(),
    });
    schedulers.push(scheduler);
    return scheduler;
  };

  beforeAll(async () => {
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await client.end();
  });

  afterAll(async () => {
    await Promise.all(schedulers.map((scheduler) => scheduler.close()));
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    await client.end();
  });

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
    const runner = await open(intervalMs);
    const ran: string[] = [];
    runner.definePoll(async ({ workerId }, job) => {
      ran.push(workerId);
      job.attrs.nextRunAt = new Date((Math.floor(Date.now() / intervalMs) + 1) * intervalMs);
      return Promise.resolve();
    });
    await runner.start();

    await runner.schedulePolls([workerIds[0]], new Date());
    await waitFor(() => ran.length >= 1);
    await waitFor(async () => (await runner.pollJobs())[0]?.lastFinishedAt !== null);

    const [job] = await runner.pollJobs();
    expect(ran[0]).toBe(workerIds[0]);
    expect((job.nextRunAt?.getTime() ?? 1) % intervalMs).toBe(0);
  });
});
