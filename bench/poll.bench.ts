import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config';
import { quoteIdentifier } from '../src/database/sql';
import { startEmulator, type RunningEmulator } from '../src/emulator/emulator.server';
import { CML_CALL_REGION } from '../src/emulator/cml/cml-api';
import { ANY_ACTION } from '../src/emulator/fault-injection';
import { POLL_ACTIONS } from '../src/services/polling/poll-cycle.tracker';
import type { NoopJobsReport, NoopJobsRequest } from './poll/noop-jobs';
import { seedFleet } from './support/fleet';
import { freePort } from '../test/support/free-port';
import { dropSchemas, uniqueSchema, withClient } from './support/environment';
import {
  type Benchmark,
  type BenchContext,
  type BenchResult,
  type BenchRow,
  check,
  ratio,
} from './support/report';
import {
  processUsage,
  type ProcessUsage,
  spawnEntry,
  startServiceProcess,
  type ServiceProcess,
} from '../test/support/service-process';

const REGION = 'eu-west-1';
const AWS_LATENCY_MS = 50;
/** Every emulated CML controller answers this late in the CML rows. */
const CML_LATENCY_MS = 50;
/** The fleet size whose cycle is also measured with CML (and the tiny size, in CI). */
const CML_FLEET = 1_000;
/** Once a token and the details are cached, a poll asks a controller for its lab tiles alone. */
const CML_WARM_CALLS_PER_WORKER_TARGET = 1;
const CML_CYCLE_RATIO_TARGET = 2;
/** Long enough that a second cycle never starts while one is measured. */
const POLL_INTERVAL_SECONDS = 3600;
const JOBS_TABLE = 'agenda_jobs';
const POLL_JOB = 'poll-worker';
const CYCLE_TIMEOUT_MS = 600_000;
/** Polling's own SQL per worker must stay far below one statement each. */
const POLLING_SQL_PER_WORKER_TARGET = 0.1;
const FLOOR_RATIO_TARGET = 1.25;
const TWO_PROCESS_SPEEDUP_TARGET = 1.6;

/** The store scans every JOBS_PROCESS_EVERY_MS: the service's default, or quicker when tiny. */
const TINY_PROCESS_EVERY_MS = 500;

interface Store {
  databaseUrl: string;
  schema: string;
  processEveryMs: number;
}

/** Job store and batching settings of the environment, to measure other values than the defaults. */
const TUNABLES =
  /^(JOBS_(PROCESS_EVERY_MS|LOCK_LIFETIME_MS|CONCURRENCY|LOCK_LIMIT)|WORKER_POLL_BATCH_\w+)$/;

/** Settings both the service and the floor's no-op processes run with. */
function jobStoreEnv(store: Store): NodeJS.ProcessEnv {
  const tuned = Object.entries(process.env).filter(([name]) => TUNABLES.test(name));
  return {
    ...Object.fromEntries(tuned),
    DATABASE_URL: store.databaseUrl,
    DATABASE_SCHEMA: store.schema,
    JOBS_PROCESS_EVERY_MS: String(store.processEveryMs),
    WORKER_METRICS_POLL_INTERVAL: String(POLL_INTERVAL_SECONDS),
  };
}

/** The plain cycle asks EC2 and CloudWatch only; the CML rows ask the emulator's controllers too. */
function cmlEnv(withCml: boolean): NodeJS.ProcessEnv {
  return withCml
    ? {
        CML_MONITORING: 'true',
        CML_ENDPOINT_FROM: 'emulator',
        CML_USERNAME: 'bench',
        CML_PASSWORD: 'bench',
      }
    : { CML_MONITORING: 'false' };
}

interface CycleFigures {
  processes: number;
  workers: number;
  cycleSeconds: number;
  jobStoreStatements: number;
  pollingStatements: number | null;
  awsCalls: number | null;
  /** Calls to the CML controllers; null for the cycles that ask none. */
  cmlCalls: number | null;
  cpuSeconds: number;
  peakRssBytes: number;
}

