import { DomainError, ErrorCode } from '../errors/domain-error';

export type AuthFailure = 'invalid' | 'expired';

const FAILURE_MESSAGES: Record<AuthFailure, string> = {
  invalid: 'invalid credentials',
  expired: 'credentials expired',
};

/**
 * A credential was presented and rejected. A DomainError with code UNAUTHENTICATED, so that
 * it reaches clients as such wherever it is thrown; `reason` lets transports tell the cases apart
 * (e.g. `WWW-Authenticate: Bearer error="invalid_token"`). The message never says why a
 * credential was invalid: that would help guessing.
 */
export class AuthError extends DomainError {
  constructor(
    readonly reason: AuthFailure,
    options?: { cause?: unknown },
  ) {
    super(ErrorCode.UNAUTHENTICATED, FAILURE_MESSAGES[reason], undefined, options);
    this.name = 'AuthError';
  }
}

/** No credential was presented where one is needed. */
export const unauthenticated = (message = 'authentication required') =>
  new DomainError(ErrorCode.UNAUTHENTICATED, message);

/** The caller is known but lacks the role the operation needs. */
export const forbidden = (message = 'not allowed') => new DomainError(ErrorCode.FORBIDDEN, message);
