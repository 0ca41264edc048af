import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { OperationOutcome, OperationType, ServiceMetrics } from './metrics';

/**
 * Records every GraphQL request Apollo Server answers (HTTP, and `executeOperation`): its
 * operation name and type, whether it ended in errors, and how long it took. Subscriptions
 * over graphql-ws do not go through Apollo Server and are not recorded here.
 */
export function graphqlMetricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin {
  return {
    requestDidStart: () => {
      const startedAt = performance.now();
      let encounteredErrors = false;
      return Promise.resolve({
        didEncounterErrors: () => {
          encounteredErrors = true;
          return Promise.resolve();
        },
        willSendResponse: ({ operation, operationName, response }) => {
          const outcome: OperationOutcome =
            encounteredErrors || hasErrors(response) ? 'error' : 'ok';
          // operationName is only set once the document was parsed, validated and resolved.
          const type: OperationType = operation?.operation ?? 'unknown';
          metrics.recordOperation(operationName, type, outcome, performance.now() - startedAt);
          return Promise.resolve();
        },
      });
    },
  };
}

function hasErrors(response: GraphQLResponse): boolean {
  const result =
    response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
  return (result.errors?.length ?? 0) > 0;
}
