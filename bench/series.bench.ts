import type { RunningApp } from '../src/app';
import { planSeries } from '../src/services/history/metric-resolution';
import { postJson } from './query/post-json';
import { seedSeriesHistory } from './series/series-history.seed';
import {
  type Bucket,
  bucketDifference,
  bucketsOf,
  rawRequest,
  type RawAnswer,
  type RawNode,
  type RawSample,
  type SeriesAnswer,
  seriesRequest,
  slicesOf,
  type Window,
} from './series/series-requests';
import { SeriesStatements, type StatementFigures } from './series/series-statements';
import { dropSchemas, uniqueSchema } from './support/environment';
import { seedFleet } from './support/fleet';
import { startInProcessService } from './support/in-process-service';
import {
  type BenchContext,
  type Benchmark,
  type BenchResult,
  type BenchRow,
  type BenchSize,
  check,
  ratio,
  type TargetCheck,
} from './support/report';

const REGION = 'us-east-1';
const HOUR_MS = 3_600_000;
const DAY_MINUTES = 1440;

interface Size {
  workers: number;
  page: number;
  /** Days of minute samples the workers of the page have; the others have one. */
  days: number;
  /** Timed requests and EXPLAIN runs per measurement, after one warm-up; the median counts. */
  runs: number;
  /** Poll batches stored with and without the rollup. */
  batches: number;
}

const SIZES: Record<BenchSize, Size> = {
  full: { workers: 1000, page: 50, days: 7, runs: 5, batches: 10 },
  tiny: { workers: 20, page: 5, days: 7, runs: 1, batches: 2 },
};

const WINDOWS = [
  { label: '1 h', hours: 1 },
  { label: '24 h', hours: 24 },
  { label: '7 d', hours: 7 * 24 },
] as const;
type WindowLabel = (typeof WINDOWS)[number]['label'];

const TARGET_TIME_RATIO = 0.25;
const TARGET_BYTES_RATIO = 0.5;
const TARGET_WEEK_MS = 1_000;

/** One request timed over HTTP: its median time, its size and the statements it took. */
interface Timed {
  ms: number;
  bytes: number;
  statements: number;
  text: string;
}

interface WindowResult {
  label: WindowLabel;
  window: Window;
  resolution: string;
  buckets: number;
  slices: number;
  series: Timed;
  raw: Timed;
}

export const seriesBenchmark: Benchmark = {
  name: 'series',
  async run(context: BenchContext): Promise<BenchResult> {
    const size = SIZES[context.size];
    const schema = uniqueSchema('bench_series');
    const closers: (() => Promise<void>)[] = [() => dropSchemas(context.env.databaseUrl, schema)];
    try {
      // The raw week of a page is far past the answer and cost caps, which are there to refuse
      // it: raised, so that the baseline can be measured at all.
      const { app } = await startInProcessService(context.env, schema, {
        AWS_REGION: REGION,
        GRAPHQL_MAX_COST: '1000000000',
        GRAPHQL_MAX_TOKENS: '1000000',
        GRAPHQL_MAX_RESPONSE_BYTES: String(1024 * 1_048_576),
        GRAPHQL_MAX_EXECUTION_MS: '600000',
        GRAPHQL_MUTATION_RATE_LIMIT: '0',
      });
      closers.push(() => app.close());
      const { workerIds, pageIds, end } = await seed(context, app, schema, size);
      const pageStatements = (await timed(app, pageRequest(size.page), size.runs)).statements;
      const windows: WindowResult[] = [];
      for (const { label, hours } of WINDOWS) {
        const window = { since: new Date(end.getTime() - hours * HOUR_MS), until: end };
        windows.push(await measureWindow(app, size, label, window));
        context.log(`${label}: series and raw samples agree for the page`);
      }
      const statements = new SeriesStatements(context.env.databaseUrl, schema);
      await statements.open();
      closers.push(() => statements.close());
      const figures = await measureStatements(statements, size, windows, workerIds, pageIds, end);
      return report(size, windows, figures, pageStatements);
    } finally {
      for (const close of closers.reverse()) {
        await close().catch((error: unknown) => context.log(`cleanup failed: ${String(error)}`));
      }
    }
  },
};

