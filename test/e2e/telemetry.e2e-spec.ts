import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.server';
import { packageVersion } from '../../src/package-root';
import {
  sharedServiceEnv,
  startServiceProcess,
  type ServiceProcess,
} from '../support/service-process';
import { startRequestRecorder, type RequestRecorder } from '../support/request-recorder';
import { TEST_REGION } from '../support/test-app';
import { dropSchema, uniqueSchemaName } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const SERVICE_NAME = 'lab-fleet-monitor';
const OPERATOR_KEY = 'telemetry-operator-key-0123456789';
const OPERATOR = 'telemetry-operator';
const COLLECTOR_TENANT = 'labs-tenant';
/** A receiver URL with a token in its path, as Slack's have: it must never leave in a span. */
const WEBHOOK_TOKEN = 'T0KEN-in-the-webhook-path';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
type OtlpAttributes = { key: string; value: OtlpValue }[];

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  /** Nanoseconds since the epoch, as a decimal string. */
  startTimeUnixNano: string;
  status: { code?: number };
  scope: string;
  attributes: Record<string, string | number | boolean | undefined>;
  resource: Record<string, string | number | boolean | undefined>;
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const SPAN_STATUS_ERROR = 2;
const GRAPHQL_SCOPE = '@opentelemetry/instrumentation-graphql';
const OUR_SCOPE = 'cml-worker-monitor';

const plain = (attributes: OtlpAttributes = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        value.doubleValue ??
        value.boolValue ??
        (value.intValue === undefined ? undefined : Number(value.intValue)),
    ]),
  );

/** Every span of the OTLP/JSON exports the collector was sent, flattened. */
function exportedSpans(bodies: readonly string[]): ExportedSpan[] {
  return bodies.flatMap((body) => {
    const exported = JSON.parse(body) as {
      resourceSpans: {
        resource: { attributes: OtlpAttributes };
        scopeSpans: {
          scope: { name: string };
          spans: (Omit<ExportedSpan, 'attributes' | 'resource' | 'scope'> & {
            attributes?: OtlpAttributes;
          })[];
        }[];
      }[];
    };
    return exported.resourceSpans.flatMap((resourceSpan) =>
      resourceSpan.scopeSpans.flatMap((scopeSpan) =>
        scopeSpan.spans.map((span) => ({
          ...span,
          parentSpanId: span.parentSpanId || undefined,
          scope: scopeSpan.scope.name,
          attributes: plain(span.attributes),
          resource: plain(resourceSpan.resource.attributes),
        })),
      ),
    );
  });
}

/**
 * One service process exporting spans to a local OTLP collector, with an operator, a worker
 * whose CPU fires an alert, and a webhook receiver: what its spans and log lines tell of it.
 */
