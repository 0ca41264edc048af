import { Client } from 'pg';
import { quoteIdentifier } from '../../src/database/sql';
import { RawSocket, type ServerMessage } from '../support/raw-socket';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '../support/test-database';
import { freePort } from '../support/free-port';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { TEST_REGION } from '../support/test-app';

const WORKERS = 500;
const SAMPLES_PER_WORKER = 1_000;
// Far below the seconds a blocked event loop took, far above a loaded CI machine's scheduling noise.
const HEALTHZ_BUDGET_MS = 500;

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The request that took the service down: every size passed as a variable. */
const SAMPLES = `query Samples($n: Int, $m: Int) {
  workers(first: $n) { edges { node { id name status
    metrics(limit: $m) { workerId status statusChecks { system instance } cpuUtilization memoryUtilization collectedAt }
  } } }
}`;

const aliasedSamples = (aliases: number) =>
  `query Samples($n: Int, $m: Int) { ${Array.from(
    { length: aliases },
    (_, index) =>
      `a${index}: workers(first: $n) { edges { node { id metrics(limit: $m) { cpuUtilization collectedAt } } } }`,
  ).join(' ')} }`;

/** Within the cost limit, yet 10,000 samples: about 1 MB of JSON, 2 MB of rows. */
const TWENTY_SAMPLES_EACH = `{
  workers(first: 500) { edges { node { id
    metrics(limit: 20) { workerId status cpuUtilization memoryUtilization collectedAt }
  } } }
}`;
const CAPPED_BYTES = 262_144;

/** Within the cost limit (500 × 100 samples), about 6 MB of JSON. */
const HUNDRED_SAMPLES_EACH = `{
  workers(first: 500) { edges { node { id
    metrics(limit: 100) { workerId status cpuUtilization memoryUtilization collectedAt }
  } } }
}`;

const baseUrl = (service: ServiceProcess) => new URL('/', service.graphqlUrl).toString();

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

/** What the requests cost the service (ms, MB), printed at the end for the record. */
const measured: Record<string, number> = {};

/** Asks /healthz every 10 ms while `work` runs: the slowest answer, in ms. */
async function slowestHealthzDuring<T>(url: string, work: () => Promise<T>) {
  let running = true;
  let slowest = 0;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(new URL('/healthz', url));
      await response.text();
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  try {
    const result = await work();
    return { result, slowestHealthzMs: slowest };
  } finally {
    running = false;
    await probe;
  }
}

const codeOf = (body: GraphQLBody) => body.errors?.[0]?.extensions?.code;
const socketCode = (message: ServerMessage) =>
  (
    (message.type === 'error' ? message.payload : (message.payload as GraphQLBody).errors) as
      GraphQLBody['errors'] | undefined
  )?.[0]?.extensions?.code;

