import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import {
  inSpan,
  POLL_BATCH_SPAN,
  POLL_WORKER_SPAN,
  recordWorkerPolls,
  startTracing,
  type WorkerPollResult,
} from '../../src/observability/tracing';
import { createLogger } from '../../src/logger';
import { packageVersion } from '../../src/package-root';
import { CmlClient } from '../../src/services/cml/cml-client';

const batchTimes = {
  startTime: new Date('2024-05-06T07:08:09.000Z'),
  endTime: new Date('2024-05-06T07:08:10.500Z'),
};

function pollResult(overrides: Partial<WorkerPollResult> = {}): WorkerPollResult {
  return {
    workerId: 'b7f2c1de-0000-4000-8000-000000000001',
    instanceId: 'i-0123456789abcdef0',
    region: 'eu-west-1',
    status: 'RUNNING',
    cpuUtilization: 42.5,
    memoryUtilization: 61,
    ...overrides,
  };
}

function resetGlobalTelemetry(): void {
  trace.disable();
  context.disable();
  propagation.disable();
}

function toDate([seconds, nanos]: [number, number]): Date {
  return new Date(seconds * 1000 + nanos / 1e6);
}

describe('poll spans', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

  beforeAll(() => provider.register());
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    resetGlobalTelemetry();
  });

  const spansNamed = (name: string): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => span.name === name);

  async function pollBatch(results: WorkerPollResult[]): Promise<void> {
    await inSpan(
      POLL_BATCH_SPAN,
      { attributes: { 'cml.poll.batch.size': results.length } },
      (batch) => {
        recordWorkerPolls(batch, batchTimes, () => results);
        return Promise.resolve();
      },
    );
  }

  it('should record one poll.worker span per worker as a child of the poll.batch span', async () => {
    await pollBatch([pollResult(), pollResult({ workerId: 'w-2', instanceId: 'i-2' })]);

    const [batch] = spansNamed(POLL_BATCH_SPAN);
    const workers = spansNamed(POLL_WORKER_SPAN);
    expect(batch.attributes['cml.poll.batch.size']).toBe(2);
    expect(workers).toHaveLength(2);
    for (const span of workers) {
      expect(span.spanContext().traceId).toBe(batch.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(batch.spanContext().spanId);
    }
    expect(workers.map((span) => span.attributes['cml.worker.id'])).toEqual([
      'b7f2c1de-0000-4000-8000-000000000001',
      'w-2',
    ]);
  });

  it("should carry the worker's host, cloud region, status and utilization, at the batch's times", async () => {
    await pollBatch([pollResult()]);

    const [span] = spansNamed(POLL_WORKER_SPAN);
    expect(span.attributes).toEqual({
      'cml.worker.id': 'b7f2c1de-0000-4000-8000-000000000001',
      'cloud.provider': 'aws',
      'cloud.region': 'eu-west-1',
      'host.id': 'i-0123456789abcdef0',
      'cml.worker.status': 'RUNNING',
      'cml.worker.cpu_utilization': 42.5,
      'cml.worker.memory_utilization': 61,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(toDate(span.startTime)).toEqual(batchTimes.startTime);
    expect(toDate(span.endTime)).toEqual(batchTimes.endTime);
  });

  it('should leave out the utilization a stopped worker has not got', async () => {
    await pollBatch([
      pollResult({ status: 'STOPPED', cpuUtilization: null, memoryUtilization: null }),
    ]);

    const [span] = spansNamed(POLL_WORKER_SPAN);
    expect(span.attributes['cml.worker.status']).toBe('STOPPED');
    expect(span.attributes).not.toHaveProperty('cml.worker.cpu_utilization');
    expect(span.attributes).not.toHaveProperty('cml.worker.memory_utilization');
  });

  it("should mark a failed worker's span as an error with the exception recorded", async () => {
    const error = new Error('EC2 reported no status for instance i-0123456789abcdef0');
    await pollBatch([
      pollResult({
        status: undefined,
        cpuUtilization: undefined,
        memoryUtilization: undefined,
        error,
      }),
    ]);

    const [span] = spansNamed(POLL_WORKER_SPAN);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(span.attributes).not.toHaveProperty('cml.worker.status');
    const [event] = span.events;
    expect(event.name).toBe('exception');
    expect(event.attributes?.['exception.message']).toBe(error.message);
  });

  it("should record each CML call as a cml.request span under the poll's batch span", async () => {
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(request.url === '/api/v0/authenticate' ? '"token"' : '{"lab_tiles":{}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new CmlClient({ tls: { caFile: undefined, insecure: false } });
    try {
      await inSpan(POLL_BATCH_SPAN, {}, () =>
        client.labTiles({
          endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          credentials: { username: 'u', password: 'p' },
          deadline: Date.now() + 2_000,
        }),
      );
    } finally {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    }

    const [batch] = spansNamed(POLL_BATCH_SPAN);
    const calls = spansNamed('cml.request');
    expect(calls.map((span) => span.attributes['cml.call']).sort()).toEqual([
      'authenticate',
      'populate_lab_tiles',
    ]);
    for (const span of calls) {
      expect(span.parentSpanContext?.spanId).toBe(batch.spanContext().spanId);
    }
  });

  it('should make the batch span active, so calls made inside become its children', async () => {
    await inSpan(POLL_BATCH_SPAN, {}, () => {
      trace.getTracer('pg').startSpan('SELECT').end();
      return Promise.resolve();
    });

    const [batch] = spansNamed(POLL_BATCH_SPAN);
    const [query] = spansNamed('SELECT');
    expect(query.parentSpanContext?.spanId).toBe(batch.spanContext().spanId);
  });

  it('should record an error thrown in the batch on its span, and rethrow it', async () => {
    const failure = new Error('connection terminated');

    await expect(inSpan(POLL_BATCH_SPAN, {}, () => Promise.reject(failure))).rejects.toBe(failure);

    const [batch] = spansNamed(POLL_BATCH_SPAN);
    expect(batch.status).toEqual({ code: SpanStatusCode.ERROR, message: failure.message });
    expect(batch.ended).toBe(true);
  });

  it('should not even read the results when the batch span does not record', () => {
    const results = jest.fn(() => [pollResult()]);

    recordWorkerPolls(trace.wrapSpanContext(INVALID_SPAN_CONTEXT), batchTimes, results);

    expect(results).not.toHaveBeenCalled();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

describe(startTracing.name, () => {
  let collector: Server;
  let requests: {
    method?: string;
    url?: string;
    contentType?: string;
    headers: IncomingHttpHeaders;
    body: string;
  }[];
  let collectorStatus: number;

  beforeEach(async () => {
    requests = [];
    collectorStatus = 200;
    collector = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({
          method: request.method,
          url: request.url,
          contentType: request.headers['content-type'],
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(collectorStatus, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    resetGlobalTelemetry();
    collector.closeAllConnections();
    await new Promise((resolve) => collector.close(resolve));
  });

  it('should start nothing when no endpoint is set', async () => {
    const tracing = startTracing({
      tracesUrl: undefined,
      protocol: 'http/protobuf',
      serviceName: 'tracing-spec',
      logger: createLogger('silent'),
    });
    const span = trace.getTracer('test').startSpan('unexported');
    span.end();
    await tracing.shutdown();

    expect(tracing.enabled).toBe(false);
    expect(span.isRecording()).toBe(false);
    expect(requests).toHaveLength(0);
  });

  /** Runs {@link EXPORT_ONE_SPAN}; resolves with its stdout (its log lines). */
  async function exportOneSpan(env: NodeJS.ProcessEnv = {}): Promise<string> {
    const { port } = collector.address() as AddressInfo;
    // A process of its own: the exporter loads `http` with a dynamic import(), which jest's
    // module loader cannot run.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register', '-e', EXPORT_ONE_SPAN],
      {
        cwd: path.join(__dirname, '..', '..'),
        env: {
          PATH: process.env.PATH,
          TS_NODE_SWC: 'true',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
          OTEL_SERVICE_NAME: 'tracing-spec',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          ...env,
        },
      },
    );
    return stdout;
  }

  it('should export the spans over OTLP/HTTP to the endpoint when shut down', async () => {
    const output = await exportOneSpan();

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/traces' });
    expect(request.contentType).toContain('application/json');
    expect(request.body).toContain('exported-operation');
    expect(request.body).toContain('tracing-spec');
    expect(output).not.toContain('"level":40');
  });

  it("should describe the service by the SDK's variables: name, version, instance and resource attributes", async () => {
    await exportOneSpan({
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,cml.fleet=lab-a',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-tenant=labs',
    });

    const [request] = requests;
    expect(request.headers['x-collector-tenant']).toBe('labs');
    const resource = resourceAttributes(request.body);
    expect(resource).toMatchObject({
      'service.name': 'tracing-spec',
      'service.version': packageVersion(),
      'deployment.environment.name': 'staging',
      'cml.fleet': 'lab-a',
      'host.name': hostname(),
      'process.pid': expect.any(Number),
    });
    expect(resource['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should send protobuf by default, to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given', async () => {
    const { port } = collector.address() as AddressInfo;
    await exportOneSpan({
      OTEL_EXPORTER_OTLP_PROTOCOL: '',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/tenant/traces`,
    });

    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', url: '/tenant/traces' });
    expect(request.contentType).toBe('application/x-protobuf');
    // Protobuf keeps strings as they are: the span's name is in the bytes.
    expect(request.body).toContain('exported-operation');
  });

  it('should log, and still shut down, when the collector refuses the spans', async () => {
    collectorStatus = 400;

    const output = await exportOneSpan();

    expect(requests).toHaveLength(1);
    const warnings = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; component?: string })
      .filter((line) => line.level >= 40);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0].component).toBe('tracing');
  });
});

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}

/** The resource attributes of an OTLP/JSON export, as plain values. */
function resourceAttributes(body: string): Record<string, string | number> {
  const exported = JSON.parse(body) as {
    resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] } }[];
  };
  return Object.fromEntries(
    exported.resourceSpans[0].resource.attributes.map(({ key, value }) => [
      key,
      value.stringValue ?? Number(value.intValue),
    ]),
  );
}

/** What src/main.ts does with the OTEL_* variables, then one span and a shutdown. */
const EXPORT_ONE_SPAN = `
  const { trace } = require('@opentelemetry/api');
  const { loadConfig } = require('./src/config');
  const { createLogger } = require('./src/logger');
  const { startTracing } = require('./src/observability/tracing');
  const tracing = startTracing({ ...loadConfig().tracing, logger: createLogger('warn') });
  if (!tracing.enabled) process.exit(2);
  trace.getTracer('test').startSpan('exported-operation').end();
  tracing.shutdown().then(() => {
    process.exit(trace.getTracer('test').startSpan('after').isRecording() ? 3 : 0);
  });
`;
