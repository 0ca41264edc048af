import { request } from 'node:http';
import type { PubSub } from '../../src/services/pubsub/pub-sub';
import { dropSchemas, uniqueSchema } from '../support/environment';
import { startInProcessService } from '../support/in-process-service';
import type { BenchEnvironment } from '../support/report';

/** The service, in this process, as the fan-out benchmark drives it. */
export interface FanoutService {
  /** Where graphql-ws clients connect. */
  readonly webSocketUrl: string;
  readonly pubSub: PubSub;
  /** graphql-ws connections the service still holds, from its own metrics. */
  openConnections(): Promise<number>;
  /** Stops the service and drops its schema. */
  close(): Promise<void>;
}

/** Above any subscriber count of the benchmark: every client connects from 127.0.0.1. */
const MAX_CONNECTIONS = 100_000;

/**
 * The whole service on a schema of its own, without polling (the benchmark publishes the
 * samples), and on Redis under a key prefix of its own when the run has Redis.
 */
export async function startFanoutService(env: BenchEnvironment): Promise<FanoutService> {
  const schema = uniqueSchema('fanout');
  const dropSchema = () => dropSchemas(env.databaseUrl, schema);
  const { app } = await startInProcessService(env, schema, {
    NODE_ENV: 'production',
    GRAPHQL_WS_MAX_CONNECTIONS_PER_CALLER: String(MAX_CONNECTIONS),
    HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0',
    REDIS_KEY_PREFIX: env.redis && `${env.redis.keyPrefix}fanout:`,
  }).catch(async (error: unknown) => {
    await dropSchema();
    throw error;
  });
  return {
    webSocketUrl: app.graphqlUrl.replace(/^http/, 'ws'),
    pubSub: app.pubSub,
    openConnections: async () => {
      const text = await httpGet(`${app.url}/metrics`);
      return Number(/^cwm_websocket_connections (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
    },
    async close() {
      try {
        await app.close();
      } finally {
        await dropSchema();
      }
    },
  };
}

/** Without keep-alive: a pooled socket would outlive the benchmark and hold the process open. */
function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString()));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