/** 500 workers with 1,000 samples each, written straight into the app's tables. */
async function seedFleet(schema: string): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${quoteIdentifier(schema)}`);
    await client.query(
      `INSERT INTO worker (name, "awsRegion", "awsInstanceId", "instanceType", status,
         "cpuThreshold", "memoryThreshold", "monitoringEnabled")
       SELECT 'bulk-' || n, $1, 'i-' || lpad(to_hex(n), 17, '0'), 'c5.2xlarge', 'RUNNING', 90, 90, false
       FROM generate_series(1, $2) AS n`,
      [TEST_REGION, WORKERS],
    );
    await client.query(
      `INSERT INTO metric_sample ("workerId", status, "systemCheck", "instanceCheck",
         "cpuUtilization", "memoryUtilization", "collectedAt")
       SELECT w.id, 'RUNNING', 'OK', 'OK', random() * 100, random() * 100,
              now() - make_interval(secs => s * 15)
       FROM worker w CROSS JOIN generate_series(1, $1) AS s`,
      [SAMPLES_PER_WORKER],
    );
  } finally {
    await client.end();
  }
}

describe('bounded answers', () => {
  const schema = uniqueSchemaName();
  // Processes of their own, as in production: /healthz is timed without the test runner's heap.
  let app: ServiceProcess;
  let capped: ServiceProcess;
  let timed: ServiceProcess;

  const serviceEnv = async (env: NodeJS.ProcessEnv = {}) => ({
    PORT: String(await freePort()),
    DATABASE_URL: testDatabaseUrl(),
    DATABASE_SCHEMA: schema,
    AWS_REGION: TEST_REGION,
    EMULATOR_PORT: '0',
    EMULATOR_DEMO_FLEET: 'false',
    ...env,
  });

  beforeAll(async () => {
    app = await startServiceProcess(await serviceEnv());
    await seedFleet(schema);
    // One after the other: a free port is free until a process listens on it.
    capped = await startServiceProcess(
      await serviceEnv({ GRAPHQL_MAX_RESPONSE_BYTES: String(CAPPED_BYTES) }),
    );
    timed = await startServiceProcess(await serviceEnv({ GRAPHQL_MAX_EXECUTION_MS: '100' }));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([timed?.stop(), capped?.stop(), app?.stop()]);
    console.log(`measured: ${JSON.stringify(measured)}`);
    await dropSchema(schema);
  });

  it('should refuse 500 workers × 1,000 samples asked through variables and aliases before any SQL, while /healthz answers', async () => {
    const variables = { n: WORKERS, m: SAMPLES_PER_WORKER };
    const before = await app.usage();
    const started = performance.now();
    const { result, slowestHealthzMs } = await slowestHealthzDuring(baseUrl(app), () =>
      Promise.all([
        post(app.graphqlUrl, SAMPLES, variables),
        post(app.graphqlUrl, aliasedSamples(3), variables),
        post(app.graphqlUrl, aliasedSamples(4), variables),
      ]),
    );
    measured.refuseThreeMs = Math.round(performance.now() - started);
    measured.rssBeforeMB = Math.round(before.rssBytes / 1_048_576);
    measured.rssAfterMB = Math.round((await app.usage()).rssBytes / 1_048_576);

    for (const { status, body } of result) {
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(codeOf(body)).toBe('QUERY_TOO_COMPLEX');
      expect(body.errors?.[0]?.message).toMatch(/^Query cost limit of 500000 exceeded, found \d+/);
    }
    measured.healthzRefusedMs = Math.round(slowestHealthzMs);
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BUDGET_MS);
  });

  it('should refuse the same request over graphql-ws with the same code', async () => {
    const socket = await RawSocket.open(app.graphqlUrl);

    socket.subscribe('samples', SAMPLES, { n: WORKERS, m: SAMPLES_PER_WORKER });
    const refused = await socket.waitFor((message) => message.id === 'samples');
    socket.close();

    expect(refused.type).toBe('error');
    expect(socketCode(refused)).toBe('QUERY_TOO_COMPLEX');
  });

  it('should stop an answer over the byte cap as its rows load, on both transports, while /healthz answers', async () => {
    const { result, slowestHealthzMs } = await slowestHealthzDuring(baseUrl(capped), () =>
      post(capped.graphqlUrl, TWENTY_SAMPLES_EACH),
    );
    const socket = await RawSocket.open(capped.graphqlUrl);
    const overSocket = await socket.execute('large', TWENTY_SAMPLES_EACH);
    const small = await socket.execute('small', '{ workers(first: 5) { totalCount } }');
    socket.close();

    expect(result.body).toEqual({
      data: null,
      errors: [
        {
          message: `The answer is larger than ${CAPPED_BYTES} bytes: ask for fewer items (first, limit) or fewer fields`,
          extensions: { code: 'RESPONSE_TOO_LARGE' },
        },
      ],
    });
    measured.healthzTooLargeMs = Math.round(slowestHealthzMs);
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BUDGET_MS);
    expect(socketCode(overSocket)).toBe('RESPONSE_TOO_LARGE');
    expect(small).toMatchObject({ payload: { data: { workers: { totalCount: WORKERS } } } });
  });

  it('should refuse an answer over the byte cap that its loads fit in, on both transports', async () => {
    // Aliases of one range share its loader's rows: loaded once, written 25 times.
    const aliased = (aliases: number) =>
      `{ workers(first: ${WORKERS}) { edges { node { ${Array.from(
        { length: aliases },
        (_, index) => `m${index}: metrics(limit: 1) { collectedAt }`,
      ).join(' ')} } } } }`;

    const over = await post(capped.graphqlUrl, aliased(25));
    const within = await post(capped.graphqlUrl, aliased(2));
    const socket = await RawSocket.open(capped.graphqlUrl);
    const overSocket = await socket.execute('over', aliased(25));
    const withinSocket = await socket.execute('within', aliased(2));
    socket.close();

    expect(codeOf(over.body)).toBe('RESPONSE_TOO_LARGE');
    expect(over.body.data).toBeNull();
    expect(socketCode(overSocket)).toBe('RESPONSE_TOO_LARGE');
    expect(within.body.errors).toBeUndefined();
    expect(JSON.stringify(within.body).length).toBeLessThan(CAPPED_BYTES);
    expect(withinSocket).toMatchObject({ payload: { data: within.body.data } });
  });

  it('should answer EXECUTION_TIMEOUT at the deadline while a statement hangs, on both transports', async () => {
    // A statement slower than its peers: the samples are locked by another session.
    const locker = new Client({ connectionString: testDatabaseUrl() });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(
        `LOCK TABLE ${quoteIdentifier(schema)}.metric_sample IN ACCESS EXCLUSIVE MODE`,
      );
      const { result, slowestHealthzMs } = await slowestHealthzDuring(baseUrl(timed), async () => {
        const started = performance.now();
        const answer = await post(timed.graphqlUrl, TWENTY_SAMPLES_EACH);
        return { answer, ms: performance.now() - started };
      });
      const socket = await RawSocket.open(timed.graphqlUrl);
      const overSocket = await socket.execute('slow', TWENTY_SAMPLES_EACH);
      const unlocked = await socket.execute('other', '{ workers(first: 1) { totalCount } }');
      socket.close();

      expect(result.answer.body).toEqual({
        data: null,
        errors: [
          {
            message: 'The operation ran longer than 100 ms and was stopped: ask for less',
            extensions: { code: 'EXECUTION_TIMEOUT' },
          },
        ],
      });
      expect(result.ms).toBeLessThan(1_000);
      measured.healthzTimeoutMs = Math.round(slowestHealthzMs);
      expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BUDGET_MS);
      expect(socketCode(overSocket)).toBe('EXECUTION_TIMEOUT');
      expect(unlocked).toMatchObject({ payload: { data: { workers: { totalCount: WORKERS } } } });
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('should let a full page of 500 workers with 100 samples each through on the default caps', async () => {
    const { status, body } = await post(app.graphqlUrl, HUNDRED_SAMPLES_EACH);

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const edges = (body.data as { workers: { edges: { node: { metrics: unknown[] } }[] } }).workers
      .edges;
    expect(edges).toHaveLength(WORKERS);
    expect(edges.every(({ node }) => node.metrics.length === 100)).toBe(true);
  });
});
