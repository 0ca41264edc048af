import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  Kind,
  Lexer,
  Source,
  TokenKind,
  buildSchema,
  parse,
  print,
  separateOperations,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { RawSocket } from '../support/raw-socket';
import { startTestApp, type TestApp } from '../support/test-app';

const SEED = 20_260_101;
const GRAPHQL_RESPONSE = 'application/graphql-response+json, application/json';
const HTTP_CASES = 3_000;
const WARM_UP_CASES = 500;
const WS_CONNECTIONS = 60;
const CONCURRENCY = 16;
const MAX_MEMORY_GROWTH_BYTES = 100 * 1_048_576;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof prng>;

/** Every operation of test/operations, each with the fragments it uses. */
function validOperations(): string[] {
  const folder = path.join(__dirname, '..', 'operations');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) =>
      Object.values(separateOperations(parse(readFileSync(path.join(folder, file), 'utf8')))),
    )
    .map((document) => print(document));
}

function tokensOf(text: string): string[] {
  const lexer = new Lexer(new Source(text));
  const tokens: string[] = [];
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    tokens.push(text.slice(token.start, token.end));
  }
  return tokens;
}

const NAMES = ['workers', 'worker', 'alerts', 'id', '__schema', '__typename', 'edges', 'node'];
const PUNCTUATORS = ['{', '}', '(', ')', ':', '$', '@', '...', '[', ']', '=', '!', '|', '&'];

function randomName(random: Random): string {
  if (random.chance(0.5)) {
    return random.pick(NAMES);
  }
  const letters = 'abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789';
  return `_${Array.from({ length: 1 + random.int(12) }, () => random.pick([...letters])).join('')}`;
}

function hugeLiteral(random: Random): string {
  return random.pick([
    '9'.repeat(1 + random.int(400)),
    `-${'9'.repeat(30)}`,
    '1e308',
    '-0.0000000000000000000001',
    `"${'x'.repeat(random.int(60_000))}"`,
    `"${'\\u0000'.repeat(1 + random.int(20))}"`,
    '"\\uD800"',
    `"""${'"'.repeat(random.int(5))}"""`,
    '[[[[[[[[[[]]]]]]]]]]',
    `{ ${'a: { '.repeat(40)}${'}'.repeat(40)} }`,
  ]);
}

/** A valid operation, changed the way a fuzzer (or a careless client) would. */
function mutateDocument(random: Random, source: string): string {
  const tokens = tokensOf(source);
  const at = () => random.int(tokens.length);
  const rounds = 1 + random.int(4);
  for (let round = 0; round < rounds && tokens.length > 0; round += 1) {
    switch (random.int(10)) {
      case 0:
        tokens.splice(at(), 1);
        break;
      case 1: {
        const index = at();
        tokens.splice(index, 0, ...Array<string>(1 + random.int(50)).fill(tokens[index]));
        break;
      }
      case 2: {
        const [a, b] = [at(), at()];
        [tokens[a], tokens[b]] = [tokens[b], tokens[a]];
        break;
      }
      case 3:
        tokens[at()] = randomName(random);
        break;
      case 4:
        tokens.splice(at(), 0, random.pick(PUNCTUATORS));
        break;
      case 5:
        tokens.length = at();
        break;
      case 6: {
        const depth = 1 + random.int(300);
        tokens.splice(at(), 0, `${'node { '.repeat(depth)}id${' }'.repeat(depth)}`);
        break;
      }
      case 7:
        tokens.splice(
          at(),
          0,
          Array.from({ length: random.int(200) }, (_, i) => `a${i}: __typename`).join(' '),
        );
        break;
      case 8:
        tokens.splice(at(), 0, hugeLiteral(random));
        break;
      default:
        tokens.splice(
          at(),
          0,
          String.fromCharCode(
            ...Array.from({ length: 1 + random.int(8) }, () => random.int(0xffff)),
          ),
        );
    }
  }
  return tokens.join(' ');
}

