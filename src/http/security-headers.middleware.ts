import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const nonces = new WeakMap<ServerResponse, string>();

/** The nonce this response's Content-Security-Policy lets inline scripts and styles run with. */
export function cspNonceOf(res: ServerResponse): string | undefined {
  return nonces.get(res);
}

const withNonce = (_req: unknown, res: ServerResponse) => `'nonce-${nonces.get(res) ?? ''}'`;

/**
 * Helmet's headers on every response, with a Content-Security-Policy that lets GraphiQL run from
 * this origin alone: its bundles from /graphiql/assets, its one inline script and style (and the
 * styles its dialogs add) by nonce, data: fonts and images from its stylesheet, and fetch and
 * WebSocket to this origin. No HSTS: TLS is the proxy's, which knows whether to send it.
 */
export function securityHeaders(): RequestHandler[] {
  return [
    (_req, res, next) => {
      nonces.set(res, randomBytes(16).toString('base64'));
      next();
    },
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", withNonce],
          styleSrc: ["'self'", withNonce],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      strictTransportSecurity: false,
    }),
  ];
}
