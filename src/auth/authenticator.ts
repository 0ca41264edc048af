import type { ApiKeyVerifier } from './api-keys';
import { AuthError } from './auth-error';
import type { JwtVerifier } from './jwt';
import { ANONYMOUS_PRINCIPAL, type Principal } from './principal';

export interface AuthenticatorOptions {
  apiKeys?: ApiKeyVerifier;
  jwt?: JwtVerifier;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** Three base64url segments: a JWS in compact serialization. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Turns an HTTP `Authorization` header (or the same value sent in graphql-ws connection params)
 * into a principal.
 *
 * The credential's shape picks the one verifier that checks it, without falling back to the
 * other: a JWT (three dot-separated segments) goes to the JWT verifier when one is configured,
 * anything else to the API keys. A fallback would turn an expired token into a mere invalid API
 * key and double the work an attacker can cause per request. API keys should hence not contain
 * two dots (`openssl rand -hex 32` makes good keys).
 */
export class Authenticator {
  constructor(private readonly verifiers: AuthenticatorOptions = {}) {}

  /** Off when neither API keys nor JWT are configured: everybody is the anonymous operator. */
  get enabled(): boolean {
    return this.verifiers.apiKeys !== undefined || this.verifiers.jwt !== undefined;
  }

  /**
   * The caller's principal; null when no credential was presented (the caller is anonymous and
   * the auth checker decides). Throws AuthError when a credential was presented but is not good,
   * and passes on the JWT verifier's UPSTREAM_UNAVAILABLE when the key set cannot be fetched.
   */
  async authenticate(authorization: string | undefined): Promise<Principal | null> {
    if (!this.enabled) {
      return { ...ANONYMOUS_PRINCIPAL, roles: [...ANONYMOUS_PRINCIPAL.roles] };
    }
    if (authorization === undefined || authorization.trim() === '') {
      return null;
    }
    const credential = BEARER.exec(authorization)?.[1];
    if (credential === undefined) {
      throw new AuthError('invalid');
    }
    return await this.verify(credential);
  }

  private async verify(credential: string): Promise<Principal> {
    const { apiKeys, jwt } = this.verifiers;
    if (jwt && JWT_SHAPE.test(credential)) {
      return await jwt.verify(credential);
    }
    const principal = apiKeys?.verify(credential) ?? null;
    if (principal === null) {
      throw new AuthError('invalid');
    }
    return principal;
  }
}