function randomJson(random: Random, depth = 0): unknown {
  switch (random.int(depth > 4 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([0, -1, 2 ** 31, 2 ** 53 + 1, 1e308, -1e-308, 0.5, 501, 100_000]);
    case 3:
      return 'x'.repeat(random.int(random.chance(0.1) ? 50_000 : 40));
    case 4:
      return random.pick([
        '',
        '\u0000',
        '\ud800',
        '💥',
        'ami-0123456789abcdef0',
        'i-0abc',
        'RUNNING',
      ]);
    case 5:
      return random.pick([
        '00000000-0000-4000-8000-000000000000',
        'not-a-uuid',
        '2026-01-01T00:00:00Z',
      ]);
    case 6:
      return Array.from({ length: random.int(5) }, () => randomJson(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: random.int(5) }, () => [
          random.pick([
            'id',
            'input',
            'first',
            'after',
            'filter',
            'limit',
            'name',
            randomName(random),
          ]),
          randomJson(random, depth + 1),
        ]),
      );
  }
}

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '💥'.repeat(100),
  'x'.repeat(10_000),
  "'; DROP TABLE worker; --",
  '%',
  '_',
  '\\',
  'i-0123456789abcdef0',
  'ami-0123456789abcdef0',
  '00000000-0000-4000-8000-000000000000',
  'not-a-uuid',
  'eu-west-1',
  'c5.2xlarge',
  'YWJj',
  'https://hooks.example.com',
];
const DATES = [
  '2026-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-13-45T99:00:00Z',
  '1970-01-01T00:00:00.000+14:00',
];

/** A value of the declared type, with the awkward edges of that type. */
function typedValue(random: Random, type: GraphQLInputType): unknown {
  if (type instanceof GraphQLNonNull) {
    return random.chance(0.05) ? null : typedValue(random, type.ofType);
  }
  if (random.chance(0.1)) {
    return null;
  }
  if (type instanceof GraphQLList) {
    return Array.from({ length: random.int(4) }, () => typedValue(random, type.ofType));
  }
  if (type instanceof GraphQLEnumType) {
    return random.chance(0.9) ? random.pick(type.getValues()).name : 'NOT_A_VALUE';
  }
  if (type instanceof GraphQLInputObjectType) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter(() => random.chance(0.7))
        .map((field) => [field.name, typedValue(random, field.type)]),
    );
  }
  switch (type.name) {
    case 'Int':
      return random.pick([0, -1, 1, 5, 499, 500, 501, 2 ** 31 - 1, -(2 ** 31)]);
    case 'Float':
      return random.pick([0, -1, 50, 100, 100.0001, 1e-300, 1e300]);
    case 'Boolean':
      return random.chance(0.5);
    case 'DateTime':
      return random.pick(DATES);
    default:
      return random.pick(WEIRD_STRINGS);
  }
}

/** Variables of the types the operation declares, else null. */
function typedVariables(random: Random, schema: GraphQLSchema, document: string): unknown {
  const definition = parse(document).definitions.find(
    (node) => node.kind === Kind.OPERATION_DEFINITION,
  );
  if (definition?.kind !== Kind.OPERATION_DEFINITION) {
    return null;
  }
  return Object.fromEntries(
    (definition.variableDefinitions ?? []).flatMap((variable) => {
      const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
      return type ? [[variable.variable.name.value, typedValue(random, type)]] : [];
    }),
  );
}

function randomVariables(random: Random, document: string): unknown {
  const names = [...document.matchAll(/\$(\w+)/g)].map((match) => match[1]);
  if (random.chance(0.1)) {
    return randomJson(random);
  }
  return Object.fromEntries(names.map((name) => [name, randomJson(random)]));
}

interface HttpCase {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  search?: string;
}

function randomHttpCase(random: Random, operations: string[], schema: GraphQLSchema): HttpCase {
  const operation = random.pick(operations);
  if (random.chance(0.25)) {
    return {
      method: 'POST',
      headers: { accept: GRAPHQL_RESPONSE, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: operation,
        variables: typedVariables(random, schema, operation),
      }),
    };
  }
  const document = random.chance(0.1) ? operation : mutateDocument(random, operation);
  const accept = random.pick([GRAPHQL_RESPONSE, 'application/json', '*/*']);
  const roll = random.int(20);
  if (roll === 0) {
    const search = new URLSearchParams({
      query: document.slice(0, 4_000),
      variables: JSON.stringify(randomVariables(random, document)),
    });
    return {
      method: 'GET',
      headers: { accept, 'apollo-require-preflight': 'true' },
      search: `?${search.toString()}`,
    };
  }
  if (roll === 1) {
    return {
      method: 'POST',
      headers: { accept, 'content-type': 'application/json' },
      body: JSON.stringify(randomJson(random)),
    };
  }
  if (roll === 2) {
    const text = JSON.stringify({ query: document });
    return {
      method: 'POST',
      headers: { accept, 'content-type': 'application/json' },
      body: text.slice(0, random.int(text.length)),
    };
  }
  if (roll === 3) {
    return {
      method: 'POST',
      headers: {
        accept,
        'content-type': random.pick([
          'text/plain',
          'application/graphql',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        ]),
        'apollo-require-preflight': 'true',
      },
      body: random.chance(0.5) ? document : JSON.stringify({ query: document }),
    };
  }
  const body: Record<string, unknown> = {
    query: roll === 4 ? randomJson(random) : document,
    variables: randomVariables(random, document),
  };
  if (random.chance(0.2)) {
    body.operationName = random.chance(0.5) ? randomName(random) : randomJson(random);
  }
  if (random.chance(0.1)) {
    body.extensions = randomJson(random);
  }
  return {
    method: 'POST',
    headers: { accept, 'content-type': 'application/json' },
    body: JSON.stringify(random.chance(0.03) ? [body, body] : body),
  };
}

