import type { AuthCheckerFn } from 'type-graphql';
import { AuthError, forbidden, unauthenticated } from './auth-error';
import { hasRole, isExpired, isRole, type Principal, type Role } from './principal';

/** What the auth checker needs of the GraphQL context. */
export interface AuthContext {
  principal?: Principal | null;
}

/**
 * Implements `@Authorized()` (any authenticated caller) and `@Authorized('viewer' | 'operator')`
 * (any of the listed roles, an operator holding viewer too). Throws our own DomainErrors rather
 * than returning false, so that clients get UNAUTHENTICATED / FORBIDDEN from the error formatter
 * and not type-graphql's own error classes.
 */
export const authChecker: AuthCheckerFn<AuthContext> = ({ context }, roles) => {
  const required = roles.map(toRole);
  const principal = callerOf(context);
  // A WebSocket keeps its principal for the connection's life, which may outlast the token.
  if (isExpired(principal)) {
    throw new AuthError('expired');
  }
  if (required.length > 0 && !required.some((role) => hasRole(principal, role))) {
    throw forbidden(`this operation requires the ${required.join(' or ')} role`);
  }
  return true;
};

/** The caller; for resolvers behind `@Authorized`, which has made sure there is one. */
export function callerOf(context: AuthContext): Principal {
  if (!context.principal) {
    throw unauthenticated();
  }
  return context.principal;
}

function toRole(name: string): Role {
  if (!isRole(name)) {
    // A typo in a decorator: fail the operation loudly rather than grant or deny silently.
    throw new Error(`@Authorized names an unknown role "${name}"`);
  }
  return name;
}
