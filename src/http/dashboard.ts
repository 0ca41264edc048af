import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import type { Logger } from '../logger';

const INDEX_FILE = 'index.html';
const ONE_YEAR_MS = 365 * 86_400_000;

/** Files only: no directory listing, no redirect to a directory, no dotfiles; misses go on. */
const FILES_ONLY = {
  index: false,
  redirect: false,
  dotfiles: 'ignore',
  fallthrough: true,
} as const;

/** index.html names the current asset files, and public/ files keep their names across builds. */
const revalidate = (res: ServerResponse) => res.setHeader('cache-control', 'no-cache');

/** Answers `/` while DASHBOARD_DIR holds no build; the path stays in the log, not in the answer. */
const notBuilt: RequestHandler = (_req, res) => {
  res
    .status(503)
    .set('cache-control', 'no-store')
    .type('text')
    .send(
      'The dashboard has not been built: run `npm run build`, then reload. GraphiQL is at /graphql.\n',
    );
};

/**
 * The operator dashboard that `vite build` writes to `dir`: its page at `/`, its hashed bundles
 * under `/assets`, and the files it copies from `public/` (favicon.svg) at the top. The build is
 * looked for on every request, so one made while the service runs is served without a restart.
 */
export function dashboardRouter(dir: string, logger: Logger): Router {
  if (!existsSync(path.join(dir, INDEX_FILE))) {
    logger.warn(
      { dir },
      'the dashboard is not built (no index.html in DASHBOARD_DIR): / answers 503 until `npm run build` writes it',
    );
  }
  const router = Router();
  // Vite names these by their content: a file never changes, a new build brings new names.
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), {
      ...FILES_ONLY,
      immutable: true,
      maxAge: ONE_YEAR_MS,
    }),
  );
  router.use(
    express.static(dir, {
      ...FILES_ONLY,
      // So that `/` answers with the page; Vite writes no other index.html.
      index: INDEX_FILE,
      cacheControl: false,
      setHeaders: revalidate,
    }),
  );
  router.get('/', notBuilt);
  return router;
}
