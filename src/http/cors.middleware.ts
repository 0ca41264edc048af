import type { RequestHandler } from 'express';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Apollo's CSRF prevention lets a GET through with either of the last two (see README). */
const ALLOWED_HEADERS =
  'content-type, authorization, apollo-require-preflight, x-apollo-operation-name';
/**
 * Beyond the CORS-safelisted ones, what a cross-origin script may read of an answer: when a
 * mutation refused by the rate limit (429) may be tried again.
 */
const EXPOSED_HEADERS = 'retry-after';
/** Browsers cache a preflight answer this long (seconds). */
const PREFLIGHT_MAX_AGE = '600';

/**
 * CORS for the listed origins only; without any, no CORS header at all (same origin only).
 * Credentials travel in the Authorization header, never in cookies: no Allow-Credentials.
 */
export function corsMiddleware(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    if (allowed.size === 0) {
      next();
      return;
    }
    res.vary('Origin');
    const origin = req.headers.origin;
    const isAllowed = origin !== undefined && allowed.has(origin);
    if (isAllowed) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) {
      next();
      return;
    }
    if (isAllowed) {
      res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE);
    }
    res.status(204).end();
  };
}
