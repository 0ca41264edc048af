import { setTimeout as sleep } from 'node:timers/promises';
import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
// Types only: the SDK takes ~150 ms to load, so loadSdk() requires it when tracing is on.
import type * as JsonExporterModule from '@opentelemetry/exporter-trace-otlp-http';
import type * as ProtoExporterModule from '@opentelemetry/exporter-trace-otlp-proto';
import type * as InstrumentationModule from '@opentelemetry/instrumentation';
import type * as AwsModule from '@opentelemetry/instrumentation-aws-sdk';
import type * as ExpressModule from '@opentelemetry/instrumentation-express';
import type * as GraphQLModule from '@opentelemetry/instrumentation-graphql';
import type * as HttpModule from '@opentelemetry/instrumentation-http';
import type * as PgModule from '@opentelemetry/instrumentation-pg';
import type * as UndiciModule from '@opentelemetry/instrumentation-undici';
import type * as ResourcesModule from '@opentelemetry/resources';
import type * as SdkModule from '@opentelemetry/sdk-trace-node';
import type * as SemanticConventionsModule from '@opentelemetry/semantic-conventions';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { packageVersion } from '../package-root';

export interface TracingOptions {
  /** Where spans are POSTed (see `tracesUrl`). Unset or empty: tracing stays off. */
  tracesUrl?: string;
  protocol: Config['tracing']['protocol'];
  serviceName: string;
  /** Told when spans cannot be exported (a collector down, say). */
  logger: Logger;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Exports the spans still buffered and stops tracing. Never rejects. */
  shutdown(): Promise<void>;
}

export const POLL_BATCH_SPAN = 'poll.batch';
export const POLL_WORKER_SPAN = 'poll.worker';

/**
 * A batch can hold thousands of workers, each a span, and each worker's poll job has its own:
 * the SDK's default queue holds 2,048.
 */
const MAX_QUEUED_SPANS = 32_768;
const MAX_SPANS_PER_EXPORT = 1_024;
/** Out of SHUTDOWN_TIMEOUT_MS: a collector that does not answer must not fail the shutdown. */
const FLUSH_TIMEOUT_MS = 3_000;
/** Probes and scrapes: frequent, and nothing to learn from their traces. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

const TRACING_OFF: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

const TRACER_NAME = 'cml-worker-monitor';
/** What OTel's semantic conventions put in place of a URL's secret parts. */
const REDACTED = 'REDACTED';

