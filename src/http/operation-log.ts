import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { getOperationAST, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger';
import { requestFactsOf } from './request-facts';

/** What one `graphql operation` line says; never the document nor its variables. */
export interface OperationLine {
  /** Null until the document was parsed and its operation found. */
  operation: string | null;
  type: 'query' | 'mutation' | 'subscription' | 'unknown';
  transport: 'http' | 'ws';
  durationMs: number;
  outcome: 'ok' | 'error';
  /** The first error's `extensions.code`, as the client saw it. */
  code?: string;
  caller: string | undefined;
}

/** Logs in the active context: the operation's span gives the line its trace id. */
export function logOperation(logger: Logger, line: OperationLine): void {
  logger.info(line, 'graphql operation');
}

export function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 10) / 10;
}

export function firstCode(
  errors: readonly GraphQLFormattedError[] | undefined,
): string | undefined {
  const code = errors?.[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** One line per operation Apollo Server answers over HTTP, once its answer is ready. */
export function operationLogPlugin(logger: Logger): ApolloServerPlugin<object> {
  return {
    requestDidStart: () => {
      const startedAt = performance.now();
      return Promise.resolve({
        willSendResponse: ({
          operation,
          operationName,
          document,
          request,
          response,
          contextValue,
        }) => {
          const code = firstCode(errorsOf(response));
          // A document that parsed but failed validation has no operation yet: it still has names.
          const definition =
            operation ?? (document ? getOperationAST(document, request.operationName) : null);
          logOperation(logger, {
            operation: operationName ?? definition?.name?.value ?? null,
            type: definition?.operation ?? 'unknown',
            transport: 'http',
            durationMs: elapsedMs(startedAt),
            outcome: errorsOf(response) ? 'error' : 'ok',
            ...(code === undefined ? {} : { code }),
            caller: requestFactsOf(contextValue)?.caller,
          });
          return Promise.resolve();
        },
      });
    },
  };
}

function errorsOf(response: GraphQLResponse): readonly GraphQLFormattedError[] | undefined {
  const result =
    response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
  return result.errors && result.errors.length > 0 ? result.errors : undefined;
}
