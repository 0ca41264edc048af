import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../logger';

/** What a log line keeps of an error: never the client objects drivers hang on theirs. */
export interface ErrorSummary {
  message: string;
  code?: string;
}

export function summarizeError(error: unknown): ErrorSummary {
  if (!(error instanceof Error)) {
    return { message: String(error) };
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number'
    ? { message: error.message, code: String(code) }
    : { message: error.message };
}

/** Socket errors, and PostgreSQL's connection-exception class and shutdown codes. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);
/** node-postgres reports a dropped or unusable connection without a code. */
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed and is not queryable/i;

const MONGO_CONNECTION_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
]);

/** Whether `error` says the store is out of reach, rather than that a statement was wrong. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) {
    return true;
  }
  return MONGO_CONNECTION_ERRORS.has(error.name) || CONNECTION_MESSAGES.test(error.message);
}

export interface ConnectionWatchOptions {
  /** The store as readiness names it: postgres, jobStore, redis. */
  name: string;
  logger: Logger;
  /** How often a client with a probe is tried while down. */
  probeEveryMs?: number;
  now?: () => number;
}

/**
 * The up/down state of one store, over all the clients a process holds to it. Drivers report
 * every failed attempt while a store is away (ioredis each reconnect, node-postgres each pooled
 * client): this turns them into one warning at the loss and one line at the recovery, with how
 * many errors came in between and how long it lasted.
 */
export class ConnectionWatch {
  /** Clients that reported an error and have not reconnected since. */
  private readonly failing = new Set<string>();
  private lostAt: number | undefined;
  private errors = 0;
  private readonly probes = new Map<
    string,
    { run: () => Promise<unknown>; timer?: NodeJS.Timeout }
  >();
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: ConnectionWatchOptions) {
    this.now = options.now ?? Date.now;
  }

  /** `client` failed: lost the connection, or could not make one. */
  down(client: string, error: unknown): void {
    if (this.closed) {
      return;
    }
    this.errors += 1;
    this.failing.add(client);
    this.scheduleProbe(client);
    if (this.lostAt !== undefined) {
      return;
    }
    this.lostAt = this.now();
    this.options.logger.warn(
      { connection: this.options.name, client, error: summarizeError(error) },
      `${this.options.name} connection lost`,
    );
  }

  /** `client` is connected and answering again. */
  up(client: string): void {
    if (!this.failing.delete(client) || this.failing.size > 0 || this.lostAt === undefined) {
      return;
    }
    this.options.logger.info(
      { connection: this.options.name, errors: this.errors, outageMs: this.now() - this.lostAt },
      `${this.options.name} connection recovered`,
    );
    this.lostAt = undefined;
    this.errors = 0;
  }

  /**
   * Tries `run` every `probeEveryMs` while `client` is down, until it answers: a client nothing
   * uses while the store is away (an idle service's pool) would otherwise never say it is back.
   */
  probeWith(client: string, run: () => Promise<unknown>): void {
    this.probes.set(client, { run });
  }

  /** The clients are closing on purpose: what they report now is no outage. */
  close(): void {
    this.closed = true;
    this.probes.forEach((probe) => clearTimeout(probe.timer));
  }

  private scheduleProbe(client: string): void {
    const probe = this.probes.get(client);
    if (!probe || probe.timer !== undefined) {
      return;
    }
    probe.timer = setTimeout(() => {
      probe.timer = undefined;
      probe.run().then(
        () => this.up(client),
        () => {
          if (!this.closed && this.failing.has(client)) {
            this.errors += 1;
            this.scheduleProbe(client);
          }
        },
      );
    }, this.options.probeEveryMs ?? 1_000);
    probe.timer.unref();
  }
}

/**
 * Reports the errors of `pool`'s connections to `watch` as `client`, and its next new connection
 * (or answered probe) as the recovery. node-postgres listens to a connection only while it is idle: one that fails
 * while checked out, between two statements of a transaction, would end the process.
 */
export function watchPool(pool: Pool, watch: ConnectionWatch, client: string): void {
  const lost = (error: Error) => watch.down(client, error);
  watch.probeWith(client, () => pool.query('SELECT 1'));
  pool.on('error', lost);
  pool.on('connect', () => watch.up(client));
  pool.on('acquire', (connection: PoolClient) => connection.on('error', lost));
  pool.on('release', (_error: unknown, connection: PoolClient) =>
    connection.removeListener('error', lost),
  );
}
