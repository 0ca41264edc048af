import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, GraphQLSchema, OperationTypeNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { ErrorFormatter } from '../schema/format-error';
import type { Logger } from '../logger';
import { graphiqlRouter } from './graphiql';

export const GRAPHQL_PATH = '/graphql';

export interface HttpServerOptions {
  schema: GraphQLSchema;
  formatError: ErrorFormatter;
  logger: Logger;
  host: string;
  port: number;
  /** Throws when a store the API depends on is unreachable. */
  checkReadiness: () => Promise<void>;
  /** A fresh context per HTTP request and per subscription operation. */
  createContext: () => object;
}

export interface RunningHttpServer {
  /** e.g. http://127.0.0.1:4000/graphql */
  readonly graphqlUrl: string;
  close(): Promise<void>;
}

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

/** Serves GraphQL over HTTP and graphql-ws on the same path and port, plus GraphiQL and health checks. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { schema, formatError, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  const subscriptions = useServer(
    {
      schema,
      context: () => options.createContext(),
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

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    options.checkReadiness().then(
      () => res.json({ status: 'ready' }),
      (error: unknown) => {
        logger.warn({ err: error }, 'readiness check failed');
        res.status(503).json({ status: 'unavailable' });
      },
    );
  });
  app.use(graphiqlRouter());
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: () => Promise.resolve(options.createContext()) }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    graphqlUrl: `http://${host}:${address.port}${GRAPHQL_PATH}`,
    close: () => apollo.stop(),
  };
}
