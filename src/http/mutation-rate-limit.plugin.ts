import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { RateLimiter } from './rate-limiter';
import { requestFactsOf } from './request-facts';

export const RATE_LIMITED = 'RATE_LIMITED';

/**
 * Takes one token per root field of a mutation, so aliasing ten mutations into one operation
 * costs ten; null when allowed, else the error to answer (HTTP 429 with Retry-After).
 */
export function refuseMutation(
  limiter: RateLimiter,
  caller: string,
  operation: OperationDefinitionNode,
  document: DocumentNode,
): GraphQLError | null {
  const decision = limiter.take(caller, countRootFields(operation.selectionSet, document));
  if (decision.allowed) {
    return null;
  }
  const { retryAfterSeconds } = decision;
  return new GraphQLError(`Too many mutations: retry in ${retryAfterSeconds} s`, {
    extensions: {
      code: RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

/** Refuses mutations over HTTP beyond the caller's rate, before they run. */
export function mutationRateLimitPlugin(limiter: RateLimiter): ApolloServerPlugin<object> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ operation, document, contextValue }) => {
          const caller = requestFactsOf(contextValue)?.caller;
          if (operation?.operation !== OperationTypeNode.MUTATION || caller === undefined) {
            return Promise.resolve();
          }
          const refusal = refuseMutation(limiter, caller, operation, document);
          return refusal ? Promise.reject(refusal) : Promise.resolve();
        },
      }),
  };
}

function countRootFields(
  selectionSet: SelectionSetNode,
  document: DocumentNode,
  seen = new Set<string>(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      count += selection.name.value === '__typename' ? 0 : 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(selection.selectionSet, document, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (definition): definition is FragmentDefinitionNode =>
          definition.kind === Kind.FRAGMENT_DEFINITION &&
          definition.name.value === selection.name.value,
      );
      count += fragment ? countRootFields(fragment.selectionSet, document, seen) : 0;
    }
  }
  return count;
}