/**
 * Starts the OpenTelemetry SDK when an endpoint is set; otherwise the SDK is not even loaded
 * and every span stays a no-op. Must run before `pg`, `graphql`, `express` and the
 * AWS SDK are first required: instrumentations patch modules as they load.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (!options.tracesUrl) {
    return TRACING_OFF;
  }
  const sdk = loadSdk();
  const log = options.logger.child({ component: 'tracing' });
  diag.setLogger(diagnosticsTo(log), DiagLogLevel.WARN);
  // Headers, timeout, compression and certificates: the exporter reads OTEL_EXPORTER_OTLP_*
  // (and their _TRACES_ variants) itself.
  const exporter =
    options.protocol === 'http/json'
      ? new (loadJsonExporter().OTLPTraceExporter)({ url: options.tracesUrl })
      : new (loadProtoExporter().OTLPTraceExporter)({ url: options.tracesUrl });
  const provider = new sdk.trace.NodeTracerProvider({
    resource: serviceResource(sdk, options.serviceName),
    spanProcessors: [
      new sdk.trace.BatchSpanProcessor(exporter, {
        maxQueueSize: MAX_QUEUED_SPANS,
        maxExportBatchSize: MAX_SPANS_PER_EXPORT,
      }),
    ],
  });
  provider.register();
  const unregister = sdk.instrumentation.registerInstrumentations({
    tracerProvider: provider,
    instrumentations: createInstrumentations(sdk),
  });
  log.info(
    { serviceName: options.serviceName, protocol: options.protocol },
    'tracing on: spans are exported over OTLP/HTTP',
  );
  return {
    enabled: true,
    shutdown: async () => {
      unregister();
      const flushed = await Promise.race([
        provider.shutdown().then(
          () => true,
          (error: unknown) => {
            log.warn({ err: error }, 'could not export the last spans');
            return true;
          },
        ),
        sleep(FLUSH_TIMEOUT_MS, false, { ref: false }),
      ]);
      if (!flushed) {
        log.warn({ timeoutMs: FLUSH_TIMEOUT_MS }, 'gave up exporting the last spans');
      }
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}

/** The SDK's own warnings (failed exports, dropped spans), as log lines. */
function diagnosticsTo(log: Logger) {
  const ignore = () => undefined;
  const fields = (args: unknown[]) => (args.length > 0 ? { details: args } : {});
  return {
    error: (message: string, ...args: unknown[]) => log.error(fields(args), message),
    warn: (message: string, ...args: unknown[]) => log.warn(fields(args), message),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
}

/**
 * Ours (name, version, a random `service.instance.id` per process), then what the host and the
 * process say of themselves, then `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_SERVICE_NAME`, each
 * overriding the ones before, as the OTel spec orders them.
 */
function serviceResource(sdk: ReturnType<typeof loadSdk>, serviceName: string) {
  const { resources, semanticConventions } = sdk;
  return resources
    .defaultResource()
    .merge(
      resources.resourceFromAttributes({
        [semanticConventions.ATTR_SERVICE_NAME]: serviceName,
        [semanticConventions.ATTR_SERVICE_VERSION]: packageVersion(),
      }),
    )
    .merge(
      resources.detectResources({
        detectors: [
          resources.hostDetector,
          resources.processDetector,
          resources.serviceInstanceIdDetector,
          resources.envDetector,
        ],
      }),
    );
}

/* eslint-disable @typescript-eslint/no-require-imports */
function loadJsonExporter() {
  return require('@opentelemetry/exporter-trace-otlp-http') as typeof JsonExporterModule;
}

function loadProtoExporter() {
  return require('@opentelemetry/exporter-trace-otlp-proto') as typeof ProtoExporterModule;
}

function loadSdk() {
  return {
    instrumentation: require('@opentelemetry/instrumentation') as typeof InstrumentationModule,
    aws: require('@opentelemetry/instrumentation-aws-sdk') as typeof AwsModule,
    express: require('@opentelemetry/instrumentation-express') as typeof ExpressModule,
    graphql: require('@opentelemetry/instrumentation-graphql') as typeof GraphQLModule,
    http: require('@opentelemetry/instrumentation-http') as typeof HttpModule,
    pg: require('@opentelemetry/instrumentation-pg') as typeof PgModule,
    undici: require('@opentelemetry/instrumentation-undici') as typeof UndiciModule,
    resources: require('@opentelemetry/resources') as typeof ResourcesModule,
    trace: require('@opentelemetry/sdk-trace-node') as typeof SdkModule,
    semanticConventions:
      require('@opentelemetry/semantic-conventions') as typeof SemanticConventionsModule,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

function createInstrumentations(sdk: ReturnType<typeof loadSdk>) {
  const { ExpressLayerType } = sdk.express;
  return [
    new sdk.http.HttpInstrumentation({
      ignoreIncomingRequestHook: (request) =>
        UNTRACED_PATHS.has((request.url ?? '').split('?', 1)[0]) ||
        // Signed AWS calls reaching the built-in emulator: the client's AWS span covers them.
        (request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256') ||
        // Likewise the calls to the emulator's CML controllers: the `cml.request` spans cover them.
        (request.url ?? '').startsWith('/cml/'),
      // Outgoing calls outside any operation (a JWKS refresh, say) would each start a trace.
      requireParentforOutgoingSpans: true,
    }),
    // Global fetch: the receivers' requests. Their URLs can carry a token (Slack's do), and
    // spans leave the service: only the origin is kept.
    new sdk.undici.UndiciInstrumentation({
      requireParentforSpans: true,
      startSpanHook: (request) => ({
        [sdk.semanticConventions.ATTR_URL_FULL]: `${request.origin}/${REDACTED}`,
        [sdk.semanticConventions.ATTR_URL_PATH]: REDACTED,
        [sdk.semanticConventions.ATTR_URL_QUERY]: REDACTED,
      }),
    }),
    // Route names for the HTTP spans; one span per middleware would only be noise.
    new sdk.express.ExpressInstrumentation({
      ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.REQUEST_HANDLER],
    }),
    // Parse, validate and execute per operation. type-graphql wraps every field in a
    // resolver, so resolver spans would be one per field of every row of a page.
    new sdk.graphql.GraphQLInstrumentation({ ignoreResolveSpans: true, mergeItems: true }),
    // Statement text only, never parameters. Agenda's job-store polling has no parent span.
    new sdk.pg.PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    // One span per SDK call (retries included); its own HTTP requests are not traced again.
    new sdk.aws.AwsInstrumentation({ suppressInternalInstrumentation: true }),
  ];
}

/**
 * Runs `work` in a new active span (so the SQL and AWS calls it makes become its children),
 * recording a thrown error on it.
 */
export function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  // Without a registered provider, a no-op tracer whose spans record nothing.
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs one job in a `job <name>` span of its own trace: a job is run by whichever process claims
 * it, long after (and far from) whatever queued it. Payload ids become `cml.<thing>.id`.
 */
export function inJobSpan<T>(
  name: string,
  payload: Readonly<Record<string, unknown>>,
  work: () => Promise<T>,
): Promise<T> {
  const attributes: Record<string, string> = { 'cml.job.name': name };
  for (const [key, value] of Object.entries(payload)) {
    if (key.endsWith('Id') && typeof value === 'string') {
      attributes[`cml.${key.slice(0, -2)}.id`] = value;
    }
  }
  return inSpan(`job ${name}`, { root: true, attributes }, work);
}

/** One worker's result in a poll batch. `error` set: the poll failed, status is unknown. */
export interface WorkerPollResult {
  workerId: string;
  instanceId: string;
  region: string;
  status?: string;
  cpuUtilization?: number | null;
  memoryUtilization?: number | null;
  error?: unknown;
}

/**
 * Records a `poll.worker` child span of `batch` per worker. The results are known only once
 * the whole batch is read, so the spans share the batch's times. Does nothing, and does not
 * even read `results`, unless `batch` is recording: a batch can hold 10,000 workers.
 */
export function recordWorkerPolls(
  batch: Span,
  times: { startTime: Date; endTime: Date },
  results: () => Iterable<WorkerPollResult>,
): void {
  if (!batch.isRecording()) {
    return;
  }
  const tracer = trace.getTracer(TRACER_NAME);
  const parent = trace.setSpan(context.active(), batch);
  for (const result of results()) {
    const span = tracer.startSpan(
      POLL_WORKER_SPAN,
      { startTime: times.startTime, attributes: workerAttributes(result) },
      parent,
    );
    if (result.error !== undefined) {
      recordError(span, result.error);
    }
    span.end(times.endTime);
  }
}

/** The semantic conventions' names for the EC2 host, `cml.*` for what is ours. */
function workerAttributes(result: WorkerPollResult) {
  return {
    'cml.worker.id': result.workerId,
    'cloud.provider': 'aws',
    'cloud.region': result.region,
    'host.id': result.instanceId,
    // Unset attributes are dropped by the SDK: a failed poll has no status, a stopped worker
    // no utilization.
    'cml.worker.status': result.status,
    'cml.worker.cpu_utilization': result.cpuUtilization ?? undefined,
    'cml.worker.memory_utilization': result.memoryUtilization ?? undefined,
  };
}

function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
