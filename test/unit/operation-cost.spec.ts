import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getOperationAST, parse, type GraphQLError } from 'graphql';
import * as graphqlValues from 'graphql/execution/values';
import { createOperationPricing, UNSIZED_LIST_LENGTH } from '../../src/http/operation-cost';

const schema = buildSchema(
  readFileSync(path.join(__dirname, '../../src/schema/schema.graphql'), 'utf8'),
);

const MAX_COST = 500_000;

function refusalsOf(query: string, variables?: Record<string, unknown>): GraphQLError[] {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) {
    throw new Error('no operation');
  }
  return createOperationPricing(MAX_COST).refusals(schema, document, operation, variables);
}

/** The cost the refusal names, with the limit set to 0 so that every operation is refused. */
function costOf(query: string, variables?: Record<string, unknown>): number {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) {
    throw new Error('no operation');
  }
  const [refusal] = createOperationPricing(0).refusals(schema, document, operation, variables);
  const found = /found (\d+)/.exec(refusal?.message ?? '');
  if (!found) {
    throw new Error(`not priced: ${refusal?.message}`);
  }
  return Number(found[1]);
}

const SAMPLES = `query Samples($n: Int, $m: Int) {
  workers(first: $n) { edges { node { id metrics(limit: $m) { cpuUtilization memoryUtilization collectedAt } } } }
}`;