export const pollBenchmark: Benchmark = {
  name: 'poll',
  async run(context) {
    const sizes = context.size === 'full' ? [1_000, 10_000] : [20];
    const processEveryMs =
      context.size === 'full'
        ? loadConfig({ ...process.env, DATABASE_URL: context.env.databaseUrl }).jobs.processEveryMs
        : TINY_PROCESS_EVERY_MS;
    const store = (schema: string): Store => ({
      databaseUrl: context.env.databaseUrl,
      schema,
      processEveryMs,
    });
    const emulator = await startEmulator({ defaultRegion: REGION });
    emulator.fleet.setFaults({ action: ANY_ACTION, latencyMs: AWS_LATENCY_MS });
    const rows: BenchRow[] = [];
    const targets: BenchResult['targets'] = [];
    try {
      for (const workers of sizes) {
        let floors = new Map<number, CycleFigures>();
        let cycles = new Map<number, CycleFigures>();
        let withCml = new Map<number, CycleFigures>();
        const floorSchema = uniqueSchema('bench_floor');
        const serviceSchema = uniqueSchema('bench_poll');
        try {
          floors = await floorCycles(context, store(floorSchema), workers);
          await seedFleet({
            databaseUrl: context.env.databaseUrl,
            schema: serviceSchema,
            emulator,
            region: REGION,
            count: workers,
          });
          cycles = await serviceCycles(context, emulator, store(serviceSchema), workers);
          if (workers === CML_FLEET || context.size !== 'full') {
            withCml = await serviceCycles(context, emulator, store(serviceSchema), workers, {
              cml: true,
            });
          }
        } finally {
          await dropSchemas(context.env.databaseUrl, floorSchema, serviceSchema);
        }
        for (const processes of PROCESS_COUNTS) {
          const floor = floors.get(processes);
          const cycle = cycles.get(processes);
          if (floor && cycle) {
            rows.push(row('no-op jobs (floor)', floor, floor), row('poll', cycle, floor));
          }
        }
        targets.push(...cycleTargets(workers, floors, cycles));
        const plain = cycles.get(1);
        const floor = floors.get(1);
        const cold = withCml.get(1);
        const warm = withCml.get(2);
        if (plain && floor && cold && warm) {
          rows.push(
            cmlRow(`poll + CML ${CML_LATENCY_MS} ms, cold`, cold, plain, floor),
            cmlRow(`poll + CML ${CML_LATENCY_MS} ms, warm`, warm, plain, floor),
          );
          targets.push(...cmlTargets(workers, plain, warm));
        }
      }
    } finally {
      await emulator.close();
    }
    return {
      name: 'poll',
      description:
        `N workers due together, every AWS call ${AWS_LATENCY_MS} ms late; cycle = first job ` +
        'started to last sample published (floor: to last no-op job finished). AWS floor = ' +
        '⌈N/100⌉ + ⌈2N/500⌉; per worker, 2N. The CML rows ask every controller too, each ' +
        `${CML_LATENCY_MS} ms late, in one process: cold = first cycle (tokens, version, ` +
        'license), warm = the next; "vs poll" against the 1-process cycle without CML.',
      rows,
      targets,
    };
  },
};

function awsFloor(workers: number): number {
  return Math.ceil(workers / 100) + Math.ceil((2 * workers) / 500);
}

function row(run: string, figures: CycleFigures, floor: CycleFigures): BenchRow {
  const { workers } = figures;
  return {
    run,
    processes: figures.processes,
    workers,
    'cycle s': figures.cycleSeconds,
    'vs floor': ratio(figures.cycleSeconds, floor.cycleSeconds),
    'jobs/s': workers / figures.cycleSeconds,
    'AWS calls': figures.awsCalls,
    'AWS floor': awsFloor(workers),
    'AWS per worker': 2 * workers,
    'SQL job store': figures.jobStoreStatements,
    'SQL polling': figures.pollingStatements,
    'SQL polling/worker':
      figures.pollingStatements === null ? null : figures.pollingStatements / workers,
    'CPU s': figures.cpuSeconds,
    'peak RSS MB': figures.peakRssBytes / 2 ** 20,
  };
}

