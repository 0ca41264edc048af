import type { RunningApp } from '../src/app';
import {
  ALERTS_PER_WORKER,
  dashboardRequest,
  type DashboardResponse,
  SAMPLES_PER_WORKER,
} from './query/fleet-dashboard.query';
import { seedFleetHistory } from './query/fleet-history.seed';
import { startHandWrittenServer, type HandWrittenServer } from './query/hand-written.handler';
import { firstDifference } from './query/json-difference';
import { runLoad, type LoadPlan, type MeasuredRun } from './query/load-runner';
import { postJson } from './query/post-json';
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
const WORKERS = 200;
const SAMPLES_STORED_PER_WORKER = 60;
const PAGE = 50;
/** A smaller page to show that the statements per request do not grow with the page. */
const SMALL_PAGE = 10;
const TARGET_RATIO = 0.6;
/** Delta readings per page size; the lowest counts, as a recurring job may run meanwhile. */
const STATEMENT_READINGS = 3;

const LOAD: Record<BenchSize, Omit<LoadPlan, 'targets'>> = {
  full: { connections: 16, warmupSeconds: 3, durationSeconds: 10, rounds: 3 },
  tiny: { connections: 2, warmupSeconds: 0, durationSeconds: 1, rounds: 1 },
};

const HAND_WRITTEN = 'hand-written pg + JSON';
const GRAPHQL = 'GraphQL (Apollo, graphql-jit, type-graphql, TypeORM, DataLoader)';

interface Handler {
  name: string;
  url: string;
  sqlStatementCount(): number;
}

/** One handler's answer to a page size, checked, and the statements it cost. */
interface Answer {
  text: string;
  parsed: DashboardResponse;
  statements: number;
}

/** A handler whose answers to both page sizes were checked against the other handler's. */
interface CheckedHandler extends Handler {
  small: Answer;
  page: Answer;
}

export const queryBenchmark: Benchmark = {
  name: 'query',
  async run(context: BenchContext): Promise<BenchResult> {
    const schema = uniqueSchema('bench_query');
    const closers: (() => Promise<void>)[] = [() => dropSchemas(context.env.databaseUrl, schema)];
    try {
      // The abuse limits out of the way: the load generator is one caller sending thousands of
      // requests a second.
      const { app, config } = await startInProcessService(context.env, schema, {
        AWS_REGION: REGION,
        GRAPHQL_MAX_COST: '1000000000',
        GRAPHQL_MAX_TOKENS: '1000000',
        GRAPHQL_MUTATION_RATE_LIMIT: '0',
      });
      closers.push(() => app.close());
      await seed(context, app, schema);
      const handWritten = await startHandWrittenServer({
        databaseUrl: context.env.databaseUrl,
        schema,
        poolSize: config.database.poolSize,
      });
      closers.push(() => handWritten.close());
      return await measure(context, graphqlHandler(app), baselineHandler(handWritten));
    } finally {
      for (const close of closers.reverse()) {
        await close().catch((error: unknown) => context.log(`cleanup failed: ${String(error)}`));
      }
    }
  },
};

/** The fleet goes into the service's own emulator, so its instances are the ones it knows. */
async function seed(context: BenchContext, app: RunningApp, schema: string): Promise<void> {
  if (!app.emulator) {
    throw new Error('the service started without its emulator (AWS_MODE is not emulator)');
  }
  const started = Date.now();
  await seedFleet({
    databaseUrl: context.env.databaseUrl,
    schema,
    emulator: app.emulator,
    region: REGION,
    count: WORKERS,
  });
  const history = await seedFleetHistory({
    databaseUrl: context.env.databaseUrl,
    schema,
    samplesPerWorker: SAMPLES_STORED_PER_WORKER,
    now: new Date(),
  });
  context.log(
    `seeded ${WORKERS} workers, ${history.samples} samples and ${history.alerts} alerts in ${Date.now() - started} ms`,
  );
}

function graphqlHandler(app: RunningApp): Handler {
  return { name: GRAPHQL, url: app.graphqlUrl, sqlStatementCount: () => app.sqlStatementCount() };
}

function baselineHandler(server: HandWrittenServer): Handler {
  return {
    name: HAND_WRITTEN,
    url: server.url,
    sqlStatementCount: () => server.sqlStatementCount(),
  };
}

async function measure(
  context: BenchContext,
  graphql: Handler,
  baseline: Handler,
): Promise<BenchResult> {
  const [checkedBaseline, checkedGraphql] = await checkAgainstEachOther(context, baseline, graphql);
  const plan = LOAD[context.size];
  const handlers = [checkedBaseline, checkedGraphql];
  const pages = [PAGE, SMALL_PAGE] as const;
  const runs = await runLoad({
    ...plan,
    targets: pages.flatMap((first) =>
      handlers.map((handler) => ({
        name: loadName(handler, first),
        url: handler.url,
        body: dashboardRequest(first),
        expectBody: (first === PAGE ? handler.page : handler.small).text,
      })),
    ),
  });
  const summaries = pages.map((first) => {
    const [ofBaseline, ofGraphql] = handlers.map((handler) => summarize(handler, first, runs));
    return { first, ofBaseline, ofGraphql, ratio: ratio(ofGraphql.rate, ofBaseline.rate) };
  });
  return {
    name: 'query',
    description: [
      `workers(first: ${PAGE}, then ${SMALL_PAGE}) with metrics(limit: ${SAMPLES_PER_WORKER}) and alerts(limit: ${ALERTS_PER_WORKER}) per worker over HTTP`,
      `(${WORKERS} workers, ${SAMPLES_STORED_PER_WORKER} samples each), autocannon in a child process,`,
      `${plan.connections} connections, pipelining 1; median of ${plan.rounds} interleaved round(s) of ${plan.durationSeconds} s`,
      `after ${plan.warmupSeconds} s of warm-up each. Both handlers run in this process on pools of the same size.`,
    ].join('\n'),
    rows: summaries.flatMap((page) =>
      [page.ofBaseline, page.ofGraphql].map((summary) => ({
        ...summary.row,
        'vs hand-written': ratio(summary.rate, page.ofBaseline.rate),
      })),
    ),
    targets: targets(checkedGraphql, summaries, runs),
  };
}

