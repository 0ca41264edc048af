import { createHash } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { RawSocket, type ServerMessage } from '../support/raw-socket';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const KEY_A = 'operator-a-key-0123456789abcdef0123456789abcdef';
const KEY_B = 'operator-b-key-0123456789abcdef0123456789abcdef';
const KEY_C = 'viewer-c-key-0123456789abcdef0123456789abcdef';
const DASHBOARD = 'https://dashboard.example.com';
const UNKNOWN_WORKER = '00000000-0000-4000-8000-000000000000';
const GRAPHQL_RESPONSE = 'application/graphql-response+json, application/json';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const bearer = (key: string) => `Bearer ${key}`;
const range = (count: number) => Array.from({ length: count }, (_, index) => index);

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number } }[];
}

interface Answer {
  status: number;
  headers: Headers;
  body: GraphQLBody;
  ms: number;
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, ...headers },
    body,
  });
  const parsed = (await response.json()) as GraphQLBody;
  return {
    status: response.status,
    headers: response.headers,
    body: parsed,
    ms: performance.now() - started,
  };
}

const query = (url: string, text: string, headers?: Record<string, string>) =>
  post(url, JSON.stringify({ query: text }), headers);
const codeOf = (body: GraphQLBody) => body.errors?.[0]?.extensions?.code;
const firstError = (message: ServerMessage) => (message.payload as GraphQLBody['errors'])?.[0];
const errorCode = (message: ServerMessage) => firstError(message)?.extensions?.code;

/** Alert.worker and Worker.alerts lead to each other: nesting as deep as one likes. */
function nested(levels: number, root = 'alerts { edges { node { %s } } }'): string {
  const fields = range(levels).map((level) => (level % 2 === 0 ? 'worker' : 'alerts'));
  const selection = `${fields.join(' { ')} { id }${' }'.repeat(levels - 1)}`;
  return `{ ${root.replace('%s', selection)} }`;
}

const aliased = (count: number, field = 'workers(first: 500) { totalCount }') =>
  `{ ${range(count)
    .map((index) => `a${index}: ${field}`)
    .join(' ')} }`;

/** Every field of a page of workers, with their samples and alerts (cost 447,001 for 500). */
const fleetPage = (first: number, alias = 'workers') => `{
  ${alias}: workers(first: ${first}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id name awsRegion awsInstanceId instanceType status statusChecks { system instance }
      cpuUtilization memoryUtilization thresholds { cpu memory } monitoringEnabled lastPolledAt
      lastActivityAt lastTransitionAt createdAt updatedAt
      metrics(limit: 100) { workerId status statusChecks { system instance } cpuUtilization memoryUtilization collectedAt }
      alerts(limit: 5) { id workerId kind state severity value threshold resolvedValue message resolution startedAt resolvedAt acknowledgedAt }
    } }
  }
}`;

/** Each refusal must come back fast: the work an attacker causes is the parse, no more. */
const REFUSAL_BUDGET_MS = 1_000;
const timings: Record<string, number> = {};