function cmlRow(
  run: string,
  figures: CycleFigures,
  plain: CycleFigures,
  floor: CycleFigures,
): BenchRow {
  return {
    run,
    processes: figures.processes,
    workers: figures.workers,
    'cycle s': figures.cycleSeconds,
    'vs floor': ratio(figures.cycleSeconds, floor.cycleSeconds),
    'vs poll': ratio(figures.cycleSeconds, plain.cycleSeconds),
    'SQL job store': figures.jobStoreStatements,
    'AWS calls': figures.awsCalls,
    'CML calls': figures.cmlCalls,
    'CML calls/worker': (figures.cmlCalls ?? Number.NaN) / figures.workers,
    'SQL polling': figures.pollingStatements,
    'CPU s': figures.cpuSeconds,
    'peak RSS MB': figures.peakRssBytes / 2 ** 20,
  };
}

function cmlTargets(
  workers: number,
  plain: CycleFigures,
  warm: CycleFigures,
): BenchResult['targets'] {
  const perWorker = (warm.cmlCalls ?? Number.POSITIVE_INFINITY) / workers;
  const vsPlain = ratio(warm.cycleSeconds, plain.cycleSeconds);
  return [
    check(
      `CML calls per worker per warm cycle, ${workers} workers`,
      `= ${CML_WARM_CALLS_PER_WORKER_TARGET}`,
      perWorker.toFixed(2),
      perWorker === CML_WARM_CALLS_PER_WORKER_TARGET,
    ),
    check(
      `${workers}-worker warm cycle with ${CML_LATENCY_MS} ms controllers vs without CML`,
      `<= ${CML_CYCLE_RATIO_TARGET}x`,
      `${vsPlain.toFixed(2)}x`,
      vsPlain <= CML_CYCLE_RATIO_TARGET,
    ),
    check(
      `AWS calls per cycle with CML, ${workers} workers`,
      `= ${plain.awsCalls}`,
      String(warm.awsCalls),
      warm.awsCalls === plain.awsCalls,
    ),
  ];
}

function cycleTargets(
  workers: number,
  floors: Map<number, CycleFigures>,
  cycles: Map<number, CycleFigures>,
): BenchResult['targets'] {
  const targets: BenchResult['targets'] = [];
  for (const [processes, cycle] of cycles) {
    // Each process polls its own share: each may end on one partial call of each action.
    const allowed = awsFloor(workers) + 2 * (processes - 1);
    targets.push(
      check(
        `AWS calls per cycle, ${workers} workers, ${processes} process(es)`,
        processes === 1 ? `= ${allowed}` : `<= ${allowed} (floor + a partial call per action)`,
        String(cycle.awsCalls),
        (cycle.awsCalls ?? Number.POSITIVE_INFINITY) <= allowed,
      ),
      check(
        `polling SQL per worker, ${workers} workers, ${processes} process(es)`,
        `< ${POLLING_SQL_PER_WORKER_TARGET}`,
        ((cycle.pollingStatements ?? Number.NaN) / workers).toFixed(3),
        (cycle.pollingStatements ?? Number.POSITIVE_INFINITY) / workers <
          POLLING_SQL_PER_WORKER_TARGET,
      ),
    );
  }
  const one = cycles.get(1);
  const two = cycles.get(2);
  const floor = floors.get(1);
  if (workers >= 10_000 && one && two && floor) {
    const vsFloor = ratio(one.cycleSeconds, floor.cycleSeconds);
    const speedup = ratio(one.cycleSeconds, two.cycleSeconds);
    targets.push(
      check(
        `${workers}-worker cycle vs no-op floor, 1 process`,
        `<= ${FLOOR_RATIO_TARGET}x`,
        `${vsFloor.toFixed(2)}x`,
        vsFloor <= FLOOR_RATIO_TARGET,
      ),
      check(
        `${workers}-worker cycle, 2 processes faster than 1`,
        `>= ${TWO_PROCESS_SPEEDUP_TARGET}x`,
        `${speedup.toFixed(2)}x`,
        speedup >= TWO_PROCESS_SPEEDUP_TARGET,
      ),
    );
  }
  return targets;
}

