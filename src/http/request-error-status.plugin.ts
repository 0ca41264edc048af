import type { ApolloServerPlugin } from '@apollo/server';
import { requestFactsOf } from './request-facts';

/** Apollo's codes for a document or variables that are wrong: GraphQL request errors. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * GraphQL over HTTP: a client that accepts only `application/json` may not read the body of a
 * 4xx, so request errors are answered 200 there; `application/graphql-response+json` keeps
 * Apollo's 400. Limit refusals (QUERY_TOO_COMPLEX) and refused requests stay 4xx for everyone.
 */
export const requestErrorStatusPlugin: ApolloServerPlugin<object> = {
  requestDidStart: () =>
    Promise.resolve({
      willSendResponse: ({ response, contextValue }) => {
        if (
          response.http.status === 400 &&
          response.body.kind === 'single' &&
          requestFactsOf(contextValue)?.legacyJson
        ) {
          const errors = response.body.singleResult.errors ?? [];
          if (
            errors.length > 0 &&
            errors.every((error) => REQUEST_ERROR_CODES.has(String(error.extensions?.code)))
          ) {
            response.http.status = 200;
          }
        }
        return Promise.resolve();
      },
    }),
};