describe('abuse limits', () => {
  let app: TestApp;

  const expectServing = async () => {
    expect((await query(app.graphqlUrl, '{ workers { totalCount } }')).body).toEqual({
      data: { workers: { totalCount: 0 } },
    });
  };

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app.close();
    console.log(`time to refuse (ms): ${JSON.stringify(timings)}`);
  });

  describe('over HTTP', () => {
    it('should refuse a nested query bomb before running it, with 400 QUERY_TOO_COMPLEX', async () => {
      const deep = await query(app.graphqlUrl, nested(20));
      const deeper = await query(app.graphqlUrl, nested(5_000));
      timings.depthBomb = deep.ms;
      timings.depthBomb5000 = deeper.ms;

      expect(deep.status).toBe(400);
      expect(deep.body.errors).toEqual([
        {
          message: 'Query depth limit of 12 exceeded, found 24.',
          extensions: { code: 'QUERY_TOO_COMPLEX' },
        },
      ]);
      expect(deep.body.data).toBeUndefined();
      expect(deeper.status).toBe(400);
      expect(deeper.body.errors).toEqual([
        { message: 'Token limit of 2000 exceeded.', extensions: { code: 'QUERY_TOO_COMPLEX' } },
      ]);
      expect(deep.ms).toBeLessThan(REFUSAL_BUDGET_MS);
      expect(deeper.ms).toBeLessThan(REFUSAL_BUDGET_MS);
      await expectServing();
    });

    it('should refuse alias bombs: by body size, by tokens, and by the alias limit', async () => {
      const huge = await query(app.graphqlUrl, aliased(5_000));
      const large = await query(app.graphqlUrl, aliased(1_000));
      const small = await query(app.graphqlUrl, aliased(31, 'workers { totalCount }'));
      Object.assign(timings, { aliases5000: huge.ms, aliases1000: large.ms, aliases31: small.ms });

      expect(huge.status).toBe(413);
      expect(huge.body.errors?.[0]?.message).toMatch(/larger than 102400 bytes/);
      expect(large.status).toBe(400);
      expect(codeOf(large.body)).toBe('QUERY_TOO_COMPLEX');
      expect(small.status).toBe(400);
      expect(small.body.errors).toEqual([
        {
          message: 'Aliases limit of 30 exceeded, found 31.',
          extensions: { code: 'QUERY_TOO_COMPLEX' },
        },
      ]);
      for (const refused of [huge, large, small]) {
        expect(refused.ms).toBeLessThan(REFUSAL_BUDGET_MS);
      }
      await expectServing();
    });

    it('should refuse a query above the cost limit, yet run full fleet pages and the GraphiQL welcome query', async () => {
      const twoPages = `{ ${[fleetPage(500, 'first'), fleetPage(500, 'second')]
        .map((page) => page.slice(1, -1))
        .join(' ')} }`;
      const expensive = await query(app.graphqlUrl, twoPages);
      const largest = await query(app.graphqlUrl, fleetPage(500));
      const page = await query(app.graphqlUrl, fleetPage(50));
      const welcome = await query(
        app.graphqlUrl,
        `query Fleet {
          workers(first: 50) { totalCount edges { node {
            id name awsInstanceId status statusChecks { system instance } cpuUtilization
            memoryUtilization lastPolledAt nextPollAt pollError { message consecutiveFailures }
          } } }
          monitoringStatus { enabled pollIntervalSeconds jobs { scheduled running overdue } }
        }`,
      );
      timings.cost = expensive.ms;

      expect(expensive.status).toBe(400);
      expect(expensive.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^Query cost limit of 500000 exceeded, found 894002\./),
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      });
      for (const { body } of [largest, page]) {
        expect(body).toEqual({
          data: { workers: { totalCount: 0, pageInfo: expect.any(Object), edges: [] } },
        });
      }
      expect(welcome.body.errors).toBeUndefined();
    });

    it('should answer bad variables with BAD_USER_INPUT, all of them, past graphql-js limit of 50 too', async () => {
      const many = await post(
        app.graphqlUrl,
        JSON.stringify({
          query: 'query($s: [WorkerStatus!]) { workers(filter: { status: $s }) { totalCount } }',
          variables: { s: range(60).map((index) => `LOUD_${index}`) },
        }),
      );

      expect(many.status).toBe(400);
      expect(many.body.errors).toHaveLength(51);
      expect(many.body.errors?.at(-1)?.message).toMatch(/Too many errors processing variables/);
      expect(new Set(many.body.errors?.map((error) => error.extensions?.code))).toEqual(
        new Set(['BAD_USER_INPUT']),
      );
    });

    it('should answer an operation name that names no operation as a request error, not a 500', async () => {
      const answer = await post(
        app.graphqlUrl,
        JSON.stringify({ query: 'query A { workers { totalCount } }', operationName: 'B' }),
      );

      expect(answer.status).toBe(400);
      expect(codeOf(answer.body)).toBe('OPERATION_RESOLUTION_FAILURE');
    });

    it('should refuse too many directives', async () => {
      const refused = await query(
        app.graphqlUrl,
        `{ workers { ${range(21)
          .map((index) => `t${index}: totalCount @include(if: true)`)
          .join(' ')} } }`,
      );

      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]).toMatchObject({
        message: 'Directives limit of 20 exceeded, found 21.',
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      });
    });

    it('should refuse a batch of 1,000 operations with a 400 GraphQL error, and keep serving', async () => {
      const batch = JSON.stringify(
        range(1_000).map(() => ({ query: '{ workers { totalCount } }' })),
      );

      const refused = await post(app.graphqlUrl, batch);
      timings.batch1000 = refused.ms;

      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/batching/i),
        extensions: { code: 'BAD_REQUEST' },
      });
      expect(refused.ms).toBeLessThan(REFUSAL_BUDGET_MS);
      await expectServing();
    });

    it('should refuse an oversized body with 413 and a GraphQL error, and keep serving', async () => {
      const body = JSON.stringify({
        query: '{ workers { totalCount } }',
        variables: { padding: 'x'.repeat(1_048_576) },
      });

      const refused = await post(app.graphqlUrl, body);
      timings.body1MiB = refused.ms;

      expect(refused.status).toBe(413);
      expect(refused.headers.get('content-type')).toMatch(/json/);
      expect(refused.body).toEqual({
        errors: [
          {
            message: 'Request body larger than 102400 bytes',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
      expect(refused.ms).toBeLessThan(REFUSAL_BUDGET_MS);
      await expectServing();
    });

    it('should answer introspection and suggest field names while introspection is on', async () => {
      const schema = await query(app.graphqlUrl, '{ __schema { queryType { name } } }');
      const typo = await query(app.graphqlUrl, '{ workerz { totalCount } }');

      expect(schema.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean .*"workers"/);
    });

    it('should send no CORS header unless origins are configured', async () => {
      const answer = await query(app.graphqlUrl, '{ workers { totalCount } }', {
        origin: DASHBOARD,
      });
      const preflight = await fetch(app.graphqlUrl, {
        method: 'OPTIONS',
        headers: { origin: DASHBOARD, 'access-control-request-method': 'POST' },
      });

      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('should serve GraphiQL with a Content-Security-Policy that admits only its own inline script', async () => {
      const response = await fetch(app.graphqlUrl, { headers: { accept: 'text/html' } });
      const html = await response.text();
      const asset = await fetch(new URL('/graphiql/assets/graphiql.js', app.url));
      const policy = response.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(policy)?.[1];

      expect(nonce).toBeDefined();
      expect(html).toContain(`<script nonce="${nonce}">`);
      expect(html).toContain(`<style nonce="${nonce}">`);
      expect(html.match(/<script>/g)).toBeNull();
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
      expect(
        (await fetch(app.graphqlUrl, { headers: { accept: 'text/html' } })).headers.get(
          'content-security-policy',
        ),
      ).not.toContain(nonce);
    });
  });

  describe('over WebSocket', () => {
    it('should refuse bombs for the operation only, and keep the connection', async () => {
      const socket = await RawSocket.open(app.graphqlUrl);

      socket.subscribe('deep', `subscription ${nested(20, 'thresholdAlert { %s }')}`);
      socket.subscribe('aliases', aliased(1_000));
      socket.subscribe('typo', 'subscription { workerStatusChangd { status } }');
      socket.subscribe('syntax', '{ workers { ');
      const errors = await Promise.all(
        ['deep', 'aliases', 'typo', 'syntax'].map((id) =>
          socket.waitFor((message) => message.id === id),
        ),
      );

      expect(errors.map((message) => [message.type, errorCode(message)])).toEqual([
        ['error', 'QUERY_TOO_COMPLEX'],
        ['error', 'QUERY_TOO_COMPLEX'],
        ['error', 'GRAPHQL_VALIDATION_FAILED'],
        ['error', 'GRAPHQL_PARSE_FAILED'],
      ]);
      expect(firstError(errors[2])?.message).toMatch(/Did you mean "workerStatusChanged"/);
      expect(await socket.execute('after', '{ workers { totalCount } }')).toMatchObject({
        type: 'next',
        payload: { data: { workers: { totalCount: 0 } } },
      });
      socket.close();
    });

    it('should answer bad variables with BAD_USER_INPUT, as over HTTP', async () => {
      const socket = await RawSocket.open(app.graphqlUrl);

      socket.subscribe(
        'enum',
        'query($s: AlertState) { alerts(filter: { state: $s }) { totalCount } }',
        {
          s: 'LOUD',
        },
      );
      socket.subscribe('missing', 'query($id: ID!) { worker(id: $id) { id } }', {});
      socket.subscribe('type', 'query($n: Int) { workers(first: $n) { totalCount } }', {
        n: 'fifty',
      });
      const answers = await Promise.all(
        ['enum', 'missing', 'type'].map((id) => socket.waitFor((message) => message.id === id)),
      );
      socket.close();

      expect(answers.map((message) => [message.type, errorCode(message)])).toEqual([
        ['error', 'BAD_USER_INPUT'],
        ['error', 'BAD_USER_INPUT'],
        ['error', 'BAD_USER_INPUT'],
      ]);
      expect(firstError(answers[0])?.message).toMatch(
        /Value "LOUD" does not exist in "AlertState"/,
      );
    });

    it('should keep at most 50 operations live on a connection of 2,000 subscribes, and stay usable', async () => {
      const socket = await RawSocket.open(app.graphqlUrl);
      const started = performance.now();

      range(2_000).forEach((index) =>
        socket.subscribe(`s${index}`, 'subscription { workerStatusChanged { status } }'),
      );
      const refused = await socket.waitForCount((message) => message.type === 'error', 1_950);
      timings.subscribes2000 = performance.now() - started;
      const live = await waitFor(async () => {
        await app.probe(undefined);
        const ids = new Set(socket.messages.filter((m) => m.type === 'next').map((m) => m.id));
        return ids.size >= 50 && ids;
      });

      expect(new Set(refused.map(errorCode))).toEqual(new Set(['RATE_LIMITED']));
      expect(live).toEqual(new Set(range(50).map((index) => `s${index}`)));
      expect(socket.messages.filter((message) => message.type === 'error')).toHaveLength(1_950);
      socket.send({ id: 's0', type: 'complete' });
      expect(
        await waitFor(async () => {
          const result = await socket.execute(`q${Date.now()}`, '{ workers { totalCount } }');
          return result.type === 'next' && result;
        }),
      ).toMatchObject({ payload: { data: { workers: { totalCount: 0 } } } });
      socket.close();
    });

    it('should close a connection that sends a 1 MiB frame with 1009, and keep serving', async () => {
      const socket = await RawSocket.open(app.graphqlUrl);

      socket.send('x'.repeat(1_048_576));

      expect((await socket.closed).code).toBe(1009);
      await expectServing();
      const next = await RawSocket.open(app.graphqlUrl);
      expect(await next.execute('q', '{ workers { totalCount } }')).toMatchObject({ type: 'next' });
      next.close();
    });
  });
});

describe('configured abuse limits', () => {
  let app: TestApp;
  const refresh = `mutation { refreshWorker(id: "${UNKNOWN_WORKER}") { id } }`;
  const as = (key: string, text: string, headers: Record<string, string> = {}) =>
    query(app.graphqlUrl, text, { authorization: bearer(key), ...headers });

  beforeAll(async () => {
    app = await startTestApp({
      API_KEYS: [
        `ops-a:operator:${sha256(KEY_A)}`,
        `ops-b:operator:${sha256(KEY_B)}`,
        `watcher-c:viewer:${sha256(KEY_C)}`,
      ].join(','),
      GRAPHQL_MUTATION_RATE_LIMIT: '3',
      GRAPHQL_INTROSPECTION: 'false',
      CORS_ORIGINS: `${DASHBOARD},http://localhost:5173`,
      GRAPHQL_WS_MAX_CONNECTIONS_PER_CALLER: '2',
      GRAPHQL_WS_INIT_TIMEOUT_MS: '300',
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('should limit mutations per caller and root field with 429 and Retry-After, leaving other callers and queries alone', async () => {
    const allowed = [await as(KEY_A, refresh), await as(KEY_A, refresh), await as(KEY_A, refresh)];
    const limited = await as(KEY_A, refresh);
    const other = await as(KEY_B, refresh);
    const threeInOne = await as(
      KEY_B,
      `mutation { ${range(3)
        .map((index) => `r${index}: refreshWorker(id: "${UNKNOWN_WORKER}") { id }`)
        .join(' ')} }`,
    );
    const oneMore = await as(KEY_B, refresh);
    const queryStill = await as(KEY_A, '{ workers { totalCount } }');
    const overSocket = await RawSocket.open(app.graphqlUrl, { authorization: bearer(KEY_A) });
    const socketLimited = await overSocket.execute('m', refresh);
    overSocket.close();

    expect(allowed.map((answer) => codeOf(answer.body))).toEqual([
      'NOT_FOUND',
      'NOT_FOUND',
      'NOT_FOUND',
    ]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Too many mutations/),
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    expect(codeOf(other.body)).toBe('NOT_FOUND');
    // Three root fields cost three tokens: more than the two left.
    expect(threeInOne.status).toBe(429);
    expect(codeOf(oneMore.body)).toBe('NOT_FOUND');
    expect(queryStill.body.data).toEqual({ workers: { totalCount: 0 } });
    expect(socketLimited).toMatchObject({ type: 'error' });
    expect(errorCode(socketLimited)).toBe('RATE_LIMITED');
  });

  it('should refuse introspection and hide field suggestions when introspection is off', async () => {
    const schema = await as(KEY_A, '{ __schema { types { name } } }');
    const type = await as(KEY_A, '{ __type(name: "Worker") { name } }');
    const typo = await as(KEY_A, '{ workerz { totalCount } }');
    const socket = await RawSocket.open(app.graphqlUrl, { authorization: bearer(KEY_A) });
    const overSocket = await socket.execute('i', '{ __schema { types { name } } }');
    const typoOverSocket = await socket.execute('t', '{ workerz { totalCount } }');
    socket.close();

    for (const refused of [schema, type]) {
      expect(refused.status).toBe(400);
      expect(codeOf(refused.body)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(refused.body.errors?.[0]?.message).toMatch(/introspection/i);
    }
    expect(typo.body.errors?.[0]?.message).toBe(
      'Cannot query field "workerz" on type "Query". [Suggestion hidden]?',
    );
    expect(errorCode(overSocket)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(firstError(overSocket)?.message).toMatch(/introspection/i);
    expect(firstError(typoOverSocket)?.message).toBe(
      'Cannot query field "workerz" on type "Query". [Suggestion hidden]?',
    );
  });

  it('should allow the configured origins only', async () => {
    const allowed = await as(KEY_A, '{ workers { totalCount } }', { origin: DASHBOARD });
    const stranger = await as(KEY_A, '{ workers { totalCount } }', {
      origin: 'https://evil.example.com',
    });
    const preflight = (origin: string) =>
      fetch(app.graphqlUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    const allowedPreflight = await preflight(DASHBOARD);
    const strangerPreflight = await preflight('https://evil.example.com');

    expect(allowed.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(allowed.headers.get('vary')).toMatch(/Origin/i);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    expect(allowedPreflight.status).toBe(204);
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(allowedPreflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(allowedPreflight.headers.get('access-control-allow-headers')).toBe(
      'content-type, authorization, apollo-require-preflight, x-apollo-operation-name',
    );
    // A 429's Retry-After is for the dashboard's script to read, on another origin.
    expect(allowed.headers.get('access-control-expose-headers')).toBe('retry-after');
    expect(stranger.headers.get('access-control-expose-headers')).toBeNull();
    expect(allowedPreflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect(strangerPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('should close connections beyond the per-caller cap with 1013, leaving other callers alone', async () => {
    const first = await RawSocket.open(app.graphqlUrl, { authorization: bearer(KEY_C) });
    const second = await RawSocket.open(app.graphqlUrl, { authorization: bearer(KEY_C) });
    const third = await RawSocket.open(app.graphqlUrl, { init: false });
    third.send({ type: 'connection_init', payload: { authorization: bearer(KEY_C) } });
    const other = await RawSocket.open(app.graphqlUrl, { authorization: bearer(KEY_B) });

    expect(await third.closed).toEqual({
      code: 1013,
      reason: 'Try again later: too many connections',
    });
    expect(other.isOpen).toBe(true);
    expect(second.isOpen).toBe(true);
    first.close();
    await first.closed;
    const again = await waitFor(async () => {
      const socket = await RawSocket.open(app.graphqlUrl, { authorization: bearer(KEY_C) }).catch(
        () => undefined,
      );
      return socket;
    });
    expect(again.isOpen).toBe(true);
    for (const socket of [second, other, again]) {
      socket.close();
    }
  });

  it("should let a graphql-ws client over the cap retry until one of its caller's connections closes", async () => {
    // The previous test's connections may still count until the server has seen them close.
    const openAsC = () =>
      waitFor(() =>
        RawSocket.open(app.graphqlUrl, { authorization: bearer(KEY_C) }).catch(() => undefined),
      );
    const first = await openAsC();
    const second = await openAsC();
    const closes: number[] = [];
    const client = createClient({
      url: app.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 5,
      shouldRetry: () => true,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 250)),
      connectionParams: { authorization: bearer(KEY_C) },
      on: { closed: (event) => closes.push((event as { code: number }).code) },
    });

    const results = client.iterate({ query: '{ workers { totalCount } }' });
    const answer = results.next();
    await waitFor(() => closes.length >= 2, 5_000, 20);
    first.close();
    await first.closed;
    const { value } = await answer;
    await results.return?.();
    await client.dispose();
    second.close();

    expect(new Set(closes)).toEqual(new Set([1013]));
    expect(value).toEqual({ data: { workers: { totalCount: 0 } } });
  });

  it('should close a connection that does not initialise in time with 4408', async () => {
    const started = performance.now();
    const silent = await RawSocket.open(app.graphqlUrl, { init: false });

    expect((await silent.closed).code).toBe(4408);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