/**
 * The fleet, then its history: the page is the first page the API answers, so its workers
 * are those with the longer history. `end` is on an hour, so every window is whole buckets.
 */
async function seed(context: BenchContext, app: RunningApp, schema: string, size: Size) {
  if (!app.emulator) {
    throw new Error('the service started without its emulator (AWS_MODE is not emulator)');
  }
  const started = Date.now();
  const fleet = await seedFleet({
    databaseUrl: context.env.databaseUrl,
    schema,
    emulator: app.emulator,
    region: REGION,
    count: size.workers,
  });
  const answer = JSON.parse((await postJson(app.graphqlUrl, pageRequest(size.page))).text) as {
    data: { workers: { edges: { node: { id: string } }[] } };
  };
  const pageIds = answer.data.workers.edges.map((edge) => edge.node.id);
  const end = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
  const samples = await seedSeriesHistory({
    databaseUrl: context.env.databaseUrl,
    schema,
    end,
    longer: pageIds,
    days: size.days,
  });
  context.log(
    `seeded ${size.workers} workers and ${samples} samples (${DAY_MINUTES} a worker, ` +
      `${size.days * DAY_MINUTES} for the page's ${size.page}) in ${Date.now() - started} ms`,
  );
  return { workerIds: fleet.map((worker) => worker.id), pageIds, end };
}

function pageRequest(first: number): string {
  return JSON.stringify({
    query: 'query Page($first: Int!) { workers(first: $first) { edges { node { id } } } }',
    variables: { first },
  });
}

/** The series and the raw samples of the page over the window, checked against each other. */
async function measureWindow(
  app: RunningApp,
  size: Size,
  label: WindowLabel,
  window: Window,
): Promise<WindowResult> {
  const plan = planSeries(window, window.until);
  const rawBody = rawRequest(size.page, window);
  const series = await timed(app, seriesRequest(size.page, window), size.runs);
  const raw = await timed(app, rawBody, size.runs);
  checkAgreement(label, series.text, raw.text, window, size.page);
  return {
    label,
    window,
    resolution: plan.resolution,
    buckets: plan.buckets,
    slices: slicesOf(rawBody),
    series,
    raw,
  };
}

/** After a warm-up request, the median time of `runs` and the fewest statements of any. */
async function timed(app: RunningApp, body: string, runs: number): Promise<Timed> {
  await postJson(app.graphqlUrl, body);
  const times: number[] = [];
  const statements: number[] = [];
  let text = '';
  for (let run = 0; run < runs; run += 1) {
    const before = app.sqlStatementCount();
    const started = performance.now();
    const response = await postJson(app.graphqlUrl, body);
    times.push(performance.now() - started);
    statements.push(app.sqlStatementCount() - before);
    if (response.status !== 200) {
      throw new Error(`the service answered ${response.status}: ${response.text.slice(0, 500)}`);
    }
    text = response.text;
  }
  return {
    ms: median(times),
    bytes: Buffer.byteLength(text),
    statements: Math.min(...statements),
    text,
  };
}