/**
 * Answered by Node's HTTP parser before any route runs, with an empty body: a GET whose URL is
 * longer than Node's 16 KiB header limit.
 */
const HEADERS_TOO_LARGE = 431;

/** Null when the answer is a well-formed GraphQL response; else what is wrong with it. */
function problemWith(status: number, contentType: string, text: string): string | null {
  if (status === HEADERS_TOO_LARGE && text === '') {
    return null;
  }
  if (status >= 500 || status < 200 || (status >= 300 && status < 400)) {
    return `status ${status}`;
  }
  if (!/json/.test(contentType)) {
    return `content type ${contentType}`;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'not an object';
  }
  const { data, errors, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).some((key) => key !== 'extensions')) {
    return `unexpected keys ${Object.keys(rest).join(', ')}`;
  }
  if (data === undefined && errors === undefined) {
    return 'neither data nor errors';
  }
  if (data !== undefined && data !== null && typeof data !== 'object') {
    return 'data is not an object';
  }
  if (errors !== undefined) {
    const list = errors as { message?: unknown }[];
    if (!Array.isArray(list) || list.length === 0) {
      return 'errors is not a non-empty list';
    }
    if (!list.every((error) => typeof error?.message === 'string')) {
      return 'an error without a message';
    }
  }
  return null;
}

function wsFrames(
  random: Random,
  operations: string[],
  index: number,
): (object | string | Buffer)[] {
  const subscribe = (id: string, query: unknown) => ({ id, type: 'subscribe', payload: { query } });
  const init = { type: 'connection_init', payload: {} };
  const misbehaviour = random.pick([
    () => ['{"type":"connection_init"', 'not json at all'],
    () => [JSON.stringify(randomJson(random))],
    () => [{ type: random.pick(['hello', 'next', 'error', 'connection_ack', '']) }],
    () => [subscribe('early', '{ workers { totalCount } }')],
    () => [init, init],
    () => [init, subscribe('x'.repeat(1 + random.int(60_000)), '{ __typename }')],
    () => [
      init,
      subscribe('dup', 'subscription { workerStatusChanged { status } }'),
      subscribe('dup', '{ __typename }'),
    ],
    () => [init, Buffer.from(Array.from({ length: 1 + random.int(100) }, () => random.int(256)))],
    () => [init, { id: 5, type: 'subscribe', payload: { query: 1 } }],
    () => [init, { type: 'ping' }, { type: 'pong' }, { id: 'gone', type: 'complete' }],
    () => [init, 'x'.repeat(70_000)],
    () => [{ type: 'connection_init', payload: randomJson(random) }],
  ])();
  const noise = Array.from({ length: random.int(8) }, (_, n) =>
    subscribe(
      `f${index}-${n}`,
      random.chance(0.2) ? randomJson(random) : mutateDocument(random, random.pick(operations)),
    ),
  );
  return random.chance(0.5) ? [init, ...noise, ...misbehaviour] : [...misbehaviour, ...noise];
}

const send = (app: TestApp, fuzzCase: HttpCase) =>
  fetch(`${app.graphqlUrl}${fuzzCase.search ?? ''}`, {
    method: fuzzCase.method,
    headers: fuzzCase.headers,
    body: fuzzCase.body,
  });

/** Runs `task` for 0..count-1, CONCURRENCY at a time. */
async function inPool(count: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await task(index);
      }
    }),
  );
}

/** `global.gc` without --expose-gc: V8 hands it to a new context once the flag is set. */
function collectGarbage(): boolean {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    return true;
  } catch {
    return false;
  }
}

