import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type RequestHandler } from 'express';
import { GraphQLError, GraphQLSchema, OperationTypeNode } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { ErrorFormatter } from '../schema/format-error';
import type { Logger } from '../logger';
import { graphiqlRouter } from './graphiql';

export const GRAPHQL_PATH = '/graphql';

/** One store the service needs; `check` rejects while it is unreachable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** Told of WebSocket connections and the subscriptions on them (the service's metrics). */
export interface ConnectionObserver {
  connectionOpened(): void;
  connectionClosed(): void;
  subscriptionStarted(): void;
  subscriptionEnded(): void;
}

export interface GraphqlEndpoint {
  schema: GraphQLSchema;
  formatError: ErrorFormatter;
  /**
   * The caller behind an `Authorization` value (HTTP header, or graphql-ws connection param):
   * null without one; throws for a bad one.
   */
  authenticate: (authorization: string | undefined) => Promise<Principal | null>;
  /** Anonymous connections are refused at once when authentication is on. */
  authEnabled: boolean;
  /** A fresh context per HTTP request and per subscription operation. */
  createContext: (principal: Principal | null) => object;
  plugins: ApolloServerPlugin<object>[];
  connections: ConnectionObserver;
}

export interface HttpServerOptions {
  logger: Logger;
  host: string;
  port: number;
  /** Unset (ROLE=worker): only the health endpoints are served. */
  graphql: GraphqlEndpoint | undefined;
  readinessChecks: ReadinessCheck[];
  /** Serves GET /metrics (Prometheus). */
  metrics: RequestHandler;
}

export interface RunningHttpServer {
  /** e.g. http://127.0.0.1:4000 */
  readonly url: string;
  /** e.g. http://127.0.0.1:4000/graphql */
  readonly graphqlUrl: string;
  /** From now on /readyz answers 503, so load balancers stop sending traffic. */
  beginShutdown(): void;
  /** Stops accepting, lets in-flight requests finish and closes WebSockets (1001). */
  close(): Promise<void>;
}

/** A store that does not answer within this is as good as down for a readiness probe. */
const READINESS_TIMEOUT_MS = 2_000;

/** Subscriptions need a stream: over plain HTTP they would fail as an internal error. */
const rejectSubscriptionsOverHttp: ApolloServerPlugin = {
  requestDidStart: () =>
    Promise.resolve({
      didResolveOperation: ({ operation }) => {
        if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
          return Promise.reject(
            new GraphQLError(
              `Subscriptions are served over WebSocket (graphql-ws protocol) at ${GRAPHQL_PATH}`,
              { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
            ),
          );
        }
        return Promise.resolve();
      },
    }),
};

/**
 * Serves GraphQL over HTTP and graphql-ws on the same path and port, plus GraphiQL and the
 * health endpoints; without a GraphQL endpoint, the health endpoints alone.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  let shuttingDown = false;

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (shuttingDown) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    void checkAll(options.readinessChecks).then(({ failing, errors }) => {
      if (failing.length === 0) {
        res.json({ status: 'ready' });
        return;
      }
      logger.warn({ failing, errors }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', failing });
    });
  });
  app.get('/metrics', options.metrics);
  const graphql = options.graphql && (await serveGraphql(app, httpServer, options.graphql));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    graphqlUrl: `${url}${GRAPHQL_PATH}`,
    beginShutdown: () => {
      shuttingDown = true;
    },
    close: async () => {
      if (graphql) {
        await graphql.stop();
        return;
      }
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
      });
    },
  };
}

async function serveGraphql(
  app: express.Express,
  httpServer: Server,
  endpoint: GraphqlEndpoint,
): Promise<ApolloServer<object>> {
  const { schema, formatError, createContext, plugins, connections } = endpoint;
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  const live = new WeakMap<object, Set<string>>();
  const callers = new WeakMap<object, { principal: Principal | null; expiry?: NodeJS.Timeout }>();
  const subscriptions = useServer<Record<string, unknown> | undefined, WsExtra>(
    {
      schema,
      context: (ctx) => createContext(callers.get(ctx)?.principal ?? null),
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const principal = await authenticateOrNull(
          endpoint,
          typeof authorization === 'string' ? authorization : undefined,
        );
        if (!principal && endpoint.authEnabled) {
          // graphql-ws closes the socket with 4403 Forbidden.
          return false;
        }
        callers.set(ctx, { principal, expiry: closeOnExpiry(principal, ctx.extra.socket) });
        live.set(ctx, new Set());
        connections.connectionOpened();
        return true;
      },
      onOperation: (ctx, id, _payload, _args, result) => {
        if (isAsyncIterable(result)) {
          live.get(ctx)?.add(id);
          connections.subscriptionStarted();
        }
        return undefined;
      },
      onComplete: (ctx, id) => {
        if (live.get(ctx)?.delete(id)) {
          connections.subscriptionEnded();
        }
      },
      onClose: (ctx) => {
        clearTimeout(callers.get(ctx)?.expiry);
        const open = live.get(ctx);
        if (open) {
          open.forEach(() => connections.subscriptionEnded());
          live.delete(ctx);
          connections.connectionClosed();
        }
      },
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((error) => {
          const { message, extensions } = formatError(error.toJSON(), error);
          return new GraphQLError(message, { extensions });
        }),
    },
    wsServer,
  );

  const apollo = new ApolloServer<object>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      rejectSubscriptionsOverHttp,
      ...plugins,
      {
        serverWillStart: () =>
          Promise.resolve({
            drainServer: async () => {
              // Closes every WebSocket with 1001 Going Away: clients reconnect elsewhere.
              await subscriptions.dispose();
            },
          }),
      },
    ],
  });
  await apollo.start();
  app.use(graphiqlRouter());
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        createContext(await authenticateRequest(endpoint, req.headers.authorization)),
    }),
  );
  return apollo;
}

async function checkAll(
  checks: ReadinessCheck[],
): Promise<{ failing: string[]; errors: Record<string, string> }> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(check(), READINESS_TIMEOUT_MS);
        return { name, error: undefined };
      } catch (error) {
        return { name, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  const failed = results.filter((result) => result.error !== undefined);
  return {
    failing: failed.map((result) => result.name),
    errors: Object.fromEntries(failed.map((result) => [result.name, result.error ?? ''])),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

type WsExtra = { socket: WebSocket } & Record<PropertyKey, unknown>;

/** For a WebSocket: a bad credential is as good as none, and the connection is refused. */
async function authenticateOrNull(
  endpoint: GraphqlEndpoint,
  authorization: string | undefined,
): Promise<Principal | null> {
  try {
    return await endpoint.authenticate(authorization);
  } catch {
    return null;
  }
}

/** For HTTP: a bad credential fails the request with 401 before anything runs. */
async function authenticateRequest(
  endpoint: GraphqlEndpoint,
  authorization: string | undefined,
): Promise<Principal | null> {
  try {
    return await endpoint.authenticate(authorization);
  } catch (error) {
    if (error instanceof DomainError) {
      const status = error.code === ErrorCode.UNAUTHENTICATED ? 401 : 503;
      throw new GraphQLError(error.message, {
        extensions: {
          code: error.code,
          http: {
            status,
            headers: new Map(status === 401 ? [['www-authenticate', 'Bearer']] : []),
          },
        },
      });
    }
    throw error;
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