/** The series must be the raw samples bucketed, worker by worker: else nothing is compared. */
function checkAgreement(
  label: WindowLabel,
  seriesText: string,
  rawText: string,
  window: Window,
  page: number,
): void {
  const series = JSON.parse(seriesText) as SeriesAnswer;
  const raw = JSON.parse(rawText) as RawAnswer;
  if (series.errors || raw.errors || !series.data || !raw.data) {
    throw new Error(`${label}: errors: ${JSON.stringify(series.errors ?? raw.errors)}`);
  }
  const rawById = new Map(raw.data.workers.edges.map(({ node }) => [node.id, node]));
  const expectedSamples = (window.until.getTime() - window.since.getTime()) / 60_000;
  const edges = series.data.workers.edges;
  if (edges.length !== page) {
    throw new Error(`${label}: ${edges.length} workers answered, ${page} expected`);
  }
  for (const { node } of edges) {
    const rawNode = rawById.get(node.id);
    const samples = rawNode ? samplesOf(rawNode) : [];
    const buckets: Bucket[] = node.metricSeries;
    const difference = bucketDifference(
      buckets,
      bucketsOf(
        samples,
        buckets.map((bucket) => bucket.startsAt),
      ),
    );
    const counted = buckets.reduce((sum, bucket) => sum + bucket.samples, 0);
    if (difference || counted !== expectedSamples) {
      throw new Error(
        `${label}: worker ${node.id}: ${difference ?? `${counted} samples, ${expectedSamples} expected`}`,
      );
    }
  }
}

function samplesOf(node: RawNode): RawSample[] {
  return Object.values(node).flatMap((value) => (typeof value === 'string' ? [] : value));
}

interface Figures {
  covering: Map<WindowLabel, StatementFigures>;
  previous: Map<WindowLabel, StatementFigures>;
  rollupWeek: StatementFigures;
  batch: { plain: number; withRollup: number };
}

/**
 * The series statement on the index the migrations made; an hourly rollup for the week, to
 * read and to fill; then the same statements on the index it replaced.
 */
async function measureStatements(
  statements: SeriesStatements,
  size: Size,
  windows: readonly WindowResult[],
  workerIds: readonly string[],
  pageIds: readonly string[],
  end: Date,
): Promise<Figures> {
  const runs = size.runs + 1;
  const covering = new Map<WindowLabel, StatementFigures>();
  for (const { label, window } of windows) {
    covering.set(label, await statements.series(pageIds, window, runs));
  }
  await statements.buildRollup();
  const week = windows.find((result) => result.label === '7 d')?.window;
  if (!week) {
    throw new Error('no week window');
  }
  const rollupWeek = await statements.rollupSeries(pageIds, week, runs);
  const batch = await statements.batchInsertMs(workerIds, end, size.batches);
  await statements.usePreviousIndex();
  const previous = new Map<WindowLabel, StatementFigures>();
  for (const { label, window } of windows) {
    previous.set(label, await statements.series(pageIds, window, runs));
  }
  return { covering, previous, rollupWeek, batch };
}

function report(
  size: Size,
  windows: readonly WindowResult[],
  figures: Figures,
  pageStatements: number,
): BenchResult {
  const rows: BenchRow[] = [];
  for (const result of windows) {
    rows.push(
      {
        measure: `metricSeries (${result.resolution})`,
        window: result.label,
        'per worker': `${result.buckets} buckets`,
        ms: result.series.ms,
        'vs baseline': ratio(result.series.ms, result.raw.ms),
        KB: result.series.bytes / 1024,
        'KB vs raw': ratio(result.series.bytes, result.raw.bytes),
        SQL: result.series.statements,
      },
      {
        measure: `raw: metrics, ${result.slices} slice(s) (baseline)`,
        window: result.label,
        'per worker': `${(result.window.until.getTime() - result.window.since.getTime()) / 60_000} samples`,
        ms: result.raw.ms,
        'vs baseline': 1,
        KB: result.raw.bytes / 1024,
        'KB vs raw': 1,
        SQL: result.raw.statements,
      },
    );
  }
  for (const { label } of windows) {
    const covering = figures.covering.get(label);
    const previous = figures.previous.get(label);
    rows.push(
      statementRow('statement, covering index', label, covering, previous),
      statementRow('statement, previous index (baseline)', label, previous, previous),
    );
  }
  rows.push(
    statementRow(
      'statement, hourly rollup',
      '7 d',
      figures.rollupWeek,
      figures.covering.get('7 d'),
    ),
    {
      measure: `poll batch of ${size.workers} samples (baseline)`,
      ms: figures.batch.plain,
      'vs baseline': 1,
    },
    {
      measure: `poll batch of ${size.workers} samples + rollup upsert`,
      ms: figures.batch.withRollup,
      'vs baseline': ratio(figures.batch.withRollup, figures.batch.plain),
    },
  );
  return {
    name: 'series',
    description: description(size),
    rows,
    targets: targets(windows, figures, pageStatements),
  };
}

