import { performance } from 'node:perf_hooks';
import { context } from '@opentelemetry/api';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logger';
import { callerKey } from './request-facts';

/** Probes and scrapes: every few seconds from every load balancer and Prometheus. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

const CALLER = Symbol('caller');

type WithCaller = Response & { [CALLER]?: string };

/** Who the request was from, once authentication knows (`callerKey`); its address otherwise. */
export function setRequestCaller(res: Response, caller: string): void {
  (res as WithCaller)[CALLER] = caller;
}

/**
 * One `http request` line per answered request: method, path (never the query string, where a
 * token may travel), status, duration and caller, and the request's trace id when tracing is on.
 * Probes are logged at debug. A request the client gave up on is logged with `aborted`.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const startedAt = performance.now();
    // The request's span is active here, not when the socket reports the answer sent.
    const active = context.active();
    const path = req.path;
    const write = (aborted: boolean) => {
      const line = {
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
        caller: (res as WithCaller)[CALLER] ?? callerKey(null, req.ip),
        ...(aborted ? { aborted } : {}),
      };
      context.with(active, () => {
        if (PROBE_PATHS.has(path)) {
          logger.debug(line, 'http request');
        } else {
          logger.info(line, 'http request');
        }
      });
    };
    res.once('finish', () => write(false));
    res.once('close', () => {
      if (!res.writableFinished) {
        write(true);
      }
    });
    next();
  };
}