describe('telemetry of a service process', () => {
  const schema = uniqueSchemaName();
  let collector: RequestRecorder;
  let receiver: RequestRecorder;
  let emulator: RunningEmulator;
  let service: ServiceProcess;

  const spans = () =>
    exportedSpans(
      collector.received.filter((entry) => entry.path === '/v1/traces').map((e) => e.body),
    );
  const logLines = () =>
    service.output.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

  const graphql = async (query: string, authorization?: string) => {
    const response = await fetch(service.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] },
    };
  };

  /** One query over graphql-ws, on a connection of its own. */
  const overSocket = async (query: string) => {
    const client = createClient({
      url: service.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${OPERATOR_KEY}` },
      retryAttempts: 0,
    });
    try {
      const results: unknown[] = [];
      for await (const result of client.iterate({ query })) {
        results.push(result);
      }
      return results;
    } catch (error) {
      return [error];
    } finally {
      await client.dispose();
    }
  };

  let workerId: string;

  beforeAll(async () => {
    collector = await startRequestRecorder();
    receiver = await startRequestRecorder();
    emulator = await startEmulator({ defaultRegion: TEST_REGION });
    const [instance] = emulator.fleet.addInstances({ region: TEST_REGION, state: 'running' });
    emulator.fleet.setNextMetrics(instance.instanceId, { cpu: 97, memory: 40 });
    service = await startServiceProcess({
      ...(await sharedServiceEnv({
        schema,
        emulatorEndpoint: emulator.endpoint,
        region: TEST_REGION,
        intervalMs: 1_000,
      })),
      API_KEYS: `${OPERATOR}:operator:${createHash('sha256').update(OPERATOR_KEY).digest('hex')}`,
      WORKER_NOTIFICATION_WEBHOOKS: `${receiver.base}/hooks/${WEBHOOK_TOKEN}`,
      WORKER_NOTIFICATION_GROUP_WAIT: '0s',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.base,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: `x-collector-tenant=${COLLECTOR_TENANT}`,
      OTEL_SERVICE_NAME: SERVICE_NAME,
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e,cml.fleet=lab-a',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      // As production has it: a document's first run on graphql-js, the next ones compiled.
      GRAPHQL_COMPILE_AFTER_RUNS: '1',
      LOG_LEVEL: 'info',
    });
    const imported = await graphql(
      `mutation TelemetryImport { importWorker(input: { awsInstanceId: "${instance.instanceId}", name: "telemetry-worker" }) { id } }`,
      `Bearer ${OPERATOR_KEY}`,
    );
    workerId = (imported.body.data?.importWorker as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await emulator?.close();
    await receiver?.close();
    await collector?.close();
    await dropSchema(schema);
  });

  it("should describe itself by the SDK's variables, to the collector's headers", async () => {
    await waitFor(() => spans().length > 0, 15_000);

    const [first] = collector.received;
    expect(first.headers['x-collector-tenant']).toBe(COLLECTOR_TENANT);
    expect(first.headers['content-type']).toContain('application/json');
    const { resource } = spans()[0];
    expect(resource).toMatchObject({
      'service.name': SERVICE_NAME,
      'service.version': packageVersion(),
      'deployment.environment.name': 'e2e',
      'cml.fleet': 'lab-a',
      'host.name': hostname(),
      'process.pid': service.pid,
    });
    expect(resource['service.instance.id']).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  });

  it('should trace a delivery under its job, with the traceparent the receiver got and no token in the span', async () => {
    const delivery = await waitFor(
      () => receiver.received.find((entry) => entry.headers.traceparent !== undefined),
      30_000,
    );
    const [, traceId, spanId] = String(delivery.headers.traceparent).split('-');

    const request = await waitFor(() => spans().find((span) => span.spanId === spanId), 15_000);
    expect(request).toMatchObject({ traceId, kind: SPAN_KIND_CLIENT, name: 'POST' });
    expect(request.attributes).toMatchObject({
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
    });
    expect(JSON.stringify(spans())).not.toContain(WEBHOOK_TOKEN);
    const job = spans().find((span) => span.spanId === request.parentSpanId);
    expect(job).toMatchObject({
      traceId,
      name: 'job deliver-notification',
      parentSpanId: undefined,
      attributes: { 'cml.job.name': 'deliver-notification' },
    });
  });

  it('should trace each poll job, naming the worker and its host as the conventions do', async () => {
    const polls = await waitFor(() => {
      const found = spans().filter((span) => span.name === 'job poll-worker');
      return found.length > 0 ? found : undefined;
    }, 15_000);
    expect(polls[0]).toMatchObject({
      parentSpanId: undefined,
      attributes: { 'cml.job.name': 'poll-worker', 'cml.worker.id': workerId },
    });
    const worker = await waitFor(() => spans().find((span) => span.name === 'poll.worker'), 15_000);
    expect(worker.attributes).toMatchObject({
      'cml.worker.id': workerId,
      'cloud.provider': 'aws',
      'cloud.region': TEST_REGION,
      'host.id': expect.stringMatching(/^i-/),
    });
    expect(Object.keys(worker.attributes).filter((key) => key.startsWith('aws.'))).toEqual([]);
  });

  it('should make each graphql-ws operation one root span, its parse, validate and execute under it', async () => {
    const query = 'query SocketFleet { workers(first: 5) { totalCount } }';
    const [answer] = await overSocket(query);
    expect(answer).toEqual({ data: { workers: { totalCount: 1 } } });
    // The second time, the document is the limits' cached one, and runs compiled.
    const [again] = await overSocket(query);
    expect(again).toEqual(answer);
    const refused = await overSocket('query SocketTypo { workerz { totalCount } }');
    expect(refused).toEqual([
      [expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })],
    ]);

    const roots = await waitFor(() => {
      const found = spans().filter(
        (span) =>
          span.name === 'query SocketFleet' &&
          span.scope === OUR_SCOPE &&
          span.kind === SPAN_KIND_SERVER,
      );
      return found.length === 2 ? found : undefined;
    }, 15_000);
    const treeOf = (root: (typeof roots)[number]) =>
      waitFor(() => {
        const found = spans().filter((span) => span.traceId === root.traceId);
        return found.some((span) => span.spanId !== root.spanId && span.name === root.name)
          ? found
          : undefined;
      }, 15_000);
    const childrenOf = async (root: (typeof roots)[number]) => {
      const tree = await treeOf(root);
      expect(tree.filter((span) => span.parentSpanId === undefined)).toEqual([root]);
      return tree
        .filter((span) => span.parentSpanId === root.spanId)
        .map((span) => [span.scope, span.name]);
    };
    for (const root of roots) {
      expect(root).toMatchObject({
        parentSpanId: undefined,
        attributes: { 'graphql.operation.type': 'query', 'graphql.operation.name': 'SocketFleet' },
      });
    }
    const [first, second] = [...roots].sort((a, b) =>
      Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)),
    );
    expect(await childrenOf(first)).toEqual(
      expect.arrayContaining([
        [GRAPHQL_SCOPE, 'graphql.parse'],
        [GRAPHQL_SCOPE, 'graphql.validate'],
        // The instrumentation names its execute span after the operation.
        [GRAPHQL_SCOPE, 'query SocketFleet'],
      ]),
    );
    // Compiled execution names its span as the instrumentation does.
    expect(await childrenOf(second)).toEqual([[OUR_SCOPE, 'query SocketFleet']]);
    const typo = await waitFor(() =>
      spans().find((span) => span.name === 'query SocketTypo' && span.scope === OUR_SCOPE),
    );
    expect(typo).toMatchObject({ parentSpanId: undefined, status: { code: SPAN_STATUS_ERROR } });
    // Nothing graphql-js ran (this service's start included) starts a trace of its own.
    expect(
      spans().filter((span) => span.parentSpanId === undefined && span.scope === GRAPHQL_SCOPE),
    ).toEqual([]);
  });

  it('should log one line per request and per operation, with the caller, the trace and nothing secret', async () => {
    await graphql('query HttpFleet { workers(first: 1) { totalCount } }', `Bearer ${OPERATOR_KEY}`);
    const refused = await graphql('query HttpTypo { workerz }');
    expect(refused.status).toBe(400);
    const withToken = await fetch(new URL(`/graphql?token=${WEBHOOK_TOKEN}`, service.graphqlUrl));
    await withToken.text();

    const lines = await waitFor(() => {
      const found = logLines();
      return found.some((line) => line.msg === 'http request' && line.method === 'GET')
        ? found
        : undefined;
    });
    for (const line of lines) {
      expect(line).toMatchObject({ pid: service.pid, hostname: hostname(), service: SERVICE_NAME });
    }
    const operations = lines.filter((line) => line.msg === 'graphql operation');
    expect(operations.find((line) => line.operation === 'HttpFleet')).toMatchObject({
      type: 'query',
      transport: 'http',
      outcome: 'ok',
      caller: `api-key:${OPERATOR}`,
      durationMs: expect.any(Number),
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(operations.find((line) => line.operation === 'HttpTypo')).toMatchObject({
      type: 'query',
      transport: 'http',
      outcome: 'error',
      code: 'GRAPHQL_VALIDATION_FAILED',
      caller: 'address:127.0.0.1',
    });
    expect(operations.find((line) => line.operation === 'SocketFleet')).toMatchObject({
      type: 'query',
      transport: 'ws',
      outcome: 'ok',
      caller: `api-key:${OPERATOR}`,
    });
    expect(operations.find((line) => line.operation === 'SocketTypo')).toMatchObject({
      type: 'query',
      transport: 'ws',
      outcome: 'error',
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    const requests = lines.filter((line) => line.msg === 'http request');
    expect(requests).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: '/graphql',
        status: 200,
        caller: `api-key:${OPERATOR}`,
        durationMs: expect.any(Number),
        trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/graphql', caller: 'address:127.0.0.1' }),
    );
    const everything = service.output.join('\n');
    expect(everything).not.toContain(OPERATOR_KEY);
    expect(everything).not.toContain(WEBHOOK_TOKEN);
  });
});
