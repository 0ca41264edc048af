import { buildSchema, GraphQLError, type DocumentNode } from 'graphql';
import { createQueryLimits, QUERY_TOO_COMPLEX } from '../../src/http/query-limits';

const limits = () =>
  createQueryLimits({
    maxDepth: 10,
    maxAliases: 10,
    maxTokens: 1_000,
    maxCost: 5_000,
    maxDirectives: 10,
    introspection: false,
  });

const schema = buildSchema(`
  type Query { hello: String }
  type Subscription { tick(every: Int): Int }
`);
const withoutTick = buildSchema('type Query { hello: String } type Subscription { tock: Int }');

const TICKS = 'subscription Ticks($every: Int) { tick(every: $every) }';

function documentOf(result: DocumentNode | readonly GraphQLError[]): DocumentNode {
  if (Array.isArray(result)) {
    throw new Error(`refused: ${result.map((error: GraphQLError) => error.message).join('; ')}`);
  }
  return result as DocumentNode;
}

describe(createQueryLimits.name, () => {
  it('should hand subscriptions of the same text one parsed document', () => {
    const queryLimits = limits();

    const first = documentOf(queryLimits.check(schema, TICKS));
    // As each subscribe message brings it: equal text, another string.
    const second = documentOf(queryLimits.check(schema, JSON.parse(JSON.stringify(TICKS))));

    expect(second).toBe(first);
  });

  it('should validate the same text again against another schema', () => {
    const queryLimits = limits();
    documentOf(queryLimits.check(schema, TICKS));

    const refused = queryLimits.check(withoutTick, TICKS);

    expect(Array.isArray(refused)).toBe(true);
    expect((refused as GraphQLError[])[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('should refuse a document beyond the limits each time it is sent', () => {
    const queryLimits = limits();
    const tooManyTokens = `subscription { ${'tick '.repeat(1_000)} }`;

    const refusals = [1, 2].map(() => queryLimits.check(schema, tooManyTokens) as GraphQLError[]);

    for (const refused of refusals) {
      expect(refused[0].extensions.code).toBe(QUERY_TOO_COMPLEX);
    }
  });

  it('should keep at most 1,000 documents, forgetting the least recently used ones', () => {
    const queryLimits = limits();
    const other = (index: number) => `subscription Other${index} { tick }`;
    const oldest = documentOf(queryLimits.check(schema, TICKS));
    const recent = documentOf(queryLimits.check(schema, other(0)));

    // 1,002 texts in all: two are forgotten.
    for (let index = 1; index <= 1_000; index += 1) {
      documentOf(queryLimits.check(schema, other(index)));
      if (index === 500) {
        // Used again: it becomes the most recent, and outlives the texts sent before.
        documentOf(queryLimits.check(schema, other(0)));
      }
    }

    expect(queryLimits.check(schema, other(0))).toBe(recent);
    expect(queryLimits.check(schema, TICKS)).not.toBe(oldest);
    expect(documentOf(queryLimits.check(schema, TICKS))).toEqual(oldest);
  });
});
