import type { Principal } from '../auth/principal';

/** What the HTTP layer knows of a request that GraphQL plugins need. */
export interface RequestFacts {
  /** Whose rate limit a mutation counts against (see `callerKey`). */
  caller: string;
  /** The answer is `application/json` rather than `application/graphql-response+json`. */
  legacyJson: boolean;
}

const REQUEST_FACTS = Symbol('requestFacts');

type WithFacts = { [REQUEST_FACTS]?: RequestFacts };

/** Kept on the context under a symbol: Apollo copies the context per operation, symbols included. */
export function attachRequestFacts<T extends object>(context: T, facts: RequestFacts): T {
  return Object.assign(context, { [REQUEST_FACTS]: facts });
}

export function requestFactsOf(context: object): RequestFacts | undefined {
  return (context as WithFacts)[REQUEST_FACTS];
}

/**
 * Limits count per principal when authentication is on, else per client address (behind a
 * proxy, the proxy's: all anonymous callers share it).
 */
export function callerKey(principal: Principal | null, address: string | undefined): string {
  return principal && principal.source !== 'none'
    ? `${principal.source}:${principal.name}`
    : `address:${address ?? 'unknown'}`;
}
