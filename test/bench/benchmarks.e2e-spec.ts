import { dashboardBenchmark } from '../../bench/dashboard.bench';
import { emulatorBenchmark } from '../../bench/emulator.bench';
import { chromiumAvailable } from '../support/browser';
import { fanoutBenchmark } from '../../bench/fanout.bench';
import { pollBenchmark } from '../../bench/poll.bench';
import { queryBenchmark } from '../../bench/query.bench';
import { seriesBenchmark } from '../../bench/series.bench';
import type { Benchmark, BenchContext, BenchResult } from '../../bench/support/report';
import { testDatabaseUrl } from '../support/test-database';

/**
 * Every benchmark at its tiny size, so the harness never rots: each must produce its figures
 * and its target checks. How fast they are is the benchmark's business (`npm run bench`).
 */
const context: BenchContext = {
  size: 'tiny',
  env: {
    databaseUrl: testDatabaseUrl(),
    redis:
      process.env.REDIS_URL && process.env.TEST_REDIS_PREFIX
        ? { url: process.env.REDIS_URL, keyPrefix: `${process.env.TEST_REDIS_PREFIX}bench:` }
        : undefined,
  },
  log: () => undefined,
};

function expectFigures(result: BenchResult, columns: string[]): void {
  expect(result.rows.length).toBeGreaterThan(0);
  for (const row of result.rows) {
    for (const column of columns) {
      expect({ column, value: row[column] }).toEqual({ column, value: expect.any(Number) });
      expect({ column, finite: Number.isFinite(row[column]) }).toEqual({ column, finite: true });
    }
  }
  expect(result.targets.length).toBeGreaterThan(0);
  for (const target of result.targets) {
    expect(target).toEqual({
      name: expect.any(String),
      target: expect.any(String),
      actual: expect.stringMatching(/\d/),
      passed: expect.any(Boolean),
    });
  }
}

async function run(benchmark: Benchmark): Promise<BenchResult> {
  const result = await benchmark.run(context);
  expect(result.name).toBe(benchmark.name);
  return result;
}

describe('benchmarks at their tiny size', () => {
  it('poll: cycles of the floor and of the service, with AWS calls, SQL, CPU and memory', async () => {
    const result = await run(pollBenchmark);
    expectFigures(result, [
      'processes',
      'workers',
      'cycle s',
      'vs floor',
      'SQL job store',
      'CPU s',
      'peak RSS MB',
    ]);
    const polls = result.rows.filter((row) => row.run === 'poll');
    expect(polls.map((row) => row.processes)).toEqual([1, 2]);
    for (const row of polls) {
      // Each process polls its share: two may each end on a partial call of each action.
      expect(row['AWS calls']).toBeGreaterThanOrEqual(Number(row['AWS floor']));
      expect(row['AWS calls']).toBeLessThanOrEqual(Number(row['AWS floor']) + 2);
      expect(Number.isFinite(row['SQL polling'])).toBe(true);
    }
    const [cold, warm] = result.rows.filter((row) => String(row.run).startsWith('poll + CML'));
    // Cold: a token, the version and the license per controller; warm: the lab tiles alone.
    expect(cold['CML calls/worker']).toBe(4);
    expect(warm['CML calls/worker']).toBe(1);
    expect(warm['AWS calls']).toBe(polls[0]['AWS calls']);
  }, 300_000);

  it('fanout: graphql-ws and raw ws deliveries with latency and memory per subscription', async () => {
    const result = await run(fanoutBenchmark);
    expectFigures(result, ['p50 ms', 'p99 ms', 'max ms', 'messages/s', 'CPU us/msg']);
    expect(result.rows.length).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it('query: GraphQL against the hand-written handler, with SQL per request', async () => {
    const result = await run(queryBenchmark);
    expectFigures(result, ['requests/s', 'p50 ms', 'p99 ms', 'CPU ms/request']);
    expect(result.rows.length).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('series: metricSeries against the raw samples, the statement on each index and a rollup', async () => {
    const result = await run(seriesBenchmark);
    expectFigures(result, ['ms', 'vs baseline']);
    const answers = result.rows.filter((row) => typeof row.KB === 'number');
    expect(answers.map((row) => row.window)).toEqual(['1 h', '1 h', '24 h', '24 h', '7 d', '7 d']);
    // The series of the page is one statement whatever the window; the raw week takes a slice each.
    const seriesStatements = answers.filter((_, index) => index % 2 === 0).map((row) => row.SQL);
    expect(new Set(seriesStatements).size).toBe(1);
    expect(result.rows.map((row) => row.measure)).toEqual(
      expect.arrayContaining(['statement, covering index', 'statement, hourly rollup']),
    );
  }, 180_000);

  it('emulator: SDK calls against a large fleet', async () => {
    const result = await run(emulatorBenchmark);
    expectFigures(result, ['p50 ms', 'p95 ms', 'max ms', 'p50 vs baseline']);
  }, 120_000);

  // Chromium comes from Debian's package, which .ci/run installs; elsewhere a machine without it skips.
  (chromiumAvailable() ? it : it.skip)(
    'dashboard: first render against its floor, frames while a fleet lands, rows and bundle size',
    async () => {
      const result = await run(dashboardBenchmark);
      const figures = Object.fromEntries(result.rows.map((row) => [row.measure, row.value]));
      expect(figures).toEqual(
        expect.objectContaining({
          'first row shown ms': expect.any(Number),
          'longest frame, all samples landing ms': expect.any(Number),
          'all samples shown ms': expect.any(Number),
          'rows in the page': expect.any(Number),
          'JavaScript KB gzipped': expect.any(Number),
        }),
      );
      expect(Object.values(figures).every((value) => Number.isFinite(value))).toBe(true);
      expect(result.targets.map((target) => target.name)).toEqual([
        'first render',
        'JavaScript gzipped',
        'longest frame while a whole fleet lands',
        'rows in the page (virtualized)',
      ]);
    },
    120_000,
  );
});