/**
 * Makes every poll job of `schema` due at the same moment, far enough ahead that each
 * process's next scan of the store claims its share ahead of it (as at an interval boundary),
 * waits until all ran, and returns when the first started and the last finished.
 */
async function runDueCycle(
  { databaseUrl, schema, processEveryMs }: Store,
  workers: number,
  /** The service's own schema holds the worker rows; the no-op floor's has none. */
  registry: boolean,
): Promise<{ firstStart: Date; lastFinish: Date }> {
  const table = `${quoteIdentifier(schema)}.${quoteIdentifier(JOBS_TABLE)}`;
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ due: Date }>(
      `UPDATE ${table} SET next_run_at = now() + make_interval(secs => $2)
        WHERE name = $1 RETURNING next_run_at AS due`,
      [POLL_JOB, (processEveryMs + 1000) / 1000],
    );
    const due = rows[0]?.due;
    if (rows.length !== workers || !due) {
      throw new Error(`expected ${workers} poll jobs, found ${rows.length}`);
    }
    if (registry) {
      // The rows say when their worker is due too: a scheduled poll of a worker whose row is due
      // later counts as already served, and is skipped.
      await client.query(`UPDATE ${quoteIdentifier(schema)}.worker SET "nextPollAt" = $1`, [due]);
    }
    const deadline = Date.now() + CYCLE_TIMEOUT_MS;
    for (;;) {
      const { rows: progress } = await client.query<{
        finished: number;
        first_start: Date | null;
        last_finish: Date | null;
      }>(
        `SELECT count(*)::int AS finished, min(last_run_at) AS first_start,
                max(last_finished_at) AS last_finish
           FROM ${table} WHERE name = $1 AND last_finished_at >= $2`,
        [POLL_JOB, due],
      );
      const state = progress[0];
      if (state && state.finished === workers && state.first_start && state.last_finish) {
        return { firstStart: state.first_start, lastFinish: state.last_finish };
      }
      if (Date.now() > deadline) {
        throw new Error(`only ${state?.finished ?? 0} of ${workers} poll jobs ran in time`);
      }
      await sleep(100);
    }
  });
}

/** One process, then a second beside it: the first is warm for the second cycle, as in service. */
const PROCESS_COUNTS = [1, 2];