function statementRow(
  measure: string,
  label: WindowLabel,
  figures: StatementFigures | undefined,
  baseline: StatementFigures | undefined,
): BenchRow {
  return {
    measure,
    window: label,
    ms: figures?.ms ?? null,
    'vs baseline': ratio(figures?.ms ?? Number.NaN, baseline?.ms ?? Number.NaN),
    buffers: figures?.buffers ?? null,
    'heap pages': figures?.heapReads ?? null,
    scans: figures?.scans ?? null,
  };
}

function description(size: Size): string {
  return [
    `workers(first: ${size.page}) with metricSeries over 1 h, 24 h and 7 d (the resolution it chooses), over HTTP,`,
    `${size.workers} workers with ${DAY_MINUTES} minute samples each, the page's with ${size.days} days, written in`,
    `time order across workers and vacuumed. Baseline: the same window as raw samples, Worker.metrics in as many`,
    `aliased slices of <= 1000 samples as it takes, in one request (cost and answer caps raised for it), checked to`,
    `bucket into the same figures; median of ${size.runs} after a warm-up. Then the series statement itself`,
    `(EXPLAIN ANALYZE, median of ${size.runs + 1}) on the covering index, against the (workerId, collectedAt) index it`,
    `replaced and, for the week, an hourly rollup table; and what filling that rollup adds to a poll batch`,
    `(median of ${size.batches}).`,
  ].join('\n');
}

function targets(
  windows: readonly WindowResult[],
  figures: Figures,
  pageStatements: number,
): TargetCheck[] {
  const day = windows.find((result) => result.label === '24 h');
  const week = windows.find((result) => result.label === '7 d');
  const dayStatement = figures.covering.get('24 h');
  const timeRatio = ratio(day?.series.ms ?? Number.NaN, day?.raw.ms ?? Number.NaN);
  const bytesRatio = ratio(day?.series.bytes ?? Number.NaN, day?.raw.bytes ?? Number.NaN);
  const seriesStatements = (day?.series.statements ?? Number.NaN) - pageStatements;
  return [
    check(
      'one SQL statement for the series of the whole page (24 h)',
      '1 beside the page',
      `${seriesStatements} (${day?.series.statements} with the page's ${pageStatements})`,
      seriesStatements === 1,
    ),
    check(
      'page of 24 h series vs the raw samples, time',
      `<= ${TARGET_TIME_RATIO.toFixed(2)}x`,
      `${timeRatio.toFixed(2)}x (${day?.series.ms.toFixed(0)} vs ${day?.raw.ms.toFixed(0)} ms)`,
      timeRatio <= TARGET_TIME_RATIO,
    ),
    check(
      'page of 24 h series vs the raw samples, bytes',
      `<= ${TARGET_BYTES_RATIO.toFixed(2)}x`,
      `${bytesRatio.toFixed(2)}x (${day?.series.bytes} vs ${day?.raw.bytes} bytes)`,
      bytesRatio <= TARGET_BYTES_RATIO,
    ),
    check(
      'the 24 h statement reads the index alone',
      '0 heap pages',
      `${dayStatement?.heapReads} heap pages (${dayStatement?.scans})`,
      dayStatement?.heapReads === 0,
    ),
    check(
      'page of 7 d series',
      `< ${TARGET_WEEK_MS} ms`,
      `${week?.series.ms.toFixed(0)} ms`,
      (week?.series.ms ?? Number.POSITIVE_INFINITY) < TARGET_WEEK_MS,
    ),
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}
