import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApolloServer,
  type ApolloServerOptionsWithGateway,
  type ApolloServerPlugin,
} from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type RequestHandler } from 'express';
import { GraphQLError, OperationTypeNode, printSchema, type GraphQLSchema } from 'graphql';
import type { Principal } from '../auth/principal';
import type { Config } from '../config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { Logger } from '../logger';
import { compiledExecution, type Execute } from './compiled-execution';
import { corsMiddleware } from './cors.middleware';
import { createLimitedServer, type ConnectionLimits } from './connection-limits';
import { dashboardRouter } from './dashboard';
import { graphiqlRouter } from './graphiql';
import { graphqlErrorMiddleware } from './graphql-error.middleware';
import type { GraphqlEndpoint } from './graphql-endpoint';
import { serveGraphqlWs } from './graphql-ws.server';
import { mutationRateLimitPlugin } from './mutation-rate-limit.plugin';
import { nulCharacterPlugin } from './nul-character.guard';
import { operationLogPlugin } from './operation-log';
import { createExecutionBudget } from './execution-budget';
import { createQueryLimits } from './query-limits';
import { RateLimiter } from './rate-limiter';
import { attachRequestFacts, callerKey } from './request-facts';
import { requestLog, setRequestCaller } from './request-log.middleware';
import { requestErrorStatusPlugin } from './request-error-status.plugin';
import { securityHeaders } from './security-headers.middleware';

export const GRAPHQL_PATH = '/graphql';

/** One store the service needs; `check` rejects while it is unreachable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export type { ConnectionObserver, GraphqlEndpoint } from './graphql-endpoint';

export interface HttpServerOptions {
  logger: Logger;
  host: string;
  port: number;
  /** Timeouts and connection caps of the server, for every route and WebSockets alike. */
  limits: ConnectionLimits;
  /** Unset (ROLE=worker): only the health endpoints are served. */
  graphql: GraphqlEndpoint | undefined;
  /** The operator dashboard's build, served at `/` along with GraphQL. */
  dashboardDir: string;
  readinessChecks: ReadinessCheck[];
  /** Serves GET /metrics (Prometheus). */
  metrics: RequestHandler;
  /** Abuse limits and browser policy of the GraphQL endpoint. */
  policy: Config['graphql'];
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
 * Serves GraphQL over HTTP and graphql-ws on the same path and port, plus GraphiQL, the
 * dashboard and the health endpoints; without a GraphQL endpoint, the health endpoints alone.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger));
  app.use(securityHeaders());
  const httpServer = createLimitedServer(app, options.limits);
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
  const graphql =
    options.graphql &&
    (await serveGraphql(app, httpServer, options.graphql, options.policy, logger));
  if (graphql) {
    // Last, so that no file of a build can stand in for a route of the API.
    app.use(dashboardRouter(options.dashboardDir, logger));
  }

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
  policy: Config['graphql'],
  logger: Logger,
): Promise<ApolloServer<object>> {
  const { schema, formatError, createContext, plugins } = endpoint;
  const queryLimits = createQueryLimits({ ...policy.limits, introspection: policy.introspection });
  const mutationLimiter = policy.mutationRate && new RateLimiter(policy.mutationRate);
  const budget = createExecutionBudget(schema, policy.execution);
  const execute = compiledExecution(schema, {
    compileAfterRuns: policy.compileAfterRuns,
    maxCompiledDocuments: policy.maxCompiledDocuments,
  });
  const subscriptions = serveGraphqlWs({
    execute,
    path: GRAPHQL_PATH,
    httpServer,
    endpoint,
    limits: policy.webSocket,
    queryLimits,
    budget,
    mutationLimiter,
    logger,
  });

  const apollo = new ApolloServer<object>({
    gateway: executingGateway(schema, execute),
    formatError: (formatted, error) => formatError(queryLimits.relabel(formatted, error), error),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    introspection: policy.introspection,
    parseOptions: queryLimits.apollo.parseOptions,
    stringifyResult: budget.stringifyResult,
    validationRules: queryLimits.apollo.validationRules,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No type sets a cache hint, and the plugin wraps every field's resolver to look for
      // one: a quarter of the CPU of a page of 50 workers with their metrics and alerts.
      // Answers still say `no-store` (below), as it made them say.
      ApolloServerPluginCacheControlDisabled(),
      rejectSubscriptionsOverHttp,
      nulCharacterPlugin,
      ...(mutationLimiter ? [mutationRateLimitPlugin(mutationLimiter)] : []),
      requestErrorStatusPlugin,
      operationLogPlugin(logger),
      ...queryLimits.apollo.plugins,
      budget.apolloPlugin,
      ...plugins,
      {
        serverWillStart: () =>
          Promise.resolve({
            drainServer: async () => {
              await subscriptions.dispose();
            },
          }),
      },
    ],
  });
  await apollo.start();
  // Before GraphiQL's router, whose GET route would answer preflights on its own.
  app.use(GRAPHQL_PATH, corsMiddleware(policy.corsOrigins));
  app.use(graphiqlRouter());
  app.use(
    GRAPHQL_PATH,
    noStore,
    express.json({ limit: policy.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const principal = await authenticateRequest(endpoint, req.headers.authorization);
        const caller = callerKey(principal, req.ip);
        setRequestCaller(res, caller);
        return attachRequestFacts(createContext(principal), {
          caller,
          legacyJson: req.accepts(GRAPHQL_MEDIA_TYPES) === 'application/json',
        });
      },
    }),
    graphqlErrorMiddleware(logger, policy.maxBodyBytes),
  );
  return apollo;
}

type Gateway = ApolloServerOptionsWithGateway<object>['gateway'];

/**
 * Apollo Server's one seam for an executor of one's own is a gateway's: this one serves the
 * schema it is given, executed by `execute`.
 */
function executingGateway(schema: GraphQLSchema, execute: Execute): Gateway {
  const listeners = new Set<Parameters<Gateway['onSchemaLoadOrUpdate']>[0]>();
  return {
    onSchemaLoadOrUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load() {
      const coreSupergraphSdl = printSchema(schema);
      listeners.forEach((listener) => listener({ apiSchema: schema, coreSupergraphSdl }));
      return Promise.resolve({
        executor: async (request) =>
          await execute({
            schema,
            document: request.document,
            // The name asked for: the request context's own is the one resolved, null when
            // no operation has the name asked for.
            operationName: request.request.operationName,
            variableValues: request.request.variables,
            contextValue: request.context,
          }),
      });
    },
    stop: () => Promise.resolve(),
  };
}

/** Answers depend on the caller and change with every poll: no cache may keep them. */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};

/** In Apollo Server's order, so that Express picks the type Apollo answers with. */
const GRAPHQL_MEDIA_TYPES = ['application/json', 'application/graphql-response+json'];

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