async function floorCycles(
  context: BenchContext,
  store: Store,
  workers: number,
): Promise<Map<number, CycleFigures>> {
  const children: ChildProcess[] = [];
  const figures = new Map<number, CycleFigures>();
  await withClient(store.databaseUrl, (client) =>
    client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(store.schema)}`),
  );
  try {
    for (const processes of PROCESS_COUNTS) {
      while (children.length < processes) {
        const child = spawnEntry(
          'bench/poll/noop-jobs',
          [],
          {
            ...jobStoreEnv(store),
            LOG_LEVEL: 'warn',
            // The first creates the jobs; the others find them there.
            NOOP_JOB_COUNT: children.length === 0 ? String(workers) : '0',
          },
          { ipc: true },
        );
        children.push(child);
        await nextReport(child, 'ready');
      }
      const before = await Promise.all(children.map((child) => noopStats(child)));
      const usageBefore = await Promise.all(children.map((child) => processUsage(child.pid ?? 0)));
      const { firstStart, lastFinish } = await runDueCycle(store, workers, false);
      const after = await Promise.all(children.map((child) => noopStats(child)));
      const usageAfter = await Promise.all(children.map((child) => processUsage(child.pid ?? 0)));
      const cycle: CycleFigures = {
        processes,
        workers,
        cycleSeconds: (lastFinish.getTime() - firstStart.getTime()) / 1000,
        jobStoreStatements: sum(after) - sum(before),
        pollingStatements: null,
        awsCalls: null,
        cmlCalls: null,
        ...usageDelta(usageBefore, usageAfter),
      };
      figures.set(processes, cycle);
      context.log(
        `  floor: ${workers} no-op jobs, ${processes} process(es): ${cycle.cycleSeconds.toFixed(2)} s`,
      );
    }
    return figures;
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
  }
}

/**
 * The plain cycles: one process, then two. With `cml`, one process asking the controllers
 * too, twice: the first cycle authenticates and reads the details, the second is the steady
 * state (the map's keys are then the cycle, 1 and 2).
 */
async function serviceCycles(
  context: BenchContext,
  emulator: RunningEmulator,
  store: Store,
  workers: number,
  options: { cml?: boolean } = {},
): Promise<Map<number, CycleFigures>> {
  const services: ServiceProcess[] = [];
  const figures = new Map<number, CycleFigures>();
  const withCml = options.cml === true;
  if (withCml) {
    for (const instance of emulator.fleet.listInstances({ region: REGION })) {
      emulator.fleet.cml(instance.instanceId).configure({ latencyMs: CML_LATENCY_MS });
    }
  }
  try {
    for (const step of PROCESS_COUNTS) {
      const processes = withCml ? 1 : step;
      while (services.length < processes) {
        services.push(
          await startServiceProcess({
            ...jobStoreEnv(store),
            ...cmlEnv(withCml),
            PORT: String(await freePort()),
            ...(context.env.redis
              ? { REDIS_URL: context.env.redis.url, REDIS_KEY_PREFIX: context.env.redis.keyPrefix }
              : {}),
            AWS_MODE: 'aws',
            AWS_ENDPOINT_URL: emulator.endpoint,
            AWS_REGION: REGION,
            AWS_ACCESS_KEY_ID: 'bench',
            AWS_SECRET_ACCESS_KEY: 'bench',
            WORKER_METRICS_PERIOD: '60',
          }),
        );
      }
      // The first process schedules the fleet's jobs at boot, one insert per worker.
      await waitForJobs(store, workers);
      const cycle = await serviceCycle(emulator, store, workers, services);
      figures.set(step, cycle);
      const label = withCml ? `poll + CML, cycle ${step}` : `poll, ${processes} process(es)`;
      context.log(`  ${label}: ${workers} workers: ${cycle.cycleSeconds.toFixed(2)} s`);
    }
    return figures;
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
}

async function serviceCycle(
  emulator: RunningEmulator,
  store: Store,
  workers: number,
  services: ServiceProcess[],
): Promise<CycleFigures> {
  const scrapeCost = await metricsScrapeCost(services);
  // The service sums what it polled per interval; the benchmark's cycles share one interval.
  const cyclesBefore = await Promise.all(services.map((service) => lastCycle(service)));
  const statementsBefore = await Promise.all(services.map((service) => sqlStatements(service)));
  const usageBefore = await Promise.all(services.map((service) => service.usage()));
  emulator.fleet.resetCallCounts();
  const { firstStart } = await runDueCycle(store, workers, true);
  const usageAfter = await Promise.all(services.map((service) => service.usage()));
  const statementsAfter = await Promise.all(services.map((service) => sqlStatements(service)));
  const cyclesAfter = await Promise.all(services.map((service) => lastCycle(service)));
  const polled = cyclesAfter.reduce((total, cycle, index) => {
    const before = cyclesBefore[index];
    const sameInterval = before && cycle && before.dueAt === cycle.dueAt;
    return total + (cycle?.workersPolled ?? 0) - (sameInterval ? before.workersPolled : 0);
  }, 0);
  if (polled !== workers) {
    throw new Error(`the services polled ${polled} of ${workers} workers in the cycle`);
  }
  // A process that polled none of the workers this time reports an earlier cycle's end.
  const lastPublished = Math.max(
    ...cyclesAfter.map((cycle) => (cycle ? Date.parse(cycle.finishedAt) : 0)),
  );
  const { [CML_CALL_REGION]: cmlCounts, ...counts } = emulator.fleet.callCounts();
  const cmlCalls = Object.values(cmlCounts ?? {}).reduce((total, calls) => total + calls, 0);
  const awsCalls = Object.values(counts).reduce(
    (total, actions) =>
      total + POLL_ACTIONS.reduce((calls, action) => calls + (actions[action] ?? 0), 0),
    0,
  );
  const delta = (pool: 'data' | 'jobs') =>
    statementsAfter.reduce((total, after) => total + after[pool], 0) -
    statementsBefore.reduce((total, before) => total + before[pool], 0) -
    scrapeCost[pool];
  return {
    processes: services.length,
    workers,
    cycleSeconds: (lastPublished - firstStart.getTime()) / 1000,
    jobStoreStatements: delta('jobs'),
    pollingStatements: delta('data'),
    awsCalls,
    cmlCalls: cmlCalls > 0 ? cmlCalls : null,
    ...usageDelta(usageBefore, usageAfter),
  };
}

async function waitForJobs({ databaseUrl, schema }: Store, workers: number): Promise<void> {
  const table = `${quoteIdentifier(schema)}.${quoteIdentifier(JOBS_TABLE)}`;
  await withClient(databaseUrl, async (client) => {
    const deadline = Date.now() + CYCLE_TIMEOUT_MS;
    for (;;) {
      const { rows } = await client
        .query<{ jobs: number }>(`SELECT count(*)::int AS jobs FROM ${table} WHERE name = $1`, [
          POLL_JOB,
        ])
        .catch(() => ({ rows: [{ jobs: 0 }] }));
      if ((rows[0]?.jobs ?? 0) >= workers) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`the service scheduled ${rows[0]?.jobs ?? 0} of ${workers} poll jobs`);
      }
      await sleep(200);
    }
  });
}

type StatementCounts = Record<'data' | 'jobs', number>;

/** The statements a scrape itself makes (it reads the fleet), to take off each difference. */
async function metricsScrapeCost(services: ServiceProcess[]): Promise<StatementCounts> {
  const first = await Promise.all(services.map((service) => sqlStatements(service)));
  const second = await Promise.all(services.map((service) => sqlStatements(service)));
  const difference = (pool: 'data' | 'jobs') =>
    second.reduce((total, counts, index) => total + counts[pool] - (first[index]?.[pool] ?? 0), 0);
  return { data: difference('data'), jobs: difference('jobs') };
}

async function sqlStatements(service: ServiceProcess): Promise<StatementCounts> {
  const response = await fetch(new URL('/metrics', service.graphqlUrl));
  const text = await response.text();
  const counter = (pool: string) =>
    Number(new RegExp(`^cwm_sql_statements_total\\{pool="${pool}"\\} (\\d+)`, 'm').exec(text)?.[1]);
  return { data: counter('data'), jobs: counter('jobs') };
}

interface LastCycle {
  dueAt: string;
  finishedAt: string;
  workersPolled: number;
}

async function lastCycle(service: ServiceProcess): Promise<LastCycle | null> {
  const response = await fetch(service.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: '{ monitoringStatus { lastCycle { dueAt finishedAt workersPolled } } }',
    }),
  });
  const body = (await response.json()) as {
    data?: { monitoringStatus: { lastCycle: LastCycle | null } };
    errors?: unknown;
  };
  if (!body.data) {
    throw new Error(`monitoringStatus failed: ${JSON.stringify(body)}`);
  }
  return body.data.monitoringStatus.lastCycle;
}

function usageDelta(
  before: ProcessUsage[],
  after: ProcessUsage[],
): { cpuSeconds: number; peakRssBytes: number } {
  return {
    cpuSeconds: after.reduce(
      (total, usage, index) => total + usage.cpuSeconds - (before[index]?.cpuSeconds ?? 0),
      0,
    ),
    peakRssBytes: Math.max(...after.map((usage) => usage.peakRssBytes)),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

async function nextReport<T extends NoopJobsReport['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<NoopJobsReport, { type: T }>> {
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const onMessage = (report: NoopJobsReport) => {
      if (report.type === type) {
        cleanup();
        resolve(report as Extract<NoopJobsReport, { type: T }>);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the no-op job process exited with ${code}: ${stderr.join('')}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function noopStats(child: ChildProcess): Promise<number> {
  const report = nextReport(child, 'stats');
  child.send({ type: 'stats' } satisfies NoopJobsRequest);
  return (await report).statements;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = once(child, 'exit');
  child.send({ type: 'stop' } satisfies NoopJobsRequest);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
