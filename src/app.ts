import type { ContainerType } from 'type-graphql';
import type { Config } from './config';
import { ApiKeyVerifier } from './auth/api-keys';
import { Authenticator } from './auth/authenticator';
import { JwtVerifier } from './auth/jwt';
import type { Principal } from './auth/principal';
import { createDataSource, runMigrations } from './database/data-source';
import type { Logger } from './logger';
import { autoImportWorkersHandler } from './jobs/auto-import-workers.job';
import { deliverNotificationHandler } from './jobs/deliver-notification.job';
import { pollWorkerHandler } from './jobs/poll-worker.job';
import { pruneMetricsHandler } from './jobs/prune-metrics.job';
import { reconcilePollsHandler } from './jobs/reconcile-polls.job';
import { remediateWorkerHandler } from './jobs/remediate-worker.job';
import { notifyAlertGroupsHandler } from './jobs/notify-alert-groups.job';
import { createJobBackend, JobScheduler } from './jobs/scheduler';
import { graphqlMetricsPlugin } from './observability/graphql-metrics.plugin';
import { metricsHandler, ServiceMetrics } from './observability/metrics';
import { packageVersion } from './package-root';
import { AlertResolver } from './resolvers/alert.resolver';
import { AuditResolver } from './resolvers/audit.resolver';
import { MonitoringResolver } from './resolvers/monitoring.resolver';
import { NodeResolver } from './resolvers/node.resolver';
import { OnboardingResolver } from './resolvers/onboarding.resolver';
import { SilenceResolver } from './resolvers/silence.resolver';
import { ViewerResolver } from './resolvers/viewer.resolver';
import { WorkerEventsResolver } from './resolvers/worker-events.resolver';
import { WorkerStatusHistoryResolver } from './resolvers/worker-status-history.resolver';
import { WorkerSeriesResolver } from './resolvers/worker-series.resolver';
import { WorkerResolver } from './resolvers/worker.resolver';
import { buildAppSchema } from './schema/build-schema';
import { createRequestContext } from './schema/context';
import { createErrorFormatter } from './schema/format-error';
import { startHttpServer } from './http/http.server';
import { AlertHistoryService } from './services/alerts/alert-history.service';
import { AlertService } from './services/alerts/alert.service';
import { AuditService } from './services/audit/audit.service';
import { AwsClients, AwsConnection } from './services/aws/aws-clients';
import { Ec2FleetGateway } from './services/aws/fleet.gateway';
import {
  AwsFleetTelemetry,
  INSTANCES_PER_WHOLE_CALLS,
} from './services/aws/fleet-telemetry.gateway';
import { FleetSnapshotService } from './services/workers/fleet-snapshot.service';
import { InProcessPubSub } from './services/pubsub/in-process.pub-sub';
import { MetricHistoryService } from './services/history/metric-history.service';
import { StatusHistoryService } from './services/history/status-history.service';
import { MetricsCollector } from './services/polling/metrics-collector';
import { MonitoringService } from './services/polling/monitoring.service';
import { NotificationService } from './services/notifications/notification.service';
import { NodeService } from './services/nodes/node.service';
import { RemediationService } from './services/alerts/remediation.service';
import { PollBatcher } from './services/polling/poll-batcher';
import { PollCycleTracker } from './services/polling/poll-cycle.tracker';
import type { PubSub } from './services/pubsub/pub-sub';
import { RedisPubSubAdapter } from './services/pubsub/redis.pub-sub';
import { WorkerService } from './services/workers/worker.service';
import { OnboardingService } from './services/workers/onboarding.service';
import { SilenceService } from './services/silences/silence.service';
import { prepareEmulatedFleet } from './services/workers/emulated-fleet.sync';
import { RunningEmulator, startEmulator } from './emulator/emulator.server';
import { createRepositories } from './repositories/repositories';
import { CmlClient } from './services/cml/cml-client';
import { type CmlEndpoints, cmlEndpoints } from './services/cml/cml-endpoints';
import { type AddressLookup, CmlMonitor } from './services/cml/cml-monitor';

