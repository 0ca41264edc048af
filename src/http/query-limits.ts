import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { getOrAdd } from '../lib/maps';
import { LruCache } from '../lib/lru-cache';
import { createOperationPricing, type OperationPricing } from './operation-cost';
import { QUERY_TOO_COMPLEX, QueryLimitError } from './query-limit.error';

export { QUERY_TOO_COMPLEX, QueryLimitError };

export interface QueryLimitOptions {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxDirectives: number;
  /** Off: introspection is refused and validation errors do not suggest field names. */
  introspection: boolean;
}

/** The limits, as Apollo Server takes them and as the WebSocket server applies them. */
export interface QueryLimits {
  readonly apollo: {
    parseOptions: ParseOptions;
    validationRules: ValidationRule[];
    plugins: ApolloServerPlugin[];
  };
  /**
   * Parses and validates like Apollo Server with the same limits (for graphql-ws): the document,
   * or errors that each carry a code. The same valid text gets the same document back while it
   * is among the most recently used. `parsed` sees the document once it parses, valid or not.
   */
  check(
    schema: GraphQLSchema,
    query: string,
    parsed?: (document: DocumentNode) => void,
  ): DocumentNode | readonly GraphQLError[];
  /** Once the variables are known: see OperationPricing. */
  readonly pricing: OperationPricing;
  /** Apollo labels every parse or validation error alike: a refusal gets QUERY_TOO_COMPLEX back. */
  relabel(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

/** graphql-js's own message when `maxTokens` stops the parser. */
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more tha[nt] \d+ tokens\./;
const SUGGESTION = /Did you mean ".+"/g;
const SUGGESTION_MASK = '[Suggestion hidden]';

/**
 * Valid documents kept per schema, as Apollo Server keeps them for HTTP: thousands of dashboards
 * subscribe with the same text, and each parsed copy would cost about 10 KB for the life of the
 * subscription.
 */
const VALID_DOCUMENTS_PER_SCHEMA = 1_000;

/** Armor reports through the validation context, so every broken limit is one error. */
const reportRefusal: GraphQLArmorRejectCallback = (context, error) => {
  context?.reportError(new QueryLimitError(error.message.replace(/^Syntax Error: /, '')));
};

/**
 * Depth, aliases and directives are GraphQL Armor's validation rules. The token limit is
 * graphql-js's own parser option: Armor's Apollo plugin for it throws outside Apollo's parse
 * error handling, which answers 500. The cost needs the variables, which validation does not
 * see: it is priced once the operation is resolved (operation-cost.ts).
 */
export function createQueryLimits(options: QueryLimitOptions): QueryLimits {
  const onRefusal = { onReject: [reportRefusal], propagateOnRejection: false };
  const armor = new ApolloArmor({
    maxTokens: { enabled: false },
    maxDepth: { n: options.maxDepth, ...onRefusal },
    maxAliases: { n: options.maxAliases, ...onRefusal },
    maxDirectives: { n: options.maxDirectives, ...onRefusal },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !options.introspection, mask: SUGGESTION_MASK },
  }).protect();
  const parseOptions: ParseOptions = { maxTokens: options.maxTokens };
  const rules = [
    ...specifiedRules,
    ...armor.validationRules,
    ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  const tokenLimitMessage = `Token limit of ${options.maxTokens} exceeded.`;
  const hideSuggestions = (message: string) =>
    options.introspection ? message : message.replace(SUGGESTION, SUGGESTION_MASK);
  const validDocuments = new WeakMap<GraphQLSchema, LruCache<string, DocumentNode>>();
  const validDocumentsOf = (schema: GraphQLSchema) =>
    getOrAdd(
      validDocuments,
      schema,
      () => new LruCache<string, DocumentNode>(VALID_DOCUMENTS_PER_SCHEMA),
    );

  const pricing = createOperationPricing(options.maxCost);

  return {
    apollo: {
      parseOptions,
      validationRules: armor.validationRules,
      plugins: [...armor.plugins, pricingPlugin(pricing)],
    },
    pricing,
    check(schema, query, parsed) {
      const documents = validDocumentsOf(schema);
      const valid = documents.get(query);
      if (valid) {
        parsed?.(valid);
        return valid;
      }
      let document: DocumentNode;
      try {
        document = parse(query, parseOptions);
      } catch (error) {
        return [parseError(error, tokenLimitMessage)];
      }
      parsed?.(document);
      const errors = validate(schema, document, rules);
      if (errors.length === 0) {
        documents.set(query, document);
        return document;
      }
      return errors.map((error) =>
        error instanceof QueryLimitError
          ? error
          : new GraphQLError(hideSuggestions(error.message), {
              nodes: error.nodes,
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
      );
    },
    relabel(formatted, error) {
      const original = error instanceof GraphQLError ? error.originalError : undefined;
      if (original instanceof QueryLimitError) {
        return { ...formatted, extensions: { ...formatted.extensions, code: QUERY_TOO_COMPLEX } };
      }
      if (original !== undefined && TOKEN_LIMIT_MESSAGE.test(original.message)) {
        // graphql-js's message (with its typo) and the place parsing stopped say nothing useful.
        return {
          message: tokenLimitMessage,
          extensions: { ...formatted.extensions, code: QUERY_TOO_COMPLEX },
        };
      }
      return formatted;
    },
  };
}

/**
 * Answers a refused operation with all its refusals (Apollo reports only the first error a
 * plugin throws), as Apollo answers a request error: 400, before anything runs.
 */
function pricingPlugin(pricing: OperationPricing): ApolloServerPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        responseForOperation: ({ schema, document, operation, request }) => {
          // No operation by that name: Apollo answers it when it goes on to execute.
          const refusals = operation
            ? pricing.refusals(schema, document, operation, request.variables)
            : [];
          if (refusals.length === 0) {
            return Promise.resolve(null);
          }
          return Promise.resolve({
            http: { status: 400, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { errors: refusals.map((e) => e.toJSON()) } },
          });
        },
      }),
  };
}

function parseError(error: unknown, tokenLimitMessage: string): GraphQLError {
  if (!(error instanceof GraphQLError)) {
    throw error;
  }
  if (TOKEN_LIMIT_MESSAGE.test(error.message)) {
    return new QueryLimitError(tokenLimitMessage);
  }
  return new GraphQLError(error.message, {
    source: error.source,
    positions: error.positions,
    extensions: { code: 'GRAPHQL_PARSE_FAILED' },
  });
}