describe(createOperationPricing.name, () => {
  it('should price a field by its size argument whether literal, variable or default', () => {
    const literal = costOf('{ workers(first: 10) { edges { node { id } } } }');
    const variable = costOf('query($n: Int) { workers(first: $n) { edges { node { id } } } }', {
      n: 10,
    });
    // workers' default first is 50.
    const byDefault = costOf('{ workers { edges { node { id } } } }');

    // workers 1 + 10 × (edges 1 + node 1 + id 1)
    expect(literal).toBe(31);
    expect(variable).toBe(literal);
    expect(byDefault).toBe(1 + 50 * 3);
  });

  it('should multiply sizes through nesting and add aliases up', () => {
    const one = costOf(SAMPLES, { n: 500, m: 1_000 });
    const aliased = costOf(
      `query($n: Int, $m: Int) {
        a: workers(first: $n) { edges { node { metrics(limit: $m) { cpuUtilization } } } }
        b: workers(first: $n) { edges { node { metrics(limit: $m) { cpuUtilization } } } }
      }`,
      { n: 500, m: 1_000 },
    );

    // 500 × (edges + node + id + metrics(1 + 1,000 × 3))
    expect(one).toBe(1 + 500 * (1 + 1 + 1 + 1 + 1_000 * 3));
    expect(aliased).toBe(2 * (1 + 500 * (1 + 1 + 1 + 1_000)));
  });

  it('should price a list without a size argument as a few items', () => {
    const cost = costOf('{ alerts(first: 1) { edges { node { deliveries { receiver } } } } }');

    expect(cost).toBe(1 + 1 * (1 + 1 + 1 + UNSIZED_LIST_LENGTH * 1));
  });

  it('should price a series by the buckets of its window', () => {
    const series = (window: string) =>
      costOf(`{ workers(first: 50) { edges { node { metricSeries(${window}) { cpuAvg } } } } }`);
    const day = '"2026-12-01T00:00:00Z", until: "2026-12-02T00:00:00Z"';

    // 50 × (edges + node + metricSeries(1 + buckets × 1))
    expect(series(`since: ${day}, resolution: HOUR`)).toBe(1 + 50 * (1 + 1 + 1 + 24));
    expect(series(`since: ${day}, resolution: MINUTE`)).toBe(1 + 50 * (1 + 1 + 1 + 1_440));
    // Without a resolution, at most 500 buckets: a day at five minutes.
    expect(series(`since: ${day}`)).toBe(1 + 50 * (1 + 1 + 1 + 288));
    // A window the resolver refuses is priced at the most a series may have.
    expect(series('since: "2026-12-02T00:00:00Z", until: "2026-12-01T00:00:00Z"')).toBe(
      1 + 50 * (1 + 1 + 1 + 2_000),
    );
  });

  it('should refuse the 500 workers × 1,000 samples request, passed as variables', () => {
    const [refusal, ...more] = refusalsOf(SAMPLES, { n: 500, m: 1_000 });

    expect(more).toEqual([]);
    expect(refusal?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(refusal?.message).toMatch(/^Query cost limit of 500000 exceeded, found 1502001\./);
  });

  it('should price node(id) by the costliest type its fragments select', () => {
    const asWorker = costOf(
      '{ node(id: "x") { id ... on Worker { metrics(limit: 1000) { cpuUtilization } } } }',
    );
    const withAlert = costOf(
      `{ node(id: "x") { id
        ... on Worker { metrics(limit: 1000) { cpuUtilization } }
        ... on Alert { message } } }`,
    );
    const plain = costOf('{ node(id: "x") { id } }');

    // node 1 + id 1 + metrics (1 + 1,000 × 1)
    expect(asWorker).toBe(1 + 1 + 1 + 1_000);
    expect(withAlert).toBe(asWorker);
    expect(plain).toBe(2);
  });

  it('should let the dashboard heaviest request through with margin', () => {
    // The sparkline page: 24,000 samples a request (web/src/state/sync.ts).
    const sparklines = costOf(
      `query($first: Int!, $limit: Int!, $since: DateTime!) {
        workers(first: $first) { pageInfo { hasNextPage endCursor } edges { node { id
          metrics(since: $since, limit: $limit) { status cpuUtilization memoryUtilization collectedAt }
        } } }
      }`,
      { first: 100, limit: 240, since: '2026-01-01T00:00:00Z' },
    );

    expect(sparklines).toBeLessThan(MAX_COST / 3);
  });

  it('should answer every bad variable with BAD_USER_INPUT, past graphql-js error limit too', () => {
    const variables = Object.fromEntries(
      Array.from({ length: 60 }, (_, index) => [`v${index}`, 'not a number']),
    );
    const definitions = Object.keys(variables)
      .map((name) => `$${name}: Int`)
      .join(', ');
    const fields = Object.keys(variables)
      .map((name) => `${name}: workers(first: $${name}) { totalCount }`)
      .join(' ');

    const refusals = refusalsOf(`query(${definitions}) { ${fields} }`, variables);
    const missing = refusalsOf('query($id: ID!) { worker(id: $id) { id } }', {});
    const badEnum = refusalsOf(
      'query($s: AlertState) { alerts(filter: { state: $s }) { totalCount } }',
      { s: 'LOUD' },
    );

    expect(refusals).toHaveLength(51);
    expect(refusals.at(-1)?.message).toMatch(/Too many errors processing variables/);
    for (const refusal of [...refusals, ...missing, ...badEnum]) {
      expect(refusal.extensions.code).toBe('BAD_USER_INPUT');
    }
    expect(missing).toHaveLength(1);
    expect(badEnum).toHaveLength(1);
  });

  it('should price an operation once for its variables, and again for other variables', () => {
    const pricing = createOperationPricing(10_000);
    const document = parse(SAMPLES);
    const operation = getOperationAST(document);
    if (!operation) {
      throw new Error('no operation');
    }
    const coercions = jest.spyOn(graphqlValues, 'getVariableValues');
    try {
      const answers = [
        { n: 10, m: 10 },
        { n: 10, m: 10 },
        { n: 500, m: 1_000 },
        { n: 500, m: 1_000 },
        { m: 10, n: 10 },
      ].map((variables) => pricing.refusals(schema, document, operation, variables).length);

      expect(answers).toEqual([0, 0, 1, 1, 0]);
      // Each pricing coerces twice (its own check, then the complexity's). Refused operations
      // are priced every time; the same variables in another order are other variables.
      expect(coercions).toHaveBeenCalledTimes(2 * 4);
    } finally {
      coercions.mockRestore();
    }
  });

  it("should price a series again every time: its window's buckets grow with the clock", () => {
    jest.useFakeTimers({ now: new Date('2026-12-01T01:00:00Z') });
    try {
      const pricing = createOperationPricing(1 + 50 * (1 + 1 + 1 + 12));
      const document = parse(
        'query Series($since: DateTime!) { workers(first: 50) { edges { node { metricSeries(since: $since, resolution: MINUTE) { cpuAvg } } } } }',
      );
      const operation = getOperationAST(document);
      if (!operation) {
        throw new Error('no operation');
      }
      const variables = { since: '2026-12-01T00:50:00Z' };
      const before = pricing.refusals(schema, document, operation, variables);
      jest.setSystemTime(new Date('2026-12-01T02:00:00Z'));
      const after = pricing.refusals(schema, document, operation, variables);

      expect(before).toEqual([]);
      expect(after.map((refusal) => refusal.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
    } finally {
      jest.useRealTimers();
    }
  });
});