function memory() {
  const collected = collectGarbage();
  const { rss, heapUsed, heapTotal } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, collected };
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

describe('fuzzing the GraphQL endpoint', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Mutations run too (on the emulator): the rate limit would otherwise refuse most of them.
    app = await startTestApp({ GRAPHQL_MUTATION_RATE_LIMIT: '0' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('should answer thousands of random and broken requests with well-formed GraphQL, and stay up and small', async () => {
    const random = prng(SEED);
    const operations = validOperations();
    const schema = buildSchema(
      readFileSync(path.join(__dirname, '..', '..', 'src', 'schema', 'schema.graphql'), 'utf8'),
    );
    const warmUp = prng(SEED - 1);
    const healthy = async () =>
      (await (
        await fetch(app.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ workers { totalCount } }' }),
        })
      ).json()) as { data?: unknown };
    // The heap and the allocator grow to their working size first: growth past that is a leak.
    await inPool(WARM_UP_CASES, async () => {
      await (await send(app, randomHttpCase(warmUp, operations, schema))).text();
    });
    await healthy();
    const before = memory();
    const statuses: Record<number, number> = {};
    const codes: Record<string, number> = {};
    const problems: string[] = [];

    await inPool(HTTP_CASES, async () => {
      // Made when sent, in the same order every run: the cases need not all be in memory.
      const fuzzCase = randomHttpCase(random, operations, schema);
      const response = await send(app, fuzzCase);
      const text = await response.text();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      const problem = problemWith(
        response.status,
        response.headers.get('content-type') ?? '',
        text,
      );
      if (problem) {
        problems.push(
          `${problem}: ${JSON.stringify(fuzzCase).slice(0, 300)} -> ${text.slice(0, 300)}`,
        );
        return;
      }
      const body = (text === '' ? {} : JSON.parse(text)) as {
        errors?: { extensions?: { code?: string } }[];
      };
      for (const error of body.errors ?? []) {
        const code = error.extensions?.code ?? 'none';
        codes[code] = (codes[code] ?? 0) + 1;
      }
    });

    const closes: Record<number, number> = {};
    let frames = 0;
    const wsRandom = prng(SEED + 1);
    const connections = Array.from({ length: WS_CONNECTIONS }, (_, index) =>
      wsFrames(wsRandom, operations, index),
    );
    await inPool(connections.length, async (index) => {
      const sequence = connections[index];
      const socket = await RawSocket.open(app.graphqlUrl, { init: false });
      for (const frame of sequence) {
        socket.send(frame);
        frames += 1;
      }
      const closed = await Promise.race([
        socket.closed,
        new Promise<undefined>((resolve) => setTimeout(resolve, 300)),
      ]);
      if (closed) {
        closes[closed.code] = (closes[closed.code] ?? 0) + 1;
      } else {
        closes[0] = (closes[0] ?? 0) + 1;
        socket.close();
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = memory();

    console.log(
      [
        `fuzz: ${HTTP_CASES} HTTP requests by status ${JSON.stringify(statuses)}`,
        `error codes ${JSON.stringify(codes)}`,
        `${frames} WebSocket frames on ${WS_CONNECTIONS} connections, closes by code (0: still open) ${JSON.stringify(closes)}`,
        `memory (gc: ${after.collected}) before: rss ${mb(before.rss)}, heap used ${mb(before.heapUsed)} of ${mb(before.heapTotal)}; ` +
          `after: rss ${mb(after.rss)}, heap used ${mb(after.heapUsed)} of ${mb(after.heapTotal)}`,
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(codes.INTERNAL_SERVER_ERROR).toBeUndefined();
    const unexpectedCloses = Object.keys(closes)
      .map(Number)
      .filter(
        (code) => !(code === 0 || (code >= 1000 && code < 2000) || (code >= 4400 && code < 4500)),
      );
    expect(unexpectedCloses).toEqual([]);
    expect(await healthy()).toEqual({ data: { workers: { totalCount: expect.any(Number) } } });
    // After a full collection the live heap tells a leak. Without one, rss must do; with one, rss
    // also holds the heap V8 grew to under load and keeps for a while (heapTotal): printed only.
    const growth = after.collected ? after.heapUsed - before.heapUsed : after.rss - before.rss;
    expect(growth).toBeLessThan(MAX_MEMORY_GROWTH_BYTES);
  }, 60_000);
});
