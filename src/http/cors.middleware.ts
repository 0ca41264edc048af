import type { RequestHandler } from 'express';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'content-type, authorization';
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
