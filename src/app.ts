import type { ContainerType } from 'type-graphql';
import type { Config } from './config';
import { createDataSource, runMigrations } from './database/data-source';
import type { Logger } from './logger';
import { WorkerEventsResolver } from './resolvers/worker-events.resolver';
import { WorkerResolver } from './resolvers/worker.resolver';
import { buildAppSchema } from './schema/build-schema';
import { createErrorFormatter } from './schema/format-error';
import { startHttpServer } from './http/http.server';
import { AwsClients, AwsConnection } from './services/aws-clients';
import { Ec2FleetGateway } from './services/fleet.gateway';
import { InProcessPubSub } from './services/in-process.pub-sub';
import type { PubSub } from './services/pub-sub';
import { RedisPubSubAdapter } from './services/redis.pub-sub';
import { WorkerService } from './services/worker.service';
import { prepareEmulatedFleet } from './services/emulated-fleet.sync';
import { RunningEmulator, startEmulator } from './emulator/emulator.server';

export interface RunningApp {
  readonly graphqlUrl: string;
  /** Set when the service runs on its built-in AWS emulator. */
  readonly emulator: RunningEmulator | undefined;
  readonly pubSub: PubSub;
  close(): Promise<void>;
}

type Closer = () => Promise<void> | void;

/**
 * The composition root: builds every adapter and service once, then serves. The database is
 * opened by the caller: an embedded PostgreSQL is the entry point's business.
 */
export async function startApp(
  config: Config,
  databaseUrl: string,
  logger: Logger,
): Promise<RunningApp> {
  const closers: Closer[] = [];
  const close = () => closeInReverse(closers, logger);
  try {
    const dataSource = createDataSource({
      url: databaseUrl,
      schema: config.database.schema,
      poolSize: config.database.poolSize,
      logger: logger.child({ component: 'database' }),
    });
    await dataSource.initialize();
    closers.push(() => dataSource.destroy());
    await runMigrations(dataSource);

    const aws = await connectAws(config, logger, closers);
    const clients = new AwsClients(aws.connection);
    closers.push(() => clients.destroy());
    const fleet = new Ec2FleetGateway((region) => clients.ec2For(region));

    const pubSub: PubSub = config.redis
      ? new RedisPubSubAdapter(config.redis.url, config.redis.keyPrefix)
      : new InProcessPubSub();
    closers.push(() => pubSub.close());

    const workerService = new WorkerService(
      dataSource,
      fleet,
      pubSub,
      config,
      logger.child({ component: 'workers' }),
    );
    if (aws.emulator && config.aws.mode === 'emulator') {
      await prepareEmulatedFleet(
        aws.emulator.fleet,
        workerService,
        { region: config.aws.region, demoFleet: config.aws.demoFleet },
        logger,
      );
    }

    const schema = await buildAppSchema({
      container: containerOf([new WorkerResolver(workerService), new WorkerEventsResolver()]),
      pubSub,
    });
    const http = await startHttpServer({
      schema,
      formatError: createErrorFormatter(logger.child({ component: 'graphql' })),
      logger,
      host: config.http.host,
      port: config.http.port,
      checkReadiness: async () => {
        await dataSource.query('SELECT 1');
      },
    });
    closers.push(() => http.close());
    logger.info({ url: http.graphqlUrl }, 'GraphQL API and GraphiQL ready');
    return {
      graphqlUrl: http.graphqlUrl,
      emulator: aws.emulator,
      pubSub,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

interface AwsSetup {
  connection: AwsConnection;
  emulator?: RunningEmulator;
}

async function connectAws(config: Config, logger: Logger, closers: Closer[]): Promise<AwsSetup> {
  const aws = config.aws;
  if (aws.mode === 'aws') {
    return { connection: { endpoint: aws.endpoint, maxAttempts: aws.maxAttempts } };
  }
  const emulator = await startEmulator({ port: aws.emulatorPort, defaultRegion: aws.region });
  closers.push(() => emulator.close());
  logger.info({ endpoint: emulator.endpoint }, 'AWS emulator started');
  return {
    connection: {
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' },
      maxAttempts: aws.maxAttempts,
    },
    emulator,
  };
}

function containerOf(instances: object[]): ContainerType {
  const byClass = new Map(instances.map((instance) => [instance.constructor, instance]));
  return { get: (someClass: unknown) => byClass.get(someClass as object['constructor']) };
}

async function closeInReverse(closers: Closer[], logger: Logger): Promise<void> {
  for (const closer of closers.splice(0).reverse()) {
    try {
      await closer();
    } catch (error) {
      logger.error({ err: error }, 'error while shutting down');
    }
  }
}
