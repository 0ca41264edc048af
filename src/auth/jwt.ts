import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { AuthError } from './auth-error';
import { isRole, withImpliedRoles, type Principal } from './principal';

/** Asymmetric algorithms only: an HMAC secret or `alg: none` would let anyone mint tokens. */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

export const DEFAULT_ROLES_CLAIM = 'realm_access.roles';
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

export interface JwtVerifierOptions {
  /** The identity provider's JSON Web Key Set, e.g. `<realm>/protocol/openid-connect/certs`. */
  jwksUrl: string;
  /** Tokens must carry exactly this `iss`. */
  issuer: string;
  /** When set, tokens must carry it in `aud`. */
  audience?: string;
  /**
   * Where the roles are: a claim name, or a dot path into nested claims (Keycloak realm roles by
   * default; `resource_access.<client>.roles` for client roles). Only `viewer` and `operator` count.
   */
  rolesClaim?: string;
  /**
   * Leeway on `exp` and `nbf` for clock skew; 30 seconds by default. The principal's `expiresAt`
   * includes it, so that a token accepted here is not refused later as expired.
   */
  clockToleranceSeconds?: number;
  /**
   * Key set caching, jose's defaults otherwise. A token with an unknown `kid` refetches the key
   * set (key rotation), at most once per cooldown.
   */
  jwks?: { cooldownMs?: number; cacheMaxAgeMs?: number; timeoutMs?: number };
}

/** Verifies bearer JWTs against the identity provider's published keys. */
export class JwtVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly rolesPath: string;
  private readonly clockToleranceSeconds: number;

  constructor(private readonly options: JwtVerifierOptions) {
    const remote = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.jwks?.cooldownMs,
      cacheMaxAge: options.jwks?.cacheMaxAgeMs,
      timeoutDuration: options.jwks?.timeoutMs,
    });
    this.keys = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        throw isTokenFault(error) ? error : keysUnavailable(error);
      }
    };
    this.rolesPath = options.rolesClaim ?? DEFAULT_ROLES_CLAIM;
    this.clockToleranceSeconds = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  }

  /**
   * The token's principal. Throws AuthError `expired` or `invalid`, or a DomainError
   * UPSTREAM_UNAVAILABLE when the key set cannot be fetched: the token may well be good.
   */
  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [...JWT_ALGORITHMS],
        clockTolerance: this.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw toAuthFailure(error);
    }
    return this.toPrincipal(payload);
  }

  private toPrincipal(payload: JWTPayload): Principal {
    const name = nonEmptyString(payload.preferred_username) ?? nonEmptyString(payload.sub);
    if (name === undefined || payload.exp === undefined) {
      throw new AuthError('invalid');
    }
    const claimed = readClaim(payload, this.rolesPath);
    const listed = typeof claimed === 'string' ? claimed.split(/\s+/) : claimed;
    const roles = Array.isArray(listed) ? listed.filter(isRole) : [];
    return {
      name,
      roles: withImpliedRoles(roles),
      source: 'jwt',
      expiresAt: new Date((payload.exp + this.clockToleranceSeconds) * 1000),
    };
  }
}

/** Errors of the key lookup that come from the token (e.g. a `kid` nobody published). */
function isTokenFault(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

function keysUnavailable(cause: unknown): DomainError {
  return new DomainError(
    ErrorCode.UPSTREAM_UNAVAILABLE,
    'the keys to verify the token could not be fetched from the identity provider',
    undefined,
    { cause },
  );
}

function toAuthFailure(error: unknown): unknown {
  if (error instanceof errors.JWTExpired) {
    return new AuthError('expired', { cause: error });
  }
  if (error instanceof errors.JOSEError) {
    return new AuthError('invalid', { cause: error });
  }
  return error;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A claim by its full name (which may contain dots, as URL-named claims do), else by dot path. */
function readClaim(payload: JWTPayload, path: string): unknown {
  if (Object.hasOwn(payload, path)) {
    return payload[path];
  }
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
