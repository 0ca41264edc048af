import { type IncomingHttpHeaders, request, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import express from 'express';
import { buildSchema } from 'graphql';
import { graphqlMetricsPlugin } from '../../src/observability/graphql-metrics.plugin';
import {
  type FleetSnapshot,
  type FleetSnapshotSource,
  metricsHandler,
  ServiceMetrics,
  type ServiceMetricsOptions,
} from '../../src/observability/metrics';

type SnapshotWorker = FleetSnapshot['workers'][number];

function snapshotWorker(overrides: Partial<SnapshotWorker> = {}): SnapshotWorker {
  return {
    id: 'w-1',
    name: 'lab-1',
    awsInstanceId: 'i-0123456789abcdef0',
    awsRegion: 'eu-west-1',
    status: 'running',
    cpuUtilization: 42.5,
    memoryUtilization: 61,
    lastPolledAt: new Date('2024-01-02T03:04:05.000Z'),
    ...overrides,
  };
}

function snapshotOf(overrides: Partial<FleetSnapshot> = {}): FleetSnapshot {
  return {
    workers: [snapshotWorker()],
    alertsFiring: [],
    jobs: { due: 0, running: 0, late: 0 },
    ...overrides,
  };
}

/** A source whose next snapshot the test sets, counting how often it is read. */
class FakeSnapshotSource implements FleetSnapshotSource {
  reads = 0;
  constructor(public next: FleetSnapshot | Error) {}

  snapshot(): Promise<FleetSnapshot> {
    this.reads += 1;
    return this.next instanceof Error ? Promise.reject(this.next) : Promise.resolve(this.next);
  }
}

function serviceMetrics(options: Partial<ServiceMetricsOptions> = {}): ServiceMetrics {
  return new ServiceMetrics({
    workerGaugesMaxFleet: 2_000,
    version: '1.2.3',
    revision: '8f3c2a1',
    ...options,
  });
}

function linesOf(text: string): string[] {
  return text.split('\n');
}

const WORKER_LABELS =
  'worker_id="w-1",worker_name="lab-1",instance_id="i-0123456789abcdef0",region="eu-west-1"';

describe(ServiceMetrics.name, () => {
  let metrics: ServiceMetrics;

  beforeEach(() => {
    metrics = serviceMetrics();
  });

  it('should count polled, failed and gone workers across batches', async () => {
    metrics.recordPollBatch({ size: 5, durationMs: 1_000, polled: 2, failed: 1, gone: 2 });
    metrics.recordPollBatch({ size: 120, durationMs: 500, polled: 1, failed: 0, gone: 0 });

    const lines = linesOf(await metrics.metricsText());

    expect(lines).toEqual(
      expect.arrayContaining([
        'cwm_polls_total{outcome="polled"} 3',
        'cwm_polls_total{outcome="failed"} 1',
        'cwm_polls_total{outcome="gone"} 2',
        'cwm_poll_batch_size_bucket{le="10"} 1',
        'cwm_poll_batch_size_bucket{le="250"} 2',
        'cwm_poll_batch_size_count 2',
        'cwm_poll_batch_size_sum 125',
        'cwm_poll_batch_duration_seconds_sum 1.5',
        'cwm_poll_batch_duration_seconds_count 2',
      ]),
    );
  });

  it('should count SQL statements per pool, each from 0', async () => {
    expect(linesOf(await metrics.metricsText())).toEqual(
      expect.arrayContaining([
        'cwm_sql_statements_total{pool="data"} 0',
        'cwm_sql_statements_total{pool="jobs"} 0',
      ]),
    );

    metrics.recordSqlStatement('jobs');
    metrics.recordSqlStatement('jobs');
    metrics.recordSqlStatement('data');

    expect(linesOf(await metrics.metricsText())).toEqual(
      expect.arrayContaining([
        'cwm_sql_statements_total{pool="data"} 1',
        'cwm_sql_statements_total{pool="jobs"} 2',
      ]),
    );
  });

  it('should count AWS calls by outcome and throttled calls separately', async () => {
    metrics.recordAwsCall('DescribeInstanceStatus', 'ok');
    metrics.recordAwsCall('DescribeInstanceStatus', 'ok');
    metrics.recordAwsCall('GetMetricData', 'throttled');
    metrics.recordAwsCall('GetMetricData', 'error');

    const lines = linesOf(await metrics.metricsText());

    expect(lines).toEqual(
      expect.arrayContaining([
        'cwm_aws_calls_total{action="DescribeInstanceStatus",outcome="ok"} 2',
        'cwm_aws_calls_total{action="GetMetricData",outcome="throttled"} 1',
        'cwm_aws_calls_total{action="GetMetricData",outcome="error"} 1',
        'cwm_aws_throttles_total{action="GetMetricData"} 1',
      ]),
    );
    expect(
      lines.filter((line) => line.startsWith('cwm_aws_throttles_total{') && !line.endsWith(' 0')),
    ).toHaveLength(1);
  });

  it('should count notification deliveries by receiver kind and outcome', async () => {
    metrics.recordDelivery('webhook', 'delivered');
    metrics.recordDelivery('webhook', 'retry');
    metrics.recordDelivery('webhook', 'retry');
    metrics.recordDelivery('slack', 'failed');

    const lines = linesOf(await metrics.metricsText());

    expect(lines).toEqual(
      expect.arrayContaining([
        'cwm_notification_deliveries_total{receiver_kind="webhook",outcome="delivered"} 1',
        'cwm_notification_deliveries_total{receiver_kind="webhook",outcome="retry"} 2',
        'cwm_notification_deliveries_total{receiver_kind="slack",outcome="failed"} 1',
      ]),
    );
  });

  it('should track open WebSocket connections and active subscriptions', async () => {
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.connectionClosed();
    metrics.subscriptionStarted();
    metrics.subscriptionStarted();
    metrics.subscriptionStarted();
    metrics.subscriptionEnded();

    const lines = linesOf(await metrics.metricsText());

    expect(lines).toEqual(expect.arrayContaining(['cwm_websocket_connections 1']));
    expect(lines).toEqual(expect.arrayContaining(['cwm_subscriptions 2']));
  });

  it("should expose Node's default process metrics without a prefix", async () => {
    const text = await metrics.metricsText();

    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('should leave out the default gauges promtool refuses for their counter-like names', async () => {
    const text = await metrics.metricsText();

    expect(text).not.toMatch(/^nodejs_active_\w+_total/m);
    // Its series by type come and go with the process's handles; the family stays.
    expect(text).toMatch(/^# TYPE nodejs_active_handles gauge$/m);
  });

  it('should say which version and revision runs on which Node.js', async () => {
    expect(linesOf(await metrics.metricsText())).toContain(
      `cwm_build_info{version="1.2.3",revision="8f3c2a1",node_version="${process.version}"} 1`,
    );
  });

  it('should expose every poll outcome, known AWS action, CML call and receiver kind at 0 before any event', async () => {
    const lines = linesOf(await metrics.metricsText());

    expect(lines).toEqual(
      expect.arrayContaining([
        'cwm_polls_total{outcome="polled"} 0',
        'cwm_polls_total{outcome="failed"} 0',
        'cwm_polls_total{outcome="gone"} 0',
        'cwm_aws_calls_total{action="GetMetricData",outcome="ok"} 0',
        'cwm_aws_calls_total{action="DescribeInstanceStatus",outcome="throttled"} 0',
        'cwm_aws_calls_total{action="StopInstances",outcome="error"} 0',
        'cwm_aws_throttles_total{action="GetMetricData"} 0',
        'cwm_cml_calls_total{endpoint="system_information",outcome="unreachable"} 0',
        'cwm_notification_deliveries_total{receiver_kind="SLACK",outcome="failed"} 0',
        'cwm_notification_deliveries_total{receiver_kind="EMAIL",outcome="delivered"} 0',
      ]),
    );
    expect(lines.filter((line) => line.startsWith('cwm_aws_calls_total{'))).toHaveLength(7 * 3);
    expect(
      lines.filter((line) => line.startsWith('cwm_notification_deliveries_total{')),
    ).toHaveLength(5 * 3);
  });

  it("should report this process's newest poll cycle, 0 until there is one", async () => {
    const cycles: { startedAt: Date; finishedAt: Date }[] = [];
    metrics.setPollCycleSource(() => cycles.at(-1));
    expect(linesOf(await metrics.metricsText())).toContain('cwm_poll_cycle_duration_seconds 0');

    cycles.push({ startedAt: new Date(10_000), finishedAt: new Date(12_500) });

    expect(linesOf(await metrics.metricsText())).toContain('cwm_poll_cycle_duration_seconds 2.5');
  });

  it('should keep its metrics apart from those of another instance', async () => {
    const other = serviceMetrics();
    other.recordAwsCall('GetMetricData', 'ok');

    expect(linesOf(await metrics.metricsText())).toContain(
      'cwm_aws_calls_total{action="GetMetricData",outcome="ok"} 0',
    );
  });

  describe('fleet gauges', () => {
    it('should expose each worker with its utilization, status and last poll time', async () => {
      metrics.setSnapshotSource(
        new FakeSnapshotSource(
          snapshotOf({
            alertsFiring: [
              { kind: 'HIGH_CPU', count: 2 },
              { kind: 'WORKER_DOWN', count: 1 },
            ],
            jobs: { due: 4, running: 2, late: 1 },
          }),
        ),
      );

      const lines = linesOf(await metrics.metricsText());

      expect(lines).toEqual(
        expect.arrayContaining([
          `cwm_worker_cpu_utilization_percent{${WORKER_LABELS}} 42.5`,
          `cwm_worker_memory_utilization_percent{${WORKER_LABELS}} 61`,
          `cwm_worker_status{${WORKER_LABELS},status="running"} 1`,
          `cwm_worker_last_poll_timestamp_seconds{${WORKER_LABELS}} 1704164645`,
          'cwm_alerts_firing{kind="HIGH_CPU"} 2',
          'cwm_alerts_firing{kind="WORKER_DOWN"} 1',
          'cwm_jobs{state="due"} 4',
          'cwm_jobs{state="running"} 2',
          'cwm_jobs{state="late"} 1',
        ]),
      );
      expect(lines.filter((line) => line.startsWith('cwm_worker_status{'))).toHaveLength(1);
    });

    it('should count the workers of each region by status, every status from 0', async () => {
      metrics.setSnapshotSource(
        new FakeSnapshotSource(
          snapshotOf({
            workers: [
              snapshotWorker({ status: 'RUNNING' }),
              snapshotWorker({ id: 'w-2', status: 'RUNNING' }),
              snapshotWorker({ id: 'w-3', status: 'STOPPED', awsRegion: 'us-east-1' }),
            ],
          }),
        ),
      );

      const lines = linesOf(await metrics.metricsText());

      expect(lines).toEqual(
        expect.arrayContaining([
          'cwm_workers{status="RUNNING",region="eu-west-1"} 2',
          'cwm_workers{status="STOPPED",region="eu-west-1"} 0',
          'cwm_workers{status="STOPPED",region="us-east-1"} 1',
          'cwm_workers{status="RUNNING",region="us-east-1"} 0',
        ]),
      );
      expect(lines.filter((line) => line.startsWith('cwm_workers{'))).toHaveLength(2 * 7);
    });

    it('should expose every alert kind, 0 when none fires', async () => {
      metrics.setSnapshotSource(
        new FakeSnapshotSource(snapshotOf({ alertsFiring: [{ kind: 'CPU_HIGH', count: 3 }] })),
      );

      const lines = linesOf(await metrics.metricsText());

      expect(lines).toEqual(
        expect.arrayContaining([
          'cwm_alerts_firing{kind="CPU_HIGH"} 3',
          'cwm_alerts_firing{kind="CML_UNAVAILABLE"} 0',
          'cwm_alerts_firing{kind="LICENSE_EXPIRING"} 0',
        ]),
      );
      expect(lines.filter((line) => line.startsWith('cwm_alerts_firing{'))).toHaveLength(9);
    });

    it('should export no fleet gauge at all without a snapshot source, as ROLE=api', async () => {
      const text = await metrics.metricsText();

      for (const name of ['cwm_workers', 'cwm_worker_status', 'cwm_alerts_firing', 'cwm_jobs']) {
        expect(text).not.toMatch(new RegExp(`^${name}\\{`, 'm'));
      }
    });

    describe('past the fleet size for per-worker gauges', () => {
      const twoWorkers = () =>
        new FakeSnapshotSource(
          snapshotOf({ workers: [snapshotWorker(), snapshotWorker({ id: 'w-2', name: 'lab-2' })] }),
        );

      it('should export only the counts by status and region', async () => {
        metrics = serviceMetrics({ workerGaugesMaxFleet: 1 });
        metrics.setSnapshotSource(twoWorkers());

        const text = await metrics.metricsText();

        expect(text).not.toContain('worker_id=');
        expect(linesOf(text)).toContain('cwm_workers{status="running",region="eu-west-1"} 2');
        expect(linesOf(text)).toContain('cwm_jobs{state="late"} 0');
      });

      it('should export the per-worker gauges up to that size', async () => {
        metrics = serviceMetrics({ workerGaugesMaxFleet: 2 });
        metrics.setSnapshotSource(twoWorkers());

        const text = await metrics.metricsText();

        expect(text.match(/^cwm_worker_status\{/gm)).toHaveLength(2);
        expect(text.match(/^cwm_worker_cpu_utilization_percent\{/gm)).toHaveLength(2);
      });

      it('should never export them with a size of 0', async () => {
        metrics = serviceMetrics({ workerGaugesMaxFleet: 0 });
        metrics.setSnapshotSource(new FakeSnapshotSource(snapshotOf()));

        expect(await metrics.metricsText()).not.toContain('worker_id=');
      });
    });

    it('should leave out the utilization and poll time a worker has no value for', async () => {
      metrics.setSnapshotSource(
        new FakeSnapshotSource(
          snapshotOf({
            workers: [
              snapshotWorker({
                status: 'stopped',
                cpuUtilization: null,
                memoryUtilization: null,
                lastPolledAt: null,
              }),
            ],
          }),
        ),
      );

      const text = await metrics.metricsText();

      expect(text).not.toContain('cwm_worker_cpu_utilization_percent{');
      expect(text).not.toContain('cwm_worker_memory_utilization_percent{');
      expect(text).not.toContain('cwm_worker_last_poll_timestamp_seconds{');
      expect(linesOf(text)).toContain(`cwm_worker_status{${WORKER_LABELS},status="stopped"} 1`);
    });

    it('should drop a worker that is gone from the snapshot on the next scrape', async () => {
      const source = new FakeSnapshotSource(
        snapshotOf({
          workers: [snapshotWorker(), snapshotWorker({ id: 'w-2', name: 'lab-2' })],
          alertsFiring: [{ kind: 'HIGH_CPU', count: 1 }],
        }),
      );
      metrics.setSnapshotSource(source);
      expect(await metrics.metricsText()).toContain('worker_id="w-2"');

      source.next = snapshotOf({ workers: [snapshotWorker({ status: 'stopping' })] });
      const text = await metrics.metricsText();

      expect(text).not.toContain('worker_id="w-2"');
      expect(text).not.toContain('cwm_alerts_firing{kind="HIGH_CPU"}');
      expect(linesOf(text)).toContain(`cwm_worker_status{${WORKER_LABELS},status="stopping"} 1`);
      expect(text).not.toContain('status="running"');
    });

    it('should read the snapshot once per scrape', async () => {
      const source = new FakeSnapshotSource(snapshotOf());
      metrics.setSnapshotSource(source);

      await metrics.metricsText();
      await metrics.metricsText();

      expect(source.reads).toBe(2);
    });

    it('should let scrapes that overlap share one snapshot read', async () => {
      const source = new FakeSnapshotSource(snapshotOf());
      metrics.setSnapshotSource(source);

      const texts = await Promise.all([metrics.metricsText(), metrics.metricsText()]);

      expect(source.reads).toBe(1);
      texts.forEach((text) =>
        expect(linesOf(text)).toContain(`cwm_worker_status{${WORKER_LABELS},status="running"} 1`),
      );
    });

    it('should fail the scrape when the snapshot cannot be read', async () => {
      metrics.setSnapshotSource(new FakeSnapshotSource(new Error('database is unreachable')));

      await expect(metrics.metricsText()).rejects.toThrow('database is unreachable');
    });
  });

  describe('GraphQL operation labels', () => {
    it('should count unnamed operations as "anonymous"', async () => {
      metrics.recordOperation(null, 'query', 'ok', 5);
      metrics.recordOperation('', 'query', 'ok', 5);

      expect(linesOf(await metrics.metricsText())).toContain(
        'cwm_graphql_operations_total{operation="anonymous",type="query",outcome="ok"} 2',
      );
    });

    it('should cut operation names to 64 characters', async () => {
      const long = 'Q'.repeat(100);
      metrics.recordOperation(long, 'query', 'ok', 5);

      const text = await metrics.metricsText();

      expect(linesOf(text)).toContain(
        `cwm_graphql_operations_total{operation="${'Q'.repeat(64)}",type="query",outcome="ok"} 1`,
      );
      expect(text).not.toContain('Q'.repeat(65));
    });

    it('should count names past the 200th distinct one as "other"', async () => {
      for (let i = 0; i < 205; i += 1) {
        metrics.recordOperation(`Op${i}`, 'query', 'ok', 1);
      }
      metrics.recordOperation('Op0', 'query', 'ok', 1);
      metrics.recordOperation(null, 'mutation', 'error', 1);

      const lines = linesOf(await metrics.metricsText());
      const counted = lines.filter((line) => line.startsWith('cwm_graphql_operations_total{'));

      expect(counted).toHaveLength(202);
      expect(lines).toEqual(
        expect.arrayContaining([
          'cwm_graphql_operations_total{operation="Op0",type="query",outcome="ok"} 2',
          'cwm_graphql_operations_total{operation="Op199",type="query",outcome="ok"} 1',
          'cwm_graphql_operations_total{operation="other",type="query",outcome="ok"} 5',
          'cwm_graphql_operations_total{operation="anonymous",type="mutation",outcome="error"} 1',
        ]),
      );
      expect(lines.join('\n')).not.toContain('operation="Op200"');
    });

    it('should time operations in seconds', async () => {
      metrics.recordOperation('Workers', 'query', 'ok', 30);

      expect(linesOf(await metrics.metricsText())).toEqual(
        expect.arrayContaining([
          'cwm_graphql_operation_duration_seconds_bucket{le="0.025",operation="Workers",type="query"} 0',
          'cwm_graphql_operation_duration_seconds_bucket{le="0.05",operation="Workers",type="query"} 1',
          'cwm_graphql_operation_duration_seconds_count{operation="Workers",type="query"} 1',
        ]),
      );
    });
  });
});

describe(metricsHandler.name, () => {
  const TOKEN = 's3cret-metrics-token';
  let metrics: ServiceMetrics;
  let server: Server | undefined;

  async function serve(token: string | undefined): Promise<string> {
    const app = express();
    app.get('/metrics', metricsHandler(metrics, token));
    const listening = app.listen(0, '127.0.0.1');
    server = listening;
    await new Promise<void>((resolve) => listening.once('listening', resolve));
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/metrics`;
  }

  beforeEach(() => {
    metrics = serviceMetrics();
    metrics.recordAwsCall('GetMetricData', 'ok');
  });

  afterEach(async () => {
    const running = server;
    server = undefined;
    await new Promise<void>((resolve) => (running ? running.close(() => resolve()) : resolve()));
  });

  it('should answer the exposition text with the Prometheus content type when no token is set', async () => {
    const response = await fetch(await serve(undefined));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(linesOf(await response.text())).toContain(
      'cwm_aws_calls_total{action="GetMetricData",outcome="ok"} 1',
    );
  });

  describe('gzip', () => {
    /** node:http, as fetch would ask for gzip and decompress without telling. */
    function get(url: string, headers: Record<string, string>) {
      return new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        request(url, { headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ headers: response.headers, body: Buffer.concat(chunks) }),
          );
          response.on('error', reject);
        })
          .on('error', reject)
          .end();
      });
    }
    const cwmLines = (text: string) => linesOf(text).filter((line) => line.startsWith('cwm_'));

    it('should gzip the text for a scraper that accepts it, with the same content type', async () => {
      const url = await serve(undefined);
      const plain = await get(url, {});

      const zipped = await get(url, { 'accept-encoding': 'gzip' });

      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(zipped.headers.vary).toBe('Accept-Encoding');
      expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
      expect(cwmLines(gunzipSync(zipped.body).toString('utf8'))).toEqual(
        cwmLines(plain.body.toString('utf8')),
      );
    });

    it.each([
      ['no Accept-Encoding', {}],
      ['only identity', { 'accept-encoding': 'identity' }],
      ['gzip refused', { 'accept-encoding': 'gzip;q=0, br' }],
    ])('should answer plain text with %s', async (_case, headers) => {
      const response = await get(await serve(undefined), headers);

      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(response.body.toString('utf8')).toContain(
        'cwm_aws_calls_total{action="GetMetricData",outcome="ok"} 1',
      );
    });
  });

  it('should refuse a scrape without credentials when a token is set', async () => {
    const response = await fetch(await serve(TOKEN));

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.text()).not.toContain('cwm_');
  });

  it.each([
    ['a wrong token of the same length', `Bearer ${'x'.repeat(TOKEN.length)}`],
    ['a wrong token of another length', 'Bearer short'],
    ['the token under another scheme', `Basic ${TOKEN}`],
    ['the token with a suffix', `Bearer ${TOKEN}x`],
  ])('should refuse %s', async (_case, authorization) => {
    const response = await fetch(await serve(TOKEN), { headers: { authorization } });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('should answer a scrape bearing the token', async () => {
    const response = await fetch(await serve(TOKEN), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain('cwm_aws_calls_total{');
  });

  it('should answer 500 with the reason when the fleet snapshot fails', async () => {
    metrics.setSnapshotSource({
      snapshot: () => Promise.reject(new Error('database is unreachable')),
    });

    const response = await fetch(await serve(TOKEN), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });

    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toContain('database is unreachable');
    expect(body).not.toContain(TOKEN);
  });

  it('should refuse an empty token rather than accept an empty credential', () => {
    expect(() => metricsHandler(metrics, '')).toThrow(TypeError);
  });
});

describe(graphqlMetricsPlugin.name, () => {
  const schema = buildSchema(`
    type Query { hello: String, broken: String }
    type Mutation { touch: Boolean }
  `);
  const rootValue = {
    hello: () => 'world',
    broken: () => {
      throw new Error('resolver failed');
    },
    touch: () => true,
  };
  let metrics: ServiceMetrics;
  let server: ApolloServer;

  beforeEach(async () => {
    metrics = serviceMetrics();
    server = new ApolloServer({
      schema,
      rootValue,
      plugins: [graphqlMetricsPlugin(metrics)],
    });
    await server.start();
  });

  afterEach(() => server.stop());

  it('should record a successful operation with its name and type', async () => {
    await server.executeOperation({ query: 'query Greeting { hello }' });
    await server.executeOperation({ query: 'mutation Touch { touch }' });

    expect(linesOf(await metrics.metricsText())).toEqual(
      expect.arrayContaining([
        'cwm_graphql_operations_total{operation="Greeting",type="query",outcome="ok"} 1',
        'cwm_graphql_operations_total{operation="Touch",type="mutation",outcome="ok"} 1',
        'cwm_graphql_operation_duration_seconds_count{operation="Greeting",type="query"} 1',
      ]),
    );
  });

  it('should record an operation whose resolver fails as an error', async () => {
    const response = await server.executeOperation({ query: 'query Broken { hello broken }' });
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toHaveLength(1);

    expect(linesOf(await metrics.metricsText())).toContain(
      'cwm_graphql_operations_total{operation="Broken",type="query",outcome="error"} 1',
    );
  });

  it('should record an unnamed operation as anonymous', async () => {
    await server.executeOperation({ query: '{ hello }' });

    expect(linesOf(await metrics.metricsText())).toContain(
      'cwm_graphql_operations_total{operation="anonymous",type="query",outcome="ok"} 1',
    );
  });

  it('should record a request that fails validation as an anonymous error of unknown type', async () => {
    await server.executeOperation({ query: 'query Invented { nope }' });
    await server.executeOperation({ query: 'query {' });

    expect(linesOf(await metrics.metricsText())).toContain(
      'cwm_graphql_operations_total{operation="anonymous",type="unknown",outcome="error"} 2',
    );
  });
});
