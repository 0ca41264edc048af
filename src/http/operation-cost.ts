import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import {
  BUCKETS_MAX,
  planSeries,
  type MetricResolution,
} from '../services/history/metric-resolution';
import { LruCache } from '../lib/lru-cache';
import { getOrAdd } from '../lib/maps';
import { QueryLimitError } from './query-limit.error';

/** Arguments that say how many items a field answers: each multiplies the cost of its selection. */
const SIZE_ARGUMENTS = ['first', 'last', 'limit'] as const;

/**
 * A list without a size argument (an alert's deliveries, its remediations) is priced as this
 * long: it holds a handful of items, and the answer-size cap stops the rare one that holds more.
 */
export const UNSIZED_LIST_LENGTH = 10;

/** graphql-js stops coercing variables after this many errors, as Apollo Server has it do. */
const MAX_VARIABLE_ERRORS = 50;

/**
 * The price of an operation: the most fields its answer can hold. Every field costs 1; a field
 * with a size argument (literal, variable or default) multiplies what it selects by that size,
 * through every level of nesting and every alias. A connection's `edges` are sized by the
 * connection's `first`.
 */
const estimateFields: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const size = sizeArgument(args) ?? seriesBuckets(field, args);
  if (size !== undefined) {
    return 1 + size * childComplexity;
  }
  if (isListType(getNullableType(field.type)) && !isConnectionEdges(field)) {
    return 1 + UNSIZED_LIST_LENGTH * childComplexity;
  }
  return 1 + childComplexity;
};

function sizeArgument(args: Record<string, unknown>): number | undefined {
  for (const name of SIZE_ARGUMENTS) {
    const value = args[name];
    if (typeof value === 'number') {
      return Math.max(value, 0);
    }
  }
  return undefined;
}

const SERIES_FIELD = 'metricSeries';

/**
 * A series answers one bucket per step of its window: priced by the buckets the window holds.
 * A window the resolver will refuse is priced at the most buckets a series may have; its
 * error comes from the resolver, with the field at fault.
 */
function seriesBuckets(
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
): number | undefined {
  if (field.name !== SERIES_FIELD) {
    return undefined;
  }
  const since = asDate(args.since);
  const until = asDate(args.until);
  const resolution = (args.resolution ?? null) as MetricResolution | null;
  if (!since || (args.until != null && !until)) {
    return BUCKETS_MAX;
  }
  try {
    return planSeries({ since, until, resolution }, new Date()).buckets;
  } catch {
    return BUCKETS_MAX;
  }
}

/** DateTime arguments arrive as a Date from the served schema, as text from a parsed SDL. */
function asDate(value: unknown): Date | null {
  if (value instanceof Date) {
    return value;
  }
  if (typeof value !== 'string') {
    return null;
  }
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

function isConnectionEdges(field: GraphQLField<unknown, unknown>): boolean {
  const edge = getNamedType(field.type);
  return field.name === 'edges' && isObjectType(edge) && 'node' in edge.getFields();
}

export interface OperationPricing {
  /**
   * What stops an operation from running once its variables are known, HTTP and WebSocket
   * alike: variables that do not fit their types (BAD_USER_INPUT, every one of them), else a
   * cost over the limit (QUERY_TOO_COMPLEX). Empty when it may run.
   */
  refusals(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | null | undefined,
  ): GraphQLError[];
}

/**
 * Operations let run, by their variables, per document: a dashboard sends the same few again
 * and again. A series' price depends on the clock as well, so an operation with one is priced
 * every time.
 */
const ACCEPTED_PER_DOCUMENT = 64;

export function createOperationPricing(maxCost: number): OperationPricing {
  const accepted = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, LruCache<string, true>>>();
  const acceptedOf = (schema: GraphQLSchema, document: DocumentNode) =>
    getOrAdd(
      getOrAdd(accepted, schema, () => new WeakMap<DocumentNode, LruCache<string, true>>()),
      document,
      () => new LruCache<string, true>(ACCEPTED_PER_DOCUMENT),
    );
  return {
    refusals(schema, document, operation, variables) {
      const known = acceptedOf(schema, document);
      const key = `${operation.name?.value ?? ''}\n${JSON.stringify(variables ?? {})}`;
      if (known.get(key)) {
        return [];
      }
      const coercion = getVariableValues(
        schema,
        operation.variableDefinitions ?? [],
        variables ?? {},
        {
          maxErrors: MAX_VARIABLE_ERRORS,
        },
      );
      if (coercion.errors) {
        return coercion.errors.map(
          (error) =>
            new GraphQLError(error.message, {
              nodes: error.nodes,
              extensions: { code: 'BAD_USER_INPUT' },
            }),
        );
      }
      let clockRead = false;
      const cost = getComplexity({
        schema,
        query: document,
        operationName: operation.name?.value,
        variables: variables ?? {},
        estimators: [
          (estimate) => {
            clockRead ||= estimate.field.name === SERIES_FIELD;
            return estimateFields(estimate);
          },
        ],
      });
      if (cost > maxCost) {
        return [
          new QueryLimitError(
            `Query cost limit of ${maxCost} exceeded, found ${cost}. The cost is the most fields ` +
              'the answer can hold: ask for fewer items (first, limit) or fewer fields.',
          ),
        ];
      }
      if (!clockRead) {
        known.set(key, true);
      }
      return [];
    },
  };
}
