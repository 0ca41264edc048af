import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import { getOrAdd } from '../lib/maps';

/**
 * PostgreSQL text cannot hold U+0000: an argument carrying one would fail deep in a query, as an
 * internal error. No input of this API has a use for it, so it is refused before anything runs.
 */
export function refuseNulCharacters(
  document: DocumentNode,
  variables: unknown,
): GraphQLError | null {
  if (!containsNul(variables) && !literalContainsNul(document)) {
    return null;
  }
  return new GraphQLError('Text must not contain the NUL character (U+0000)', {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

/** Refuses operations over HTTP whose arguments or variables contain U+0000. */
export const nulCharacterPlugin: ApolloServerPlugin<object> = {
  requestDidStart: () =>
    Promise.resolve({
      didResolveOperation: ({ document, request }) => {
        const refusal = refuseNulCharacters(document, request.variables);
        return refusal ? Promise.reject(refusal) : Promise.resolve();
      },
    }),
};

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('\u0000');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item));
  }
  return false;
}

/** Documents are parsed once and cached (by Apollo Server, by the WebSocket limits): so is this. */
const literalsWithNul = new WeakMap<DocumentNode, boolean>();

function literalContainsNul(document: DocumentNode): boolean {
  return getOrAdd(literalsWithNul, document, () => visitForNul(document));
}

function visitForNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (node.value.includes('\u0000')) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}
