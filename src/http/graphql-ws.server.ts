import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, getOperationAST, OperationTypeNode, type ExecutionArgs } from 'graphql';
import { CloseCode, type Context, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { Principal } from '../auth/principal';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { Logger } from '../logger';
import type { Execute } from './compiled-execution';
import type { ExecutionBudget } from './execution-budget';
import type { GraphqlEndpoint } from './graphql-endpoint';
import { RATE_LIMITED, refuseMutation } from './mutation-rate-limit.plugin';
import { refuseNulCharacters } from './nul-character.guard';
import type { QueryLimits } from './query-limits';
import type { RateLimiter } from './rate-limiter';
import { callerKey } from './request-facts';
import { shareExecution } from './shared-execution';
import { WsOperations } from './ws-operations';

/**
 * Try Again Later: graphql-ws clients retry it, where they give up on its own 4429 and on most
 * other codes. For a connection beyond GRAPHQL_WS_MAX_CONNECTIONS_PER_CALLER, and for one whose
 * credentials cannot be checked now: 4403 would tell the client that they are bad.
 */
export const TRY_AGAIN_LATER = 1013;

export interface WebSocketLimits {
  maxPayloadBytes: number;
  initTimeoutMs: number;
  /** Operations running at once on one connection, subscriptions included. */
  maxSubscriptions: number;
  maxConnectionsPerCaller: number;
}

export interface GraphqlWsOptions {
  path: string;
  httpServer: Server;
  endpoint: GraphqlEndpoint;
  limits: WebSocketLimits;
  queryLimits: QueryLimits;
  budget: ExecutionBudget;
  /** graphql-js's `execute`, or one giving the same answers. */
  execute: Execute;
  /** Undefined: mutations are not rate limited. */
  mutationLimiter: RateLimiter | undefined;
  logger: Logger;
}

export interface GraphqlWsServer {
  /** Closes every connection with 1001 Going Away, so clients reconnect elsewhere. */
  dispose(): Promise<void>;
}

type WsExtra = { socket: WebSocket; request: IncomingMessage };
type WsContext = Context<Record<string, unknown> | undefined, WsExtra>;

/** Messages only a server sends: graphql-ws would treat one from a client as its own bug (4500). */
const SERVER_MESSAGE_TYPES = new Set(['connection_ack', 'next', 'error']);

/**
 * Runs as graphql-ws parses each message, the whole message last: throwing makes graphql-ws close
 * the connection with 4400 Bad Request.
 */
function refuseServerMessages(key: string, value: unknown): unknown {
  if (
    key === '' &&
    typeof value === 'object' &&
    value !== null &&
    SERVER_MESSAGE_TYPES.has(String((value as { type?: unknown }).type))
  ) {
    throw new Error('a server message sent by the client');
  }
  return value;
}

interface Caller {
  principal: Principal | null;
  key: string;
  expiry: NodeJS.Timeout | undefined;
  /** Ids of the subscriptions streaming events, for the service's metrics. */
  live: Set<string>;
}

/** Serves graphql-ws on the HTTP server's port, with the same limits as GraphQL over HTTP. */
export function serveGraphqlWs(options: GraphqlWsOptions): GraphqlWsServer {
  const { endpoint, limits, queryLimits, budget, execute, mutationLimiter, logger } = options;
  const { schema, formatError, createContext, connections } = endpoint;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: limits.maxPayloadBytes,
  });
  const callers = new WeakMap<object, Caller>();
  const openPerCaller = new Map<string, number>();
  const shared = shareExecution(createContext, execute);
  const operations = new WsOperations(logger);

  /** Refuses what GraphQL over HTTP refuses, with the same errors; else what to run. */
  const checkOperation = (
    ctx: WsContext,
    id: string,
    payload: SubscribePayload,
  ): ExecutionArgs | readonly GraphQLError[] => {
    // graphql-ws registers the operation before asking: it counts itself.
    if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptions) {
      return [
        new GraphQLError(
          `Too many operations on this connection: at most ${limits.maxSubscriptions} at once`,
          { extensions: { code: RATE_LIMITED } },
        ),
      ];
    }
    const document = queryLimits.check(schema, payload.query, (parsed) => {
      const definition = getOperationAST(parsed, payload.operationName);
      if (definition) {
        operations.identify(ctx, id, definition);
      }
    });
    if (isErrorList(document)) {
      return document;
    }
    const nul = refuseNulCharacters(document, payload.variables);
    if (nul) {
      return [nul];
    }
    const operation = getOperationAST(document, payload.operationName);
    const refusals =
      operation && queryLimits.pricing.refusals(schema, document, operation, payload.variables);
    if (refusals && refusals.length > 0) {
      return refusals;
    }
    const caller = callers.get(ctx);
    if (operation?.operation === OperationTypeNode.MUTATION && mutationLimiter && caller) {
      const refusal = refuseMutation(mutationLimiter, caller.key, operation, document);
      if (refusal) {
        return [refusal];
      }
    }
    return {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
    };
  };

  const server = useServer<Record<string, unknown> | undefined, WsExtra>(
    {
      schema,
      connectionInitWaitTimeout: limits.initTimeoutMs,
      jsonMessageReviver: refuseServerMessages,
      context: (ctx, id) => {
        const contextValue = shared.contextFor(callers.get(ctx)?.principal ?? null);
        operations.bind(ctx, id, contextValue);
        return contextValue;
      },
      subscribe: (args) => operations.within(args.contextValue, () => shared.subscribe(args)),
      execute: (args) =>
        operations.within(args.contextValue, () => {
          if (
            getOperationAST(args.document, args.operationName)?.operation ===
            OperationTypeNode.QUERY
          ) {
            budget.start(args.contextValue as object);
          }
          return execute(args);
        }),
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const authorization = authorizationParam(ctx.connectionParams);
        const authentication = await authenticateSocket(
          endpoint,
          typeof authorization === 'string' ? authorization : undefined,
          logger,
        );
        if (socket.readyState !== WebSocket.OPEN) {
          // Gone while authenticating: onClose has run already and must find nothing to undo.
          return false;
        }
        if ('refusal' in authentication) {
          socket.close(authentication.refusal.code, authentication.refusal.reason);
          return false;
        }
        const { principal } = authentication;
        if (!principal && endpoint.authEnabled) {
          // graphql-ws closes the socket with 4403 Forbidden.
          return false;
        }
        const key = callerKey(principal, request.socket.remoteAddress);
        const open = openPerCaller.get(key) ?? 0;
        if (open >= limits.maxConnectionsPerCaller) {
          socket.close(TRY_AGAIN_LATER, 'Try again later: too many connections');
          return false;
        }
        openPerCaller.set(key, open + 1);
        callers.set(ctx, {
          principal,
          key,
          expiry: closeOnExpiry(principal, socket),
          live: new Set(),
        });
        connections.connectionOpened();
        return true;
      },
      onSubscribe: (ctx, id, payload): ExecutionArgs | readonly GraphQLError[] =>
        operations.begin(ctx, id, callers.get(ctx)?.key, () => checkOperation(ctx, id, payload)),
      onOperation: (ctx, id, _payload, _args, result) => {
        if (isAsyncIterable(result)) {
          callers.get(ctx)?.live.add(id);
          connections.subscriptionStarted();
        }
        return undefined;
      },
      onComplete: (ctx, id) => {
        operations.end(ctx, id);
        if (callers.get(ctx)?.live.delete(id)) {
          connections.subscriptionEnded();
        }
      },
      onClose: (ctx) => {
        operations.endAll(ctx);
        const caller = callers.get(ctx);
        if (!caller) {
          return;
        }
        callers.delete(ctx);
        clearTimeout(caller.expiry);
        caller.live.forEach(() => connections.subscriptionEnded());
        connections.connectionClosed();
        const open = (openPerCaller.get(caller.key) ?? 1) - 1;
        if (open > 0) {
          openPerCaller.set(caller.key, open);
        } else {
          openPerCaller.delete(caller.key);
        }
      },
      onError: (ctx, id, _payload, errors) => {
        const formatted = errors.map((error) => formatError(error.toJSON(), error));
        operations.failed(ctx, id, formatted);
        return formatted;
      },
      // Errors inside results (a resolver failing) get their code, and unknown ones their mask,
      // as they do over HTTP. In a new object: subscribers alike share one result.
      onNext: (ctx, id, _payload, args, result) => {
        const overrun = budget.overrun(args.contextValue as object, result);
        if (overrun) {
          operations.result(ctx, id, [overrun]);
          return { data: null, errors: [overrun] };
        }
        if (!result.errors) {
          return undefined;
        }
        const errors = result.errors.map((error) => formatError(error.toJSON(), error));
        operations.result(ctx, id, errors);
        return { ...result, errors };
      },
    },
    wsServer,
  );
  // graphql-ws reports a socket's protocol errors (an oversized frame, invalid UTF-8) with
  // console.error and a stack. ws has closed such a socket already with the fitting code (1009,
  // 1007): the client's doing, worth a debug line.
  wsServer.on('connection', (socket: WebSocket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error) => {
      logger.debug({ err: error }, 'WebSocket closed on a protocol error');
    });
  });
  // ws passes on the HTTP server's own errors (a port in use), which graphql-ws prints as plain
  // lines, blaming our implementation: the HTTP server's start reports them.
  wsServer.removeAllListeners('error');
  wsServer.on('error', (error) => {
    logger.debug({ err: error }, 'the HTTP server under the WebSocket server failed');
  });
  return { dispose: async () => await server.dispose() };
}

