import {
  execute,
  getOperationAST,
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LruCache } from '../lib/lru-cache';
import { getOrAdd } from '../lib/maps';
import { inSpan } from '../observability/tracing';

export type Execute = (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;

interface CompiledOperation {
  query: CompiledQuery;
  span: string;
  attributes: Record<string, string>;
}

/**
 * graphql-js's `execute`, run as code graphql-jit compiles once per document and operation: a
 * field costs a property read or a resolver call, without the argument map, path and
 * completion graphql-js builds for every field of every answer. Queries, mutations and the
 * events of subscriptions alike.
 *
 * The answers are graphql-js's, and so are the errors clients see:
 * - Compiled code reads a field without a resolver as a plain property, where graphql-js calls
 *   a function it finds there: the schema's types of plain data hold no methods under their
 *   fields' names (test/unit/schema.spec.ts holds them to it).
 * - Its errors become graphql-js's (extensions, locations, the error a resolver threw).
 * - graphql-jit coerces variables with messages of its own, where Apollo Server recognizes
 *   graphql-js's to answer BAD_USER_INPUT. Refused variables run nothing, so graphql-js runs
 *   the operation again and its errors go out.
 * - A document graphql-jit cannot compile, or an unknown operation, runs on graphql-js.
 * Compiled code is kept by document object, which the parsers' caches (Apollo Server's document
 * store, the WebSocket limits' valid documents) hand out again for the same text.
 */
export function compiledExecution(
  schema: GraphQLSchema,
  options: {
    /**
     * Runs of a document on graphql-js before it is compiled. Compiling costs 3 to 4 times
     * what validating does (4 to 7 ms for the dashboard's page of workers): with 1, a document
     * is compiled when it comes a second time, and a caller sending ever new documents gets
     * them run as before, never compiled.
     */
    compileAfterRuns: number;
    /**
     * Documents whose code is kept, the least recently run going first (and compiled again if
     * it comes back). A document's code holds some 60 KB, 4 times the document itself.
     */
    maxCompiledDocuments: number;
    /** graphql-jit's compiler; a test counts its calls. */
    compile?: typeof compileQuery;
  },
): Execute {
  const compileWith = options.compile ?? compileQuery;
  /** Per document and operation: its runs on graphql-js so far, null once it cannot compile. */
  const runs = new WeakMap<DocumentNode, Map<string, number | null>>();
  const kept = new LruCache<DocumentNode, Map<string, CompiledOperation>>(
    options.maxCompiledDocuments,
  );
  const compile = (
    document: DocumentNode,
    operationName: string | undefined,
  ): CompiledOperation | undefined => {
    const operation = getOperationAST(document, operationName);
    // graphql-jit's own errors (a null where none may be) go without a stack: never sent, and
    // a resolver's error keeps its own.
    const result = compileWith(schema, document, operationName, {
      disablingCapturingStackErrors: true,
    });
    if (!isCompiledQuery(result) || !operation) {
      return undefined;
    }
    const name = operation.name?.value;
    return {
      query: result,
      // As OpenTelemetry's graphql-js instrumentation names and describes its execute span.
      span: name ? `${operation.operation} ${name}` : operation.operation,
      attributes: {
        'graphql.operation.type': operation.operation,
        ...(name ? { 'graphql.operation.name': name } : {}),
      },
    };
  };
  const compiledFor = (args: ExecutionArgs): CompiledOperation | undefined => {
    const key = args.operationName ?? '';
    const found = kept.get(args.document)?.get(key);
    if (found) {
      return found;
    }
    const counts = getOrAdd(runs, args.document, () => new Map<string, number | null>());
    const count = counts.get(key);
    if (count === null) {
      return undefined;
    }
    if ((count ?? 0) < options.compileAfterRuns) {
      counts.set(key, (count ?? 0) + 1);
      return undefined;
    }
    const operation = compile(args.document, args.operationName ?? undefined);
    if (!operation) {
      counts.set(key, null);
      return undefined;
    }
    const ofDocument = kept.get(args.document) ?? new Map<string, CompiledOperation>();
    ofDocument.set(key, operation);
    kept.set(args.document, ofDocument);
    return operation;
  };
  return (args) => {
    const operation = args.schema === schema ? compiledFor(args) : undefined;
    if (!operation) {
      return execute(args);
    }
    const { query, span, attributes } = operation;
    return inSpan(span, { attributes }, async () =>
      graphqlJsErrorsOnRefusal(
        await query.query(args.rootValue, args.contextValue, args.variableValues),
        args,
      ),
    );
  };
}

/**
 * An answer without data was refused before anything ran: graphql-js says why, in its words.
 * Otherwise its errors become graphql-js's own.
 */
function graphqlJsErrorsOnRefusal(
  result: ExecutionResult,
  args: ExecutionArgs,
): ExecutionResult | Promise<ExecutionResult> {
  if (!result.errors) {
    return result;
  }
  if (!('data' in result)) {
    return execute(args);
  }
  // In graphql-js's order: graphql-ws sends a result as it is.
  return { errors: result.errors.map(asGraphqlJsError), data: result.data };
}

/**
 * graphql-jit's errors pass `instanceof GraphQLError`, yet they are not quite one: without
 * extensions of their own (Apollo Server reads `extensions.code` of every error, and throws on
 * theirs) and without nodes. The same error as graphql-js makes it, at the same locations.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const rebuilt = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError,
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
  return Object.assign(rebuilt, { locations: error.locations });
}