export interface RunningApp {
  /** e.g. http://127.0.0.1:4000: the health endpoints, and GraphQL unless ROLE=worker. */
  readonly url: string;
  readonly graphqlUrl: string;
  /** Set when the service runs on its built-in AWS emulator. */
  readonly emulator: RunningEmulator | undefined;
  readonly pubSub: PubSub;
  /** SQL statements the service sent through its data source since it started. */
  sqlStatementCount(): number;
  /** Readiness turns 503 at once, before the slower close. */
  beginShutdown(): void;
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
  let sqlStatements = 0;
  const metrics = new ServiceMetrics({
    workerGaugesMaxFleet: config.metricsWorkerGaugesMaxFleet,
    version: packageVersion(),
    revision: config.buildRevision,
  });
  try {
    const dataSource = createDataSource({
      url: databaseUrl,
      schema: config.database.schema,
      poolSize: config.database.poolSize,
      logger: logger.child({ component: 'database' }),
      onStatement: () => {
        sqlStatements += 1;
        metrics.recordSqlStatement('data');
      },
    });
    await dataSource.initialize();
    closers.push(() => dataSource.destroy());
    await runMigrations(dataSource);

    const monitoring = config.monitoring;
    const cycles = new PollCycleTracker(monitoring.pollIntervalSeconds * 1000);
    metrics.setPollCycleSource(() => cycles.lastCycle());
    const aws = await connectAws(config, logger, closers);
    const clients = new AwsClients(aws.connection, (action, outcome) => {
      cycles.countCall(action);
      metrics.recordAwsCall(action, outcome);
    });
    closers.push(() => clients.destroy());
    const fleet = new Ec2FleetGateway((region) => clients.ec2For(region));
    const cmlEndpointsOf = cmlEndpoints(
      config.cml,
      aws.emulator?.endpoint ?? (config.aws.mode === 'aws' ? config.aws.endpoint : undefined),
    );
    const cml = config.cml.enabled
      ? openCml(
          config.cml,
          cmlEndpointsOf,
          fleet,
          metrics,
          logger.child({ component: 'cml' }),
          closers,
        )
      : undefined;

    const pubSub: PubSub = config.redis
      ? new RedisPubSubAdapter(
          config.redis.url,
          config.redis.keyPrefix,
          logger.child({ component: 'pubsub' }),
        )
      : new InProcessPubSub();
    closers.push(() => pubSub.close());

    // The job store also runs deliveries and remediations: it is open even with monitoring off.
    const scheduler = await JobScheduler.open({
      backend: createJobBackend(config.jobs.store, {
        url: databaseUrl,
        schema: config.database.schema,
        logger: logger.child({ component: 'jobs' }),
        onStatement: () => metrics.recordSqlStatement('jobs'),
      }),
      jobs: config.jobs,
      pollIntervalMs: monitoring.pollIntervalSeconds * 1000,
      retryBaseMs: config.notifications.retryBaseMs,
      notificationGrouping: config.notifications.grouping,
      autoImportIntervalMs: config.autoImport?.intervalMs,
      logger: logger.child({ component: 'jobs' }),
    });
    const repositories = createRepositories(dataSource);
    const audit = new AuditService(
      repositories.auditEvents,
      config.audit.retentionDays,
      logger.child({ component: 'audit' }),
    );
    // Every transaction a mutation commits, whichever service opens it, carries its record.
    dataSource.subscribers.push(audit.transactionSubscriber());
    const notifications = new NotificationService(
      {
        deliveries: repositories.notifications,
        groups: repositories.notificationGroups,
        alerts: repositories.alerts,
        workers: repositories.workers,
      },
      dataSource,
      scheduler,
      { muting: (at) => silences.muting(at) },
      config,
      logger.child({ component: 'notifications' }),
      () => new Date(),
      (receiverKind, outcome) => metrics.recordDelivery(receiverKind, outcome),
    );
    closers.push(() => notifications.close());
    // Typed: the silences and the notifications each call the other.
    const silences: SilenceService = new SilenceService(
      repositories.silences,
      repositories.workers,
      () => notifications.silenceEnded(),
      logger.child({ component: 'silences' }),
    );
    const alerts = new AlertService(
      repositories.alerts,
      dataSource,
      pubSub,
      notifications,
      silences,
      scheduler,
      config,
      logger.child({ component: 'alerts' }),
    );
    const collector = new MetricsCollector(
      {
        workers: repositories.workers,
        samples: repositories.samples,
        transitions: repositories.transitions,
        transactions: dataSource,
      },
      new AwsFleetTelemetry(clients),
      pubSub,
      scheduler,
      cycles,
      alerts,
      { monitoring, cml, onBatch: (batch) => metrics.recordPollBatch(batch) },
      logger.child({ component: 'polling' }),
    );
    const batcher = new PollBatcher(
      (ids, onScheduleOnly) => collector.pollWorkers(ids, onScheduleOnly),
      {
        windowMs: monitoring.batchWindowMs,
        maxWaitMs: monitoring.batchMaxWaitMs,
        maxBatchSize: config.jobs.concurrency,
        alignment: INSTANCES_PER_WHOLE_CALLS,
      },
    );
    closers.push(() => batcher.settle());
    // Running jobs get most of the shutdown budget; the rest is for the stores behind them.
    closers.push(() => scheduler.close(Math.max(1_000, config.shutdownTimeoutMs - 5_000)));
    const monitoringService = new MonitoringService(
      repositories.workers,
      monitoring.enabled ? scheduler : undefined,
      batcher,
      cycles,
      config,
      logger.child({ component: 'monitoring' }),
    );
    const metricHistory = new MetricHistoryService(
      repositories.samples,
      monitoring.retentionDays,
      logger.child({ component: 'retention' }),
    );
    const statusHistory = new StatusHistoryService(
      repositories.transitions,
      monitoring.retentionDays,
      logger.child({ component: 'retention' }),
    );

    const workerService = new WorkerService(
      repositories.workers,
      { transitions: repositories.transitions, transactions: dataSource },
      fleet,
      pubSub,
      monitoringService,
      alerts,
      config,
      logger.child({ component: 'workers' }),
    );
    const remediation = new RemediationService(
      repositories.alerts,
      repositories.remediations,
      workerService,
      config,
      logger.child({ component: 'remediation' }),
      () => new Date(),
      cml,
    );
    const onboarding = new OnboardingService(
      repositories.workers,
      fleet,
      monitoringService,
      workerService,
      config,
      logger.child({ component: 'onboarding' }),
    );
    if (aws.emulator && config.aws.mode === 'emulator') {
      await prepareEmulatedFleet(
        aws.emulator.fleet,
        workerService,
        { region: config.aws.region, demoFleet: config.aws.demoFleet },
        logger,
      );
    }
    await scheduler.register('deliver-notification', deliverNotificationHandler(notifications));
    await scheduler.register('remediate-worker', remediateWorkerHandler(remediation));
    await scheduler.register(
      'prune-metrics',
      pruneMetricsHandler(metricHistory, statusHistory, audit),
    );
    // Without a receiver there is nothing to send: no sweep every few seconds for nothing.
    if (notifications.receiverLabels().length > 0) {
      await scheduler.register('notify-alert-groups', notifyAlertGroupsHandler(notifications));
    }
    if (config.autoImport) {
      const { tags, intervalMs } = config.autoImport;
      await scheduler.register('auto-import-workers', autoImportWorkersHandler(onboarding, tags));
      logger.info(
        { tags, intervalMs },
        'auto-import is on: instances carrying these tags are registered',
      );
    }
    if (monitoring.enabled) {
      await scheduler.register('poll-worker', pollWorkerHandler(batcher));
      await scheduler.register('reconcile-polls', reconcilePollsHandler(monitoringService));
      await monitoringService.reconcile();
    } else {
      logger.info('monitoring is off (WORKER_MONITORING_ENABLED=false): no poll is scheduled');
    }
    if (config.role === 'api') {
      logger.info('ROLE=api: jobs are scheduled here and run by worker processes');
    } else {
      await scheduler.start();
      logger.info(
        { receivers: notifications.receiverLabels() },
        'alert notifications go to these receivers',
      );
    }

    const alertHistory = new AlertHistoryService(
      repositories.alerts,
      repositories.notifications,
      repositories.remediations,
    );
    const authenticator = createAuthenticator(config.auth);
    announceAuth(config, authenticator, logger);
    const graphql =
      config.role === 'worker'
        ? undefined
        : {
            schema: await buildAppSchema({
              container: containerOf([
                new WorkerResolver(workerService, monitoringService, cmlEndpointsOf),
                new WorkerEventsResolver(),
                new WorkerSeriesResolver(),
                new WorkerStatusHistoryResolver(),
                new MonitoringResolver(monitoringService),
                new AlertResolver(alerts, alertHistory, silences),
                new ViewerResolver(),
                new OnboardingResolver(onboarding),
                new SilenceResolver(silences),
                new AuditResolver(audit),
                new NodeResolver(new NodeService(repositories)),
              ]),
              pubSub,
              audit,
            }),
            formatError: createErrorFormatter(logger.child({ component: 'graphql' })),
            authenticate: (authorization: string | undefined) =>
              authenticator.authenticate(authorization),
            authEnabled: authenticator.enabled,
            createContext: (principal: Principal | null) =>
              createRequestContext(
                { metricHistory, alertHistory, statusHistory, workerService },
                principal,
              ),
            plugins: [graphqlMetricsPlugin(metrics)],
            connections: metrics,
          };
    // The fleet is the same whichever process reads it: the processes that run the jobs export
    // it, and a scrape of the API processes costs no read of the registry.
    if (config.role !== 'api') {
      metrics.setSnapshotSource(
        new FleetSnapshotService(repositories.workers, repositories.alerts, scheduler),
      );
    }
    const http = await startHttpServer({
      logger,
      host: config.http.host,
      port: config.http.port,
      limits: config.http.limits,
      graphql,
      dashboardDir: config.dashboardDir,
      readinessChecks: [
        { name: 'postgres', check: () => dataSource.query('SELECT 1') },
        { name: 'jobStore', check: () => scheduler.ping() },
        ...(config.redis ? [{ name: 'redis', check: () => pubSub.ping() }] : []),
      ],
      metrics: metricsHandler(metrics, config.metricsToken),
      policy: config.graphql,
    });
    closers.push(() => http.close());
    if (graphql) {
      logger.info({ url: http.graphqlUrl, role: config.role }, 'GraphQL API and GraphiQL ready');
    } else {
      logger.info({ url: http.url, role: config.role }, 'health endpoints ready');
    }
    return {
      url: http.url,
      graphqlUrl: http.graphqlUrl,
      emulator: aws.emulator,
      pubSub,
      sqlStatementCount: () => sqlStatements,
      beginShutdown: () => http.beginShutdown(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function openCml(
  config: Config['cml'],
  endpoints: CmlEndpoints,
  addresses: AddressLookup,
  metrics: ServiceMetrics,
  logger: Logger,
  closers: Closer[],
): CmlMonitor {
  if (config.tls.insecure) {
    logger.warn(
      'CML_TLS_INSECURE=true: CML certificates are not verified; anyone on the path can read the CML credentials',
    );
  }
  if (!config.credentials) {
    logger.warn(
      'no CML_USERNAME and CML_PASSWORD: only workers with credentials of their own are asked',
    );
  }
  const client = new CmlClient({
    tls: config.tls,
    onCall: (call, outcome, seconds) => metrics.recordCmlCall(call, outcome, seconds),
  });
  closers.push(() => client.close());
  return new CmlMonitor(client, endpoints, { cml: config }, logger, addresses);
}

interface AwsSetup {
  connection: AwsConnection;
  emulator?: RunningEmulator;
}

async function connectAws(config: Config, logger: Logger, closers: Closer[]): Promise<AwsSetup> {
  const aws = config.aws;
  if (aws.mode === 'aws') {
    return {
      connection: {
        endpoint: aws.endpoint,
        maxAttempts: aws.maxAttempts,
        requestTimeoutMs: aws.requestTimeoutMs,
      },
    };
  }
  const emulator = await startEmbeddedEmulator(aws.emulatorPort, aws.region, logger);
  closers.push(() => emulator.close());
  logger.info({ endpoint: emulator.endpoint }, 'AWS emulator started');
  return {
    connection: {
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' },
      maxAttempts: aws.maxAttempts,
      requestTimeoutMs: aws.requestTimeoutMs,
    },
    emulator,
  };
}

/** The standalone emulator's port, which the README's `curl` lines and AWS tools' examples use. */
const EMULATOR_DEFAULT_PORT = 4566;

async function startEmbeddedEmulator(
  port: number | undefined,
  region: string,
  logger: Logger,
): Promise<RunningEmulator> {
  if (port !== undefined) {
    return startEmulator({ port, defaultRegion: region });
  }
  try {
    return await startEmulator({ port: EMULATOR_DEFAULT_PORT, defaultRegion: region });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EADDRINUSE') {
      throw error;
    }
  }
  const emulator = await startEmulator({ port: 0, defaultRegion: region });
  logger.warn(
    { port: EMULATOR_DEFAULT_PORT, endpoint: emulator.endpoint },
    `port ${EMULATOR_DEFAULT_PORT} is taken: the AWS emulator listens on ${emulator.endpoint} instead (EMULATOR_PORT pins a port)`,
  );
  return emulator;
}

function createAuthenticator(auth: Config['auth']): Authenticator {
  return new Authenticator({
    apiKeys: auth.apiKeys.length > 0 ? new ApiKeyVerifier(auth.apiKeys) : undefined,
    jwt: auth.jwt && new JwtVerifier(auth.jwt),
  });
}

/** Who can do what is the first thing an operator should read in the log. */
function announceAuth(config: Config, authenticator: Authenticator, logger: Logger): void {
  const { host, hostSet } = config.http;
  if (authenticator.enabled) {
    logger.info(
      { apiKeys: config.auth.apiKeys.length, jwtIssuer: config.auth.jwt?.issuer },
      'authentication is on: viewers query and subscribe, operators also change things',
    );
  } else if (hostSet) {
    logger.warn(
      { host },
      'authentication is off (no API_KEYS, no AUTH_JWKS_URL): everyone who reaches this address is an operator',
    );
  } else {
    logger.info(
      { host },
      'authentication is off (no API_KEYS, no AUTH_JWKS_URL): listening on 127.0.0.1 only; set HOST to listen elsewhere',
    );
  }
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