const loadName = (handler: Handler, first: number) => `${handler.name}, first: ${first}`;

/** Both handlers answer both page sizes; the benchmark means nothing unless they agree. */
async function checkAgainstEachOther(
  context: BenchContext,
  baseline: Handler,
  graphql: Handler,
): Promise<[CheckedHandler, CheckedHandler]> {
  const answersTo = async (first: number) => {
    const fromBaseline = await answer(baseline, first);
    const fromGraphql = await answer(graphql, first);
    compareAnswers(fromGraphql, fromBaseline, first);
    const bytes = fromGraphql.text === fromBaseline.text ? 'byte for byte' : 'bytes differ';
    context.log(
      `first: ${first}: same data from both handlers, ${bytes} (${fromGraphql.text.length} bytes)`,
    );
    return [fromBaseline, fromGraphql] as const;
  };
  const [baselineSmall, graphqlSmall] = await answersTo(SMALL_PAGE);
  const [baselinePage, graphqlPage] = await answersTo(PAGE);
  return [
    { ...baseline, small: baselineSmall, page: baselinePage },
    { ...graphql, small: graphqlSmall, page: graphqlPage },
  ];
}

function targets(
  graphql: CheckedHandler,
  pages: { first: number; ofBaseline: Summary; ofGraphql: Summary; ratio: number }[],
  runs: MeasuredRun[],
): TargetCheck[] {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const failed = runs.filter((run) => run.failed > 0);
  return [
    ...pages.map((page) =>
      check(
        `throughput vs hand-written handler, first: ${page.first}`,
        `>= ${TARGET_RATIO.toFixed(2)}x`,
        `${page.ratio.toFixed(2)}x (${page.ofGraphql.rate.toFixed(0)} vs ${page.ofBaseline.rate.toFixed(0)} req/s)`,
        page.ratio >= TARGET_RATIO,
      ),
    ),
    check(
      'SQL statements per GraphQL request constant (no N+1)',
      `first: ${SMALL_PAGE} = first: ${PAGE}`,
      `${graphql.small.statements} = ${graphql.page.statements}`,
      graphql.small.statements === graphql.page.statements,
    ),
    check(
      'every answer under load 200 and identical to the checked one',
      '0 failed',
      failed.length === 0
        ? `0 of ${requests} failed`
        : failed.map((run) => `${run.target} ${JSON.stringify(run.failures)}`).join('; '),
      failed.length === 0,
    ),
  ];
}

/**
 * One checked answer of `handler` for `first`, after a warm-up request (the first one of a
 * page size compiles and prepares what later ones reuse), and the SQL statements it took.
 */
async function answer(handler: Handler, first: number): Promise<Answer> {
  const body = dashboardRequest(first);
  await postJson(handler.url, body);
  const readings: number[] = [];
  let text = '';
  for (let reading = 0; reading < STATEMENT_READINGS; reading += 1) {
    const before = handler.sqlStatementCount();
    const response = await postJson(handler.url, body);
    readings.push(handler.sqlStatementCount() - before);
    if (response.status !== 200) {
      throw new Error(`${handler.name} answered ${response.status}: ${response.text}`);
    }
    text = response.text;
  }
  const parsed = JSON.parse(text) as DashboardResponse;
  if (parsed.errors) {
    throw new Error(`${handler.name} answered with errors: ${JSON.stringify(parsed.errors)}`);
  }
  return { text, parsed, statements: Math.min(...readings) };
}

/** The same data from both, and the full seeded page. */
function compareAnswers(graphql: Answer, baseline: Answer, first: number): void {
  const difference = firstDifference(graphql.parsed, baseline.parsed);
  if (difference) {
    throw new Error(
      `first: ${first}: the handlers disagree at ${difference} (GraphQL vs hand-written)`,
    );
  }
  const workers = graphql.parsed.data?.workers;
  const complete =
    workers?.totalCount === WORKERS &&
    workers.edges.length === Math.min(first, WORKERS) &&
    workers.edges.every(
      ({ node }) => node.metrics.length === SAMPLES_PER_WORKER && node.alerts.length > 0,
    );
  if (!complete) {
    throw new Error(
      `first: ${first}: the answer is not the full seeded page: ${graphql.text.slice(0, 500)}`,
    );
  }
}

interface Summary {
  rate: number;
  row: BenchRow;
}

/** The round of median throughput stands for the handler; the list shows the spread. */
function summarize(handler: CheckedHandler, first: number, runs: MeasuredRun[]): Summary {
  const rounds = runs.filter((run) => run.target === loadName(handler, first) && run.round > 0);
  const byThroughput = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const median = byThroughput[Math.floor((byThroughput.length - 1) / 2)];
  const rate = median?.requestsPerSecond ?? Number.NaN;
  return {
    rate,
    row: {
      handler: handler.name,
      first,
      'requests/s': rate,
      'rounds req/s': rounds.map((run) => run.requestsPerSecond.toFixed(0)).join(' '),
      'p50 ms': median?.latencyP50Ms ?? null,
      'p99 ms': median?.latencyP99Ms ?? null,
      'CPU ms/request': median?.cpuMsPerRequest ?? null,
      [`SQL/request first: ${SMALL_PAGE}`]: handler.small.statements,
      [`SQL/request first: ${PAGE}`]: handler.page.statements,
    },
  };
}
