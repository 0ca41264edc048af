import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsServiceError } from './aws-error';
import { regionFromHost, signingScope } from './aws-region';
import { routeAwsRequest } from './aws-request.router';
import { answerCmlCall, CML_CALL_REGION, parseCmlCall } from './cml/cml-api';
import { CML_PATH_PREFIX } from './cml/cml-endpoint';
import { DEFAULT_CML_TOKEN_LIFETIME_MS } from './cml/emulated-cml';
import { CONTROL_PREFIX, handleControlRequest } from './control.router';
import { EmulatedFleet } from './fleet.state';
import { DEFAULT_TIMING, type EmulatorTiming } from './instance-lifecycle';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the emulator accepts any credentials, so keep it off the network. */
  host?: string;
  /** The region of requests that name none (no SigV4 scope, no region in the host name). */
  defaultRegion?: string;
  /**
   * EC2's transition times, and `cmlBootMs`: how long a CML controller says it is not ready
   * once its instance runs (default 0).
   */
  timing?: Partial<EmulatorTiming> & { cmlBootMs?: number };
  /** How long the CML controllers' tokens last (default 8 h, as CML's). */
  cmlTokenLifetimeMs?: number;
  /** Seeds instance ids, metric curves and fault draws, so runs replay. */
  seed?: number;
  /** The emulator's notion of now, in epoch milliseconds. */
  clock?: () => number;
}

export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:4566`: the `endpoint` for the AWS SDK clients. */
  endpoint: string;
  /** The emulated account, to drive in-process (same operations as the control API). */
  fleet: EmulatedFleet;
  /** Stops listening and drops open connections; calling it again waits for the same close. */
  close(): Promise<void>;
}

const DEFAULT_SEED = 20_100_801;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Starts the AWS emulator: EC2 (query protocol) and CloudWatch (JSON 1.0 and query) on one port,
 * with the CML controller of each instance under `/cml/{instanceId}`.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { cmlBootMs = 0, ...timing } = options.timing ?? {};
  const fleet = new EmulatedFleet({
    defaultRegion: options.defaultRegion ?? 'us-east-1',
    timing: { ...DEFAULT_TIMING, ...timing },
    seed: options.seed ?? DEFAULT_SEED,
    clock: options.clock ?? Date.now,
    cml: {
      bootMs: cmlBootMs,
      tokenLifetimeMs: options.cmlTokenLifetimeMs ?? DEFAULT_CML_TOKEN_LIFETIME_MS,
    },
  });
  const shutdown = new AbortController();
  // Every request waiting out an injected latency listens on it: hundreds at once is normal.
  setMaxListeners(0, shutdown.signal);
  const server = createServer((request, response) => {
    handleRequest(fleet, request, response, shutdown.signal).catch((error: unknown) => {
      if (!response.headersSent) {
        const message = error instanceof Error ? error.message : String(error);
        send(
          response,
          500,
          { 'content-type': 'application/json' },
          JSON.stringify({ error: message }),
        );
      } else {
        response.destroy();
      }
    });
  });
  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${endpointHost(host)}:${port}`,
    fleet,
    close: () => (closing ??= close(server, shutdown)),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server, shutdown: AbortController): Promise<void> {
  shutdown.abort();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // The SDK keeps connections alive; without this, close() would wait for them to time out.
    server.closeAllConnections();
  });
}

function endpointHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') {
    return '127.0.0.1';
  }
  return host.includes(':') ? `[${host}]` : host;
}

async function handleRequest(
  fleet: EmulatedFleet,
  request: IncomingMessage,
  response: ServerResponse,
  shutdown: AbortSignal,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://emulator');
  const body = await readBody(request);
  if (body === undefined) {
    send(
      response,
      413,
      { 'content-type': 'application/json' },
      JSON.stringify({ error: 'Body too large' }),
    );
    return;
  }
  if (url.pathname.startsWith(CML_PATH_PREFIX)) {
    await handleCmlRequest(fleet, request, response, url, body, shutdown);
    return;
  }
  if (url.pathname.startsWith(CONTROL_PREFIX)) {
    const answer = handleControlRequest(fleet, request.method ?? 'GET', url, body);
    send(
      response,
      answer.status,
      { 'content-type': 'application/json' },
      answer.body === undefined ? '' : JSON.stringify(answer.body),
    );
    return;
  }
  const scope = signingScope(request.headers.authorization);
  const region = scope?.region ?? regionFromHost(request.headers.host) ?? fleet.defaultRegion;
  const protocol = routeAwsRequest(fleet, region, {
    target: request.headers['x-amz-target'],
    signingService: scope?.service,
    search: url.search,
    body,
  });
  const requestId = randomUUID();
  if (protocol.action !== '') {
    fleet.recordCall(region, protocol.action);
  }
  const fault = fleet.decideFault(protocol.action);
  if (fault.latencyMs > 0) {
    try {
      await sleep(fault.latencyMs, undefined, { signal: shutdown });
    } catch {
      response.destroy();
      return;
    }
  }
  try {
    if (fault.outcome === 'throttle') {
      throw protocol.throttling();
    }
    if (fault.outcome === 'server-error') {
      throw protocol.serverError(fault.serverErrorStatus);
    }
    const answer = protocol.run(requestId, fault);
    send(
      response,
      200,
      { 'content-type': protocol.contentType, 'x-amzn-requestid': requestId },
      answer,
    );
  } catch (error) {
    const failure =
      error instanceof AwsServiceError
        ? error
        : new AwsServiceError('InternalError', `The emulator failed: ${String(error)}`, 500);
    const rendered = protocol.renderError(failure, requestId);
    send(
      response,
      failure.status,
      { 'content-type': protocol.contentType, 'x-amzn-requestid': requestId, ...rendered.headers },
      rendered.body,
    );
  }
}

/**
 * One call to an instance's CML controller. Where no controller would answer (no such
 * instance, one that does not run, or one made unavailable) the connection drops unanswered,
 * as an unreachable host's would.
 */
async function handleCmlRequest(
  fleet: EmulatedFleet,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  body: string,
  shutdown: AbortSignal,
): Promise<void> {
  const call = parseCmlCall(request.method ?? 'GET', url.pathname);
  if (!call) {
    request.socket.destroy();
    return;
  }
  fleet.recordCall(CML_CALL_REGION, call.action);
  const latencyMs = fleet.cmlHost(call.instanceId)?.controller.latencyMs;
  if (latencyMs === undefined) {
    request.socket.destroy();
    return;
  }
  if (latencyMs > 0) {
    try {
      await sleep(latencyMs, undefined, { signal: shutdown });
    } catch {
      response.destroy();
      return;
    }
  }
  // The instance may have stopped, or the controller gone away, while the answer was held back.
  const host = fleet.cmlHost(call.instanceId);
  if (!host) {
    request.socket.destroy();
    return;
  }
  const answer = answerCmlCall(host, call, { authorization: request.headers.authorization, body });
  send(
    response,
    answer.status,
    { 'content-type': 'application/json' },
    JSON.stringify(answer.body),
  );
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