function isErrorList(value: unknown): value is readonly GraphQLError[] {
  return Array.isArray(value);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

type SocketAuthentication =
  { principal: Principal | null } | { refusal: { code: number; reason: string } };

/**
 * For a WebSocket: a bad credential is as good as none, and the connection is refused (4403);
 * credentials that cannot be checked now close it with a code the client retries.
 */
async function authenticateSocket(
  endpoint: GraphqlEndpoint,
  authorization: string | undefined,
  logger: Logger,
): Promise<SocketAuthentication> {
  try {
    return { principal: await endpoint.authenticate(authorization) };
  } catch (error) {
    if (error instanceof DomainError && error.code === ErrorCode.UNAUTHENTICATED) {
      return { principal: null };
    }
    if (error instanceof DomainError && error.code === ErrorCode.UPSTREAM_UNAVAILABLE) {
      logger.warn({ err: error.cause }, error.message);
      return {
        refusal: {
          code: TRY_AGAIN_LATER,
          reason: 'Try again later: the identity provider is unavailable',
        },
      };
    }
    // As graphql-ws itself closes on an error it does not know, without telling what it was.
    logger.error({ err: error }, 'unexpected error while authenticating a WebSocket');
    return { refusal: { code: CloseCode.InternalServerError, reason: 'Internal server error' } };
  }
}

/** A subscription must not outlive the credentials that opened it. */
function closeOnExpiry(principal: Principal | null, socket: WebSocket): NodeJS.Timeout | undefined {
  if (!principal?.expiresAt) {
    return undefined;
  }
  const remainingMs = principal.expiresAt.getTime() - Date.now();
  // setTimeout holds at most about 24.8 days; a token living longer is closed by a reconnect.
  return setTimeout(
    () => socket.close(CloseCode.Forbidden, 'Forbidden: credentials expired'),
    Math.min(Math.max(remainingMs, 0), 2 ** 31 - 1),
  ).unref();
}

/**
 * `authorization` from the connection params, whatever its case: GraphiQL sends the headers of
 * its Headers tab as they were typed (`Authorization`).
 */
function authorizationParam(params: Readonly<Record<string, unknown>> | undefined): unknown {
  const key = Object.keys(params ?? {}).find((name) => name.toLowerCase() === 'authorization');
  return key === undefined ? undefined : params?.[key];
}
