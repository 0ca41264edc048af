import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Client } from 'graphql-ws';
import {
  ImportWorkerDocument,
  RefreshWorkerDocument,
  WorkerStatusChangedDocument,
  type WorkerStatusChangedSubscription,
} from '../generated/graphql';
import { POLLED } from '../../src/entities/change-source.enum';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { requestData, subscribeReady, wsClient } from '../support/graphql-client';
import { isProbe, startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const METRICS_TOKEN = 'metrics-test-token';

/** The value of one exposition line, e.g. `cwm_polls_total{outcome="polled"}`; undefined if absent. */
function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics endpoint', () => {
  let app: TestApp;
  let client: Client;

  const scrape = async (token: string | null = METRICS_TOKEN) =>
    fetch(`${app.url}/metrics`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
  const metricsText = async () => (await scrape()).text();

  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN });
    client = wsClient(app.graphqlUrl);
  });

  afterAll(async () => {
    await client.dispose();
    await app.close();
  });

  it('should refuse a scrape without the token', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('wrong')).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('should move the poll, AWS and GraphQL counters and show the polled worker', async () => {
    const [instance] =
      app.emulator?.fleet.addInstances({ region: TEST_REGION, state: 'running' }) ?? [];
    app.emulator?.fleet.setNextMetrics(instance.instanceId, { cpu: 42.5, memory: 61 });
    const before = await metricsText();
    const { importWorker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
      input: { awsInstanceId: instance.instanceId, name: 'metrics-worker' },
    });

    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: importWorker.id });
    const after = await metricsText();

    const polled = 'cwm_polls_total{outcome="polled"}';
    expect(sampleValue(after, polled)).toBeGreaterThan(sampleValue(before, polled) ?? 0);
    const describes = 'cwm_aws_calls_total{action="DescribeInstanceStatus",outcome="ok"}';
    expect(sampleValue(after, describes)).toBeGreaterThan(sampleValue(before, describes) ?? 0);
    expect(
      sampleValue(
        after,
        'cwm_graphql_operations_total{operation="RefreshWorker",type="mutation",outcome="ok"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    const labels = `worker_id="${importWorker.id}",worker_name="metrics-worker",instance_id="${instance.instanceId}",region="${TEST_REGION}"`;
    expect(sampleValue(after, `cwm_worker_cpu_utilization_percent{${labels}}`)).toBe(42.5);
    expect(sampleValue(after, `cwm_worker_memory_utilization_percent{${labels}}`)).toBe(61);
    expect(sampleValue(after, `cwm_worker_status{${labels},status="RUNNING"}`)).toBe(1);
    expect(sampleValue(after, `cwm_worker_last_poll_timestamp_seconds{${labels}}`)).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
    expect(after).toContain('process_resident_memory_bytes');
  });

  it('should count WebSocket connections and live subscriptions', async () => {
    const subscription = await subscribeReady<
      WorkerStatusChangedSubscription,
      { workerId?: string }
    >(client, WorkerStatusChangedDocument, {}, () => app.probe(undefined), isProbe);

    const during = await metricsText();
    await subscription.close();
    const after = await waitFor(async () => {
      const text = await metricsText();
      const idle =
        sampleValue(text, 'cwm_subscriptions') === 0 &&
        sampleValue(text, 'cwm_websocket_connections') === 0;
      return idle ? text : undefined;
    });

    expect(sampleValue(during, 'cwm_websocket_connections')).toBe(1);
    expect(sampleValue(during, 'cwm_subscriptions')).toBe(1);
    expect(sampleValue(after, 'cwm_subscriptions')).toBe(0);
  });
});

/** A TCP relay to the real Redis that the test can cut and restore, as an outage would. */
async function startRedisRelay(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = async (port: number) => {
    server = createServer((inbound) => {
      const outbound = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const port = await listen(0);
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: async () => {
      await new Promise<void>((resolve) => {
        server?.close(() => resolve());
        sockets.forEach((socket) => socket.destroy());
      });
    },
    restore: () => listen(port),
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) =>
        server?.listening ? server.close(() => resolve()) : resolve(),
      );
    },
  };
}

const describeWithRedis = process.env.REDIS_URL ? describe : describe.skip;

describeWithRedis('readiness through a Redis outage', () => {
  let relay: Awaited<ReturnType<typeof startRedisRelay>>;
  let app: TestApp;
  let client: Client;

  const readiness = async () => {
    const response = await fetch(`${app.url}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    relay = await startRedisRelay(new URL(process.env.REDIS_URL ?? ''));
    app = await startTestApp({ REDIS_URL: relay.url });
    client = wsClient(app.graphqlUrl);
  });

  afterAll(async () => {
    await client.dispose();
    await app.close();
    await relay.close();
  });

  it('should answer 503 naming Redis while it is gone, and deliver events again once it is back', async () => {
    const subscription = await subscribeReady<
      WorkerStatusChangedSubscription,
      { workerId?: string }
    >(client, WorkerStatusChangedDocument, {}, () => app.probe(undefined), isProbe);
    expect(await readiness()).toEqual({ status: 200, body: { status: 'ready' } });

    await relay.cut();
    const down = await waitFor(async () => {
      const result = await readiness();
      return result.status === 503 ? result : undefined;
    }, 10_000);
    await relay.restore();
    await waitFor(async () => (await readiness()).status === 200, 15_000);
    const change = {
      workerId: '00000000-0000-4000-8000-000000000001',
      previousStatus: WorkerStatus.RUNNING,
      status: WorkerStatus.STOPPED,
      changedAt: new Date(),
      ...POLLED,
    };
    const received = await waitFor(async () => {
      await app.pubSub.publish('WORKER_STATUS_CHANGED', change);
      return subscription.next(500).catch(() => undefined);
    }, 15_000);

    expect(down.body).toEqual({ status: 'unavailable', failing: ['redis'] });
    expect(received.workerStatusChanged).toMatchObject({
      workerId: change.workerId,
      status: 'STOPPED',
    });
    await subscription.close();
  }, 45_000);
});
