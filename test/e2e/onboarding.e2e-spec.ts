import { createHash, randomBytes } from 'node:crypto';
import { IMPORT_BATCH_MAX } from '../../src/schema/inputs/import-workers.args';
import {
  DiscoverInstancesDocument,
  ImportWorkerIdsDocument,
  ImportWorkersDocument,
  RemoveWorkerDocument,
  WorkersDocument,
} from '../generated/graphql';
import { instanceId } from '../support/factories';
import { request, requestData } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const UNKNOWN_WORKER = '00000000-0000-4000-8000-000000000000';
const VIEWER_KEY = 'viewer-key-0123456789abcdef0123456789abcdef';
const OPERATOR_KEY = 'operator-key-0123456789abcdef0123456789abcdef';
const AUTO_IMPORT_INTERVAL_MS = 2_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const bearer = (key: string) => `Bearer ${key}`;

function emulatorOf(app: TestApp) {
  if (!app.emulator) {
    throw new Error('the test app runs on the emulator');
  }
  return app.emulator;
}

/** Through the emulator's control API, as an operator's tooling would launch them. */
async function launchOverHttp(app: TestApp, body: Record<string, unknown>): Promise<string[]> {
  const response = await fetch(`${emulatorOf(app).endpoint}/_emulator/instances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ region: TEST_REGION, ...body }),
  });
  expect(response.status).toBe(201);
  const { instances } = (await response.json()) as { instances: { instanceId: string }[] };
  return instances.map((instance) => instance.instanceId);
}

/** An operation the generated documents do not hold, as any client may send it. */
async function rawQuery(app: TestApp, query: string) {
  const response = await fetch(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { errors?: { extensions?: { code?: string } }[] },
  };
}

async function registeredInstanceIds(app: TestApp, authorization?: string): Promise<Set<string>> {
  const { workers } = await requestData(
    app.graphqlUrl,
    WorkersDocument,
    { first: 500 },
    authorization,
  );
  return new Set(workers.edges.map((edge) => edge.node.awsInstanceId));
}

describe('onboarding a fleet over HTTP', () => {
  describe('with the default limits', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp();
    });

    afterAll(async () => {
      await app.close();
    });

    it(`should refuse more than ${IMPORT_BATCH_MAX} inputs, and none, with BAD_USER_INPUT`, async () => {
      const tooMany = Array.from({ length: IMPORT_BATCH_MAX + 1 }, () => ({
        awsInstanceId: instanceId(),
      }));
      const refused = await request(app.graphqlUrl, ImportWorkerIdsDocument, { inputs: tooMany });
      const empty = await request(app.graphqlUrl, ImportWorkerIdsDocument, { inputs: [] });

      for (const response of [refused, empty]) {
        expect(response.data).toBeNull();
        expect(response.errors?.[0]).toMatchObject({
          message: expect.stringContaining(`1 to ${IMPORT_BATCH_MAX} instances`),
          extensions: { code: 'BAD_USER_INPUT', field: 'inputs' },
        });
      }
    });

    it('should name the input at fault when one is malformed, and import none', async () => {
      const [good] = emulatorOf(app).fleet.addInstances({ region: TEST_REGION });

      const response = await request(app.graphqlUrl, ImportWorkerIdsDocument, {
        inputs: [{ awsInstanceId: good.instanceId }, { awsInstanceId: 'i-123' }],
      });

      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'inputs.1.awsInstanceId',
      });
      expect((await registeredInstanceIds(app)).has(good.instanceId)).toBe(false);
    });

    it('should price discoverInstances by first, like every connection', async () => {
      const cheap = await rawQuery(
        app,
        '{ discoverInstances(first: 1000) { edges { node { awsInstanceId tags { key value } } } } }',
      );
      const expensive = await rawQuery(
        app,
        `{ discoverInstances(first: 1000) { edges { node { awsInstanceId
            worker { metrics(limit: 1000) { cpuUtilization memoryUtilization collectedAt } } } } } }`,
      );

      expect(cheap.status).toBe(200);
      expect(cheap.body.errors).toBeUndefined();
      expect(expensive.status).toBe(400);
      expect(expensive.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    });
  });

  // An app of its own, so the caller's mutation budget is full when the import takes its share.
  describe('with a full mutation budget', () => {
    let app: TestApp;
    const timings: Record<string, number> = {};

    beforeAll(async () => {
      app = await startTestApp();
    });

    afterAll(async () => {
      await app.close();
      console.log(`onboarding timings (ms): ${JSON.stringify(timings)}`);
    });

    it('should import 250 instances in one importWorkers, one mutation of the 120 a minute allowed', async () => {
      const ids = emulatorOf(app)
        .fleet.addInstances({ region: TEST_REGION, count: 250 })
        .map((instance) => instance.instanceId);

      const started = performance.now();
      const { importWorkers } = await requestData(app.graphqlUrl, ImportWorkersDocument, {
        inputs: ids.map((awsInstanceId) => ({ awsInstanceId })),
      });
      timings.import250 = Math.round(performance.now() - started);
      let allowed = 0;
      for (;;) {
        const { status } = await request(app.graphqlUrl, RemoveWorkerDocument, {
          id: UNKNOWN_WORKER,
        });
        if (status === 429) {
          break;
        }
        allowed += 1;
      }

      expect(importWorkers.failed).toEqual([]);
      expect(importWorkers.imported.map((worker) => worker.awsInstanceId)).toEqual(ids);
      expect(importWorkers.imported.every((worker) => worker.nextPollAt !== null)).toBe(true);
      // The bucket held 120 tokens: the import took one, and refills add a few as we go.
      expect(allowed).toBeGreaterThanOrEqual(119);
      expect(allowed).toBeLessThan(140);
    });
  });

  describe('with API keys', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({
        API_KEYS: `ci-viewer:viewer:${sha256(VIEWER_KEY)},ci-operator:operator:${sha256(OPERATOR_KEY)}`,
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('should let a viewer discover instances but not import them', async () => {
      const [instance] = emulatorOf(app).fleet.addInstances({ region: TEST_REGION });
      const inputs = [{ awsInstanceId: instance.instanceId }];

      const discovered = await request(
        app.graphqlUrl,
        DiscoverInstancesDocument,
        {},
        bearer(VIEWER_KEY),
      );
      const asViewer = await request(
        app.graphqlUrl,
        ImportWorkerIdsDocument,
        { inputs },
        bearer(VIEWER_KEY),
      );
      const registeredAfterViewer = await registeredInstanceIds(app, bearer(VIEWER_KEY));
      const asOperator = await request(
        app.graphqlUrl,
        ImportWorkerIdsDocument,
        { inputs },
        bearer(OPERATOR_KEY),
      );

      expect(discovered.errors).toBeUndefined();
      expect(
        discovered.data?.discoverInstances.edges.map((edge) => edge.node.awsInstanceId),
      ).toContain(instance.instanceId);
      expect(asViewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(registeredAfterViewer.has(instance.instanceId)).toBe(false);
      expect(asOperator.data?.importWorkers.imported).toEqual([
        { id: expect.any(String), awsInstanceId: instance.instanceId },
      ]);
    });
  });

  describe('auto-import', () => {
    let app: TestApp;
    const value = randomBytes(4).toString('hex');

    beforeAll(async () => {
      app = await startTestApp({
        WORKER_AUTO_IMPORT_TAGS: `cml-worker=true,lab=${value}`,
        WORKER_AUTO_IMPORT_INTERVAL: `${AUTO_IMPORT_INTERVAL_MS / 1000}s`,
        JOBS_PROCESS_EVERY_MS: '200',
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('should register an instance launched with the tags within one interval, and leave one without them', async () => {
      const [tagged] = await launchOverHttp(app, { tags: { 'cml-worker': 'true', lab: value } });
      const [partly] = await launchOverHttp(app, { tags: { 'cml-worker': 'true' } });
      const [other] = await launchOverHttp(app, { tags: { 'cml-worker': 'false', lab: value } });

      // One interval, plus a scan of the job store and the run itself.
      const registered = await waitFor(async () => {
        const ids = await registeredInstanceIds(app);
        return ids.has(tagged) ? ids : undefined;
      }, AUTO_IMPORT_INTERVAL_MS + 1_000);

      expect(registered.has(partly)).toBe(false);
      expect(registered.has(other)).toBe(false);
    });
  });
});
