import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { CmlCredentials } from '../../config';
import { inSpan } from '../../observability/tracing';

/** Every CML call the service makes, as metrics and spans name them. */
export type CmlCallName =
  'authenticate' | 'system_information' | 'licensing' | 'populate_lab_tiles';

export type CmlCallOutcome = 'ok' | 'unauthorized' | 'error' | 'unreachable' | 'timeout';

export interface CmlClientOptions {
  tls: { caFile: string | undefined; insecure: boolean };
  /** Told of every call, for the service's metrics. */
  onCall?: (call: CmlCallName, outcome: CmlCallOutcome, seconds: number) => void;
  now?: () => number;
}

/** The controller could not be reached: refused, reset, timed out, TLS failed. */
export class CmlUnreachableError extends Error {
  override readonly name: string = 'CmlUnreachableError';
}

/** The controller answered, but not with what was asked (an HTTP error, a body that is not JSON). */
export class CmlAnswerError extends Error {
  override readonly name: string = 'CmlAnswerError';

  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The controller refused the credentials. */
export class CmlCredentialsError extends CmlAnswerError {
  override readonly name = 'CmlCredentialsError';
}

export interface CmlTarget {
  /** Base URL of the controller; the API is under `/api/v0`. */
  endpoint: string;
  credentials: CmlCredentials;
  /** Epoch ms by which every call of this read must have answered. */
  deadline: number;
}

/** The lab tiles listing: every lab with its state and each of its nodes. */
export interface LabTiles {
  lab_tiles?: Record<
    string,
    {
      id?: string;
      lab_title?: string;
      state?: string;
      owner_username?: string | null;
      node_count?: number;
      modified?: string | null;
      topology?: { nodes?: { state?: string }[] };
    }
  >;
}

export interface SystemInformation {
  version?: string;
  ready?: boolean;
}

export interface Licensing {
  registration?: { status?: string | null; expires?: string | null };
  authorization?: { status?: string | null; expires?: string | null };
}

interface CachedToken {
  token: string;
  /** Epoch ms from the JWT's `exp`; undefined when the token does not say. */
  expiresAt: number | undefined;
}

/** A token this close to its expiry is renewed before use, not after a 401. */
const RENEW_BEFORE_MS = 30_000;
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * A small client of the CML 2.x REST API (`/api/v0`): JWT bearer tokens cached per controller
 * and user, renewed before they expire and after a 401; every call ends by its read's deadline.
 */
export class CmlClient {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly authenticating = new Map<string, Promise<string>>();
  private readonly httpsAgent: HttpsAgent;
  // No cap per host: CML_CONCURRENCY bounds the calls, and behind one address (the emulator, a
  // proxy) many controllers would otherwise wait on a few sockets.
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly now: () => number;

  constructor(private readonly options: CmlClientOptions) {
    this.now = options.now ?? Date.now;
    this.httpsAgent = new HttpsAgent({
      keepAlive: true,
      ca: options.tls.caFile ? readFileSync(options.tls.caFile) : undefined,
      rejectUnauthorized: !options.tls.insecure,
    });
  }

  /** No authentication needed: answers even before the controller is ready. */
  systemInformation(target: CmlTarget): Promise<SystemInformation> {
    return this.call<SystemInformation>('system_information', target, 'GET', '/system_information');
  }

  licensing(target: CmlTarget): Promise<Licensing> {
    return this.authorized<Licensing>('licensing', target, '/licensing');
  }

