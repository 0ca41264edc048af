import type { ApolloServerPlugin } from '@apollo/server';
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
import { LruCache } from './lru-cache';
import { getOrAdd } from '../lib/maps';

/** The code of a document refused for its size or shape, before anything runs. */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

export interface QueryLimitOptions {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxDirectives: number;
  /** Off: introspection is refused and validation errors do not suggest field names. */
  introspection: boolean;
}

/** What a refused document is told, whichever limit it broke. */
export class QueryLimitError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: QUERY_TOO_COMPLEX } });
    this.name = 'QueryLimitError';
  }
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
   * is among the most recently used.
   */
  check(schema: GraphQLSchema, query: string): DocumentNode | readonly GraphQLError[];
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
 * Depth, aliases, directives and cost are GraphQL Armor's validation rules. The token limit is
 * graphql-js's own parser option: Armor's Apollo plugin for it throws outside Apollo's parse
 * error handling, which answers 500.
 */
export function createQueryLimits(options: QueryLimitOptions): QueryLimits {
  const onRefusal = { onReject: [reportRefusal], propagateOnRejection: false };
  const armor = new ApolloArmor({
    maxTokens: { enabled: false },
    maxDepth: { n: options.maxDepth, ...onRefusal },
    maxAliases: { n: options.maxAliases, ...onRefusal },
    maxDirectives: { n: options.maxDirectives, ...onRefusal },
    costLimit: { maxCost: options.maxCost, ...onRefusal },
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

  return {
    apollo: {
      parseOptions,
      validationRules: armor.validationRules,
      plugins: armor.plugins,
    },
    check(schema, query) {
      const documents = validDocumentsOf(schema);
      const valid = documents.get(query);
      if (valid) {
        return valid;
      }
      let document: DocumentNode;
      try {
        document = parse(query, parseOptions);
      } catch (error) {
        return [parseError(error, tokenLimitMessage)];
      }
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
