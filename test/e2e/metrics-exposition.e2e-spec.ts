import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { ImportWorkerDocument, RefreshWorkerDocument } from '../generated/graphql';
import { requestData } from '../support/graphql-client';
import {
  dashboard,
  exposedNames,
  metricNamesIn,
  promtool,
  ruleFile,
  withGrafanaVariables,
} from '../support/promtool';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';

/** The exposition as Prometheus asks for it: gzipped. */
function scrape(url: string): Promise<{ encoding: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    request(`${url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = response.headers['content-encoding'];
        resolve({ encoding, text: (encoding === 'gzip' ? gunzipSync(body) : body).toString() });
      });
    })
      .on('error', reject)
      .end();
  });
}

/** Imports a running instance of `app`'s emulator and polls it once. */
async function pollOneWorker(app: TestApp, name: string): Promise<void> {
  const [instance] =
    app.emulator?.fleet.addInstances({ region: TEST_REGION, state: 'running' }) ?? [];
  app.emulator?.fleet.setNextMetrics(instance.instanceId, { cpu: 37, memory: 52 });
  const { importWorker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
    input: { awsInstanceId: instance.instanceId, name },
  });
  await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: importWorker.id });
}

describe('a live /metrics', () => {
  let app: TestApp;
  let text: string;

  beforeAll(async () => {
    app = await startTestApp();
    await pollOneWorker(app, 'exposition-worker');
    const scraped = await scrape(app.url);
    expect(scraped.encoding).toBe('gzip');
    text = scraped.text;
  });

  afterAll(() => app.close());

  it('should pass promtool check metrics without a single complaint', () => {
    expect(text).toContain('cwm_worker_cpu_utilization_percent{');

    const { status, output } = promtool(['check', 'metrics'], { input: text });

    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('should expose every metric the Prometheus rules and the Grafana dashboard read', () => {
    const { panels, templating } = dashboard();
    const expressions = [
      ...ruleFile().groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
      ...panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
      ...templating.list.flatMap((variable) =>
        typeof variable.query === 'object' && variable.query !== null
          ? [String((variable.query as { query: unknown }).query)]
          : [],
      ),
    ].map(withGrafanaVariables);
    const read = [...new Set(expressions.flatMap(metricNamesIn))];
    const exposed = exposedNames(text);

    expect(read).toEqual(
      expect.arrayContaining(['cwm_workers', 'cwm_jobs', 'cwm_poll_batch_duration_seconds_bucket']),
    );
    expect(read.filter((name) => !exposed.has(name))).toEqual([]);
  });
});

const describeWithRedis = process.env.REDIS_URL ? describe : describe.skip;

describeWithRedis('fleet gauges by role', () => {
  let api: TestApp;
  let worker: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ ROLE: 'api' });
    worker = await startTestApp({ ROLE: 'worker', WORKER_MONITORING_ENABLED: 'false' }, api.schema);
    await pollOneWorker(api, 'role-worker');
  });

  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('should leave the fleet to the worker processes: an API process exports none of it', async () => {
    const fromApi = exposedNames((await scrape(api.url)).text);
    const fromWorker = (await scrape(worker.url)).text;

    for (const name of ['cwm_workers', 'cwm_worker_status', 'cwm_alerts_firing', 'cwm_jobs']) {
      expect(fromApi.has(name)).toBe(false);
      expect(exposedNames(fromWorker).has(name)).toBe(true);
    }
    expect(fromApi.has('cwm_build_info')).toBe(true);
    expect(fromWorker).toContain(`cwm_workers{status="RUNNING",region="${TEST_REGION}"} 1`);
  });
});