  labTiles(target: CmlTarget): Promise<LabTiles> {
    return this.authorized<LabTiles>('populate_lab_tiles', target, '/populate_lab_tiles');
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async authorized<T>(name: CmlCallName, target: CmlTarget, path: string): Promise<T> {
    const token = await this.token(target, false);
    try {
      return await this.call<T>(name, target, 'GET', path, { token });
    } catch (error) {
      if (!(error instanceof CmlAnswerError) || error.status !== 401) {
        throw error;
      }
      // Expired early or revoked (a password change, a controller restart): one new token.
      const renewed = await this.token(target, true);
      return this.call<T>(name, target, 'GET', path, { token: renewed });
    }
  }

  private async token(target: CmlTarget, renew: boolean): Promise<string> {
    const key = `${target.endpoint}\u0000${target.credentials.username}`;
    const cached = this.tokens.get(key);
    if (
      !renew &&
      cached &&
      (cached.expiresAt === undefined || cached.expiresAt - RENEW_BEFORE_MS > this.now())
    ) {
      return cached.token;
    }
    let pending = this.authenticating.get(key);
    if (!pending) {
      pending = this.authenticate(target).then(
        (token) => {
          this.tokens.set(key, { token, expiresAt: expiryOf(token) });
          this.authenticating.delete(key);
          return token;
        },
        (error: unknown) => {
          this.tokens.delete(key);
          this.authenticating.delete(key);
          throw error;
        },
      );
      this.authenticating.set(key, pending);
    }
    return pending;
  }

  private async authenticate(target: CmlTarget): Promise<string> {
    const { username, password } = target.credentials;
    try {
      const token = await this.call<unknown>('authenticate', target, 'POST', '/authenticate', {
        body: { username, password },
      });
      if (typeof token !== 'string' || token === '') {
        throw new CmlAnswerError('CML answered authenticate without a token', 200);
      }
      return token;
    } catch (error) {
      if (error instanceof CmlAnswerError && (error.status === 401 || error.status === 403)) {
        throw new CmlCredentialsError(
          `CML refused the credentials of user ${username} (HTTP ${error.status})`,
          error.status,
        );
      }
      throw error;
    }
  }

  private call<T>(
    name: CmlCallName,
    target: CmlTarget,
    method: 'GET' | 'POST',
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<T> {
    const url = new URL(`${target.endpoint.replace(/\/+$/, '')}/api/v0${path}`);
    return inSpan(
      'cml.request',
      { attributes: { 'cml.call': name, 'server.address': url.hostname } },
      async () => {
        const startedAt = process.hrtime.bigint();
        let outcome: CmlCallOutcome = 'ok';
        try {
          return (await this.send(url, method, target.deadline, options)) as T;
        } catch (error) {
          outcome = outcomeOf(error);
          throw error;
        } finally {
          const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
          this.options.onCall?.(name, outcome, seconds);
        }
      },
    );
  }

  private send(
    url: URL,
    method: 'GET' | 'POST',
    deadline: number,
    options: { token?: string; body?: unknown },
  ): Promise<unknown> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const secure = url.protocol === 'https:';
    const timeoutMs = Math.max(0, deadline - this.now());
    return new Promise((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method,
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: {
            accept: 'application/json',
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
        },
        (response) => {
          readAnswer(response).then(resolve, (error: unknown) => {
            // A body cut off by the deadline, or by the controller going away mid-answer.
            if (timedOut) {
              reject(timeout());
            } else if (error instanceof CmlAnswerError) {
              reject(error);
            } else {
              reject(new CmlUnreachableError(`CML is unreachable: ${String(error)}`));
            }
          });
        },
      );
      let timedOut = false;
      const timeout = () => new CmlTimeoutError('CML did not answer within CML_TIMEOUT_MS');
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy(timeout());
      }, timeoutMs);
      request.on('close', () => clearTimeout(timer));
      request.on('error', (error) => {
        reject(
          error instanceof CmlTimeoutError
            ? error
            : new CmlUnreachableError(`CML is unreachable: ${describeSocketError(error)}`),
        );
      });
      request.end(body);
    });
  }
}

class CmlTimeoutError extends CmlUnreachableError {
  override readonly name = 'CmlTimeoutError';
}

async function readAnswer(response: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      response.destroy();
      throw new CmlAnswerError('CML answered more than 16 MiB', response.statusCode ?? 0);
    }
    chunks.push(chunk);
  }
  const status = response.statusCode ?? 0;
  const text = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    throw new CmlAnswerError(`CML answered HTTP ${status} with a body that is not JSON`, status);
  }
  if (status < 200 || status >= 300) {
    const description =
      json && typeof json === 'object' && 'description' in json
        ? `: ${String(json.description)}`
        : '';
    throw new CmlAnswerError(`CML answered HTTP ${status}${description}`, status);
  }
  return json;
}

function outcomeOf(error: unknown): CmlCallOutcome {
  if (error instanceof CmlTimeoutError) {
    return 'timeout';
  }
  if (error instanceof CmlUnreachableError) {
    return 'unreachable';
  }
  if (error instanceof CmlAnswerError && (error.status === 401 || error.status === 403)) {
    return 'unauthorized';
  }
  return 'error';
}

/** Node's socket errors say what failed in their code; TLS ones in their message. */
function describeSocketError(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${code}: ${error.message}`
    : error.message;
}

/** The `exp` of a JWT, without checking it: the controller checks its own tokens. */
function expiryOf(token: string): number | undefined {
  const [, payload] = token.split('.');
  if (!payload) {
    return undefined;
  }
  try {
    const exp = (
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }
    ).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
