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
import type * as ExporterModule from '@opentelemetry/exporter-trace-otlp-http';
import type * as InstrumentationModule from '@opentelemetry/instrumentation';
import type * as AwsModule from '@opentelemetry/instrumentation-aws-sdk';
import type * as ExpressModule from '@opentelemetry/instrumentation-express';
import type * as GraphQLModule from '@opentelemetry/instrumentation-graphql';
import type * as HttpModule from '@opentelemetry/instrumentation-http';
import type * as PgModule from '@opentelemetry/instrumentation-pg';
import type * as ResourcesModule from '@opentelemetry/resources';
import type * as SdkModule from '@opentelemetry/sdk-trace-node';
import type * as SemanticConventionsModule from '@opentelemetry/semantic-conventions';
import type { Logger } from '../logger';

export interface TracingOptions {
  /**
   * The OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. `http://collector:4318`);
   * spans go to its `/v1/traces`. Unset or empty: tracing stays off.
   */
  endpoint?: string;
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

/** A batch can hold thousands of workers, each a span: the SDK's default queue holds 2,048. */
const MAX_QUEUED_SPANS = 16_384;
const MAX_SPANS_PER_EXPORT = 1_024;
/** Out of SHUTDOWN_TIMEOUT_MS: a collector that does not answer must not fail the shutdown. */
const FLUSH_TIMEOUT_MS = 3_000;
/** Probes and scrapes: frequent, and nothing to learn from their traces. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

const TRACING_OFF: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

const TRACER_NAME = 'cml-worker-monitor';

/**
 * Starts the OpenTelemetry SDK when an endpoint is set; otherwise the SDK is not even loaded
 * and every span stays a no-op. Must run before `pg`, `graphql`, `express` and the
 * AWS SDK are first required: instrumentations patch modules as they load.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (!options.endpoint) {
    return TRACING_OFF;
  }
  const sdk = loadSdk();
  const log = options.logger.child({ component: 'tracing' });
  diag.setLogger(diagnosticsTo(log), DiagLogLevel.WARN);
  const exporter = new sdk.exporter.OTLPTraceExporter({ url: tracesUrl(options.endpoint) });
  const provider = new sdk.trace.NodeTracerProvider({
    resource: sdk.resources.defaultResource().merge(
      sdk.resources.resourceFromAttributes({
        [sdk.semanticConventions.ATTR_SERVICE_NAME]: options.serviceName,
      }),
    ),
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
  log.info({ serviceName: options.serviceName }, 'tracing on: spans are exported over OTLP/HTTP');
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

/** `OTEL_EXPORTER_OTLP_ENDPOINT` is a base: the signal's path is appended to it (OTel spec). */
export function tracesUrl(endpoint: string): string {
  return new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
}

/* eslint-disable @typescript-eslint/no-require-imports */
function loadSdk() {
  return {
    exporter: require('@opentelemetry/exporter-trace-otlp-http') as typeof ExporterModule,
    instrumentation: require('@opentelemetry/instrumentation') as typeof InstrumentationModule,
    aws: require('@opentelemetry/instrumentation-aws-sdk') as typeof AwsModule,
    express: require('@opentelemetry/instrumentation-express') as typeof ExpressModule,
    graphql: require('@opentelemetry/instrumentation-graphql') as typeof GraphQLModule,
    http: require('@opentelemetry/instrumentation-http') as typeof HttpModule,
    pg: require('@opentelemetry/instrumentation-pg') as typeof PgModule,
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

function workerAttributes(result: WorkerPollResult) {
  return {
    'worker.id': result.workerId,
    'aws.instance_id': result.instanceId,
    'aws.region': result.region,
    // Unset attributes are dropped by the SDK: a failed poll has no status, a stopped worker
    // no utilization.
    'worker.status': result.status,
    'worker.cpu_utilization': result.cpuUtilization ?? undefined,
    'worker.memory_utilization': result.memoryUtilization ?? undefined,
  };
}

function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
