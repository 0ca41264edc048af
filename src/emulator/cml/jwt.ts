import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims a CML controller puts in its tokens (times in seconds since the epoch). */
export interface CmlTokenClaims {
  iss: string;
  iat: number;
  exp: number;
  /** The user's id (a UUID), not the user name. */
  sub: string;
}

export type TokenCheck =
  { valid: true; claims: CmlTokenClaims } | { valid: false; reason: 'malformed' | 'signature' };

// The header CML's own tokens carry, in the same order.
const HEADER = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));

export function signToken(claims: CmlTokenClaims, secret: Buffer): string {
  const unsigned = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${signature(unsigned, secret)}`;
}

/** Checks the form and HS256 signature only: expiry is the controller's call, on its clock. */
export function checkToken(token: string, secret: Buffer): TokenCheck {
  const parts = token.split('.');
  const [header, payload, signed] = parts;
  if (parts.length !== 3 || header === undefined || payload === undefined || !signed) {
    return { valid: false, reason: 'malformed' };
  }
  const claims = decodeClaims(header, payload);
  if (!claims) {
    return { valid: false, reason: 'malformed' };
  }
  const expected = Buffer.from(signature(`${header}.${payload}`, secret));
  const given = Buffer.from(signed);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { valid: false, reason: 'signature' };
  }
  return { valid: true, claims };
}

function decodeClaims(header: string, payload: string): CmlTokenClaims | undefined {
  try {
    const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
      alg?: unknown;
    };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    if (
      alg !== 'HS256' ||
      typeof claims.iss !== 'string' ||
      typeof claims.iat !== 'number' ||
      typeof claims.exp !== 'number' ||
      typeof claims.sub !== 'string'
    ) {
      return undefined;
    }
    return { iss: claims.iss, iat: claims.iat, exp: claims.exp, sub: claims.sub };
  } catch {
    return undefined;
  }
}

function signature(unsigned: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(unsigned).digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
