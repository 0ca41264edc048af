import { AlertKind, AlertState } from '../../src/entities/alert.enums';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import {
  AlertsDocument,
  ImportWorkerDocument,
  WorkerCmlDocument,
  WorkersDocument,
} from '../generated/graphql';
import { emulatorControl } from '../support/emulator-control';
import { requestData } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const IDLE_AFTER_S = 3;

/** Below WORKER_IDLE_CPU_THRESHOLD (5 %) for its whole history. */
const QUIET_CPU = { base: 2, amplitude: 0, noise: 0 };

describe('CML-aware monitoring end to end', () => {
  let app: TestApp;

  const endpoint = () => {
    if (!app.emulator) {
      throw new Error('the test app runs on the emulator');
    }
    return app.emulator.endpoint;
  };

  /** A running instance of its own, registered through importWorker. */
  const importInstance = async (name: string) => {
    const response = await fetch(`${endpoint()}/_emulator/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, region: TEST_REGION, cpuCurve: QUIET_CPU }),
    });
    const { instances } = (await response.json()) as { instances: { instanceId: string }[] };
    const { importWorker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
      input: { awsInstanceId: instances[0].instanceId, awsRegion: TEST_REGION },
    });
    return importWorker;
  };

  const cmlOf = async (id: string) => {
    const { worker } = await requestData(app.graphqlUrl, WorkerCmlDocument, { id });
    if (!worker) {
      throw new Error(`worker ${id} is gone`);
    }
    return worker;
  };

  const alertsOf = async (workerId: string, kind: AlertKind) => {
    const { alerts } = await requestData(app.graphqlUrl, AlertsDocument, {
      filter: { workerId, kind: [kind] },
      first: 10,
    });
    return alerts.edges.map((edge) => edge.node);
  };

  beforeAll(async () => {
    app = await startTestApp({
      EMULATOR_DEMO_FLEET: 'true',
      WORKER_METRICS_POLL_INTERVAL: '1',
      WORKER_ALERT_FOR_SAMPLES: '2',
      WORKER_IDLE_AFTER: `${IDLE_AFTER_S}s`,
      WORKER_IDLE_CPU_THRESHOLD: '5',
      WORKER_IDLE_AUTO_STOP: 'true',
      JOBS_PROCESS_EVERY_MS: '200',
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it("should show a demo worker's controller, labs and license in GraphQL", async () => {
    const { workers } = await requestData(app.graphqlUrl, WorkersDocument, { first: 50 });
    const demo = workers.edges.find((edge) => edge.node.name === 'cml-worker-01')?.node;
    const empty = workers.edges.find((edge) => edge.node.name === 'cml-worker-03')?.node;
    if (!demo || !empty) {
      throw new Error('the demo fleet is not registered');
    }

    await waitFor(async () => (await cmlOf(demo.id)).cml.status === 'AVAILABLE', 15_000);
    const worker = await cmlOf(demo.id);

    expect(worker.cmlEndpoint).toBe(`${endpoint()}/cml/${demo.awsInstanceId}`);
    expect(worker.cml).toMatchObject({
      status: 'AVAILABLE',
      ready: true,
      version: expect.stringMatching(/^2\./) as string,
      license: {
        registrationStatus: 'COMPLETED',
        authorizationStatus: 'IN_COMPLIANCE',
        valid: true,
      },
      labsTotal: 2,
      labsRunning: 1,
      nodesTotal: 12,
      nodesRunning: 8,
      error: null,
    });
    expect(worker.labs.map((lab) => [lab.state, lab.running, lab.nodeCount])).toEqual([
      ['STARTED', true, 8],
      ['STOPPED', false, 4],
    ]);
    expect(worker.labs[0].owner).toEqual(expect.any(String));
    await waitFor(async () => (await cmlOf(demo.id)).metrics[0]?.labsRunning === 1, 5_000);
    expect((await cmlOf(demo.id)).metrics[0]).toEqual({
      cmlStatus: 'AVAILABLE',
      labsRunning: 1,
      nodesRunning: 8,
    });
    await waitFor(async () => (await cmlOf(empty.id)).cml.status === 'AVAILABLE', 15_000);
    expect((await cmlOf(empty.id)).labs).toEqual([]);

    const metrics = await (await fetch(new URL('/metrics', app.graphqlUrl))).text();
    expect(metrics).toMatch(
      /^cwm_cml_calls_total\{endpoint="populate_lab_tiles",outcome="ok"\} [1-9]/m,
    );
    expect(metrics).toMatch(/^cwm_cml_calls_total\{endpoint="authenticate",outcome="ok"\} [1-9]/m);
    expect(metrics).toMatch(/^cwm_cml_call_duration_seconds_count\{endpoint="licensing"\} [1-9]/m);
  });

  it('should never auto-stop a quiet worker with a running lab, and stop the one without labs', async () => {
    const busy = await importInstance('quiet-with-lab');
    const idle = await importInstance('quiet-without-labs');
    await emulatorControl(endpoint(), 'POST', `instances/${busy.awsInstanceId}/labs`, {
      title: 'ccna-evening',
      nodes: 6,
      state: 'STARTED',
    });

    await waitFor(
      async () =>
        [WorkerStatus.STOPPING, WorkerStatus.STOPPED].includes(
          (await cmlOf(idle.id)).status as WorkerStatus,
        ),
      30_000,
    );
    const idleAlerts = await alertsOf(idle.id, AlertKind.IDLE);
    expect(idleAlerts[0]?.message).toContain('no lab running');

    // As long again as the idle worker took, and a few polls more.
    await new Promise((resolve) => setTimeout(resolve, (IDLE_AFTER_S + 2) * 1000));
    const kept = await cmlOf(busy.id);
    expect(kept.status).toBe(WorkerStatus.RUNNING);
    expect(kept.cml).toMatchObject({ labsRunning: 1, nodesRunning: 6 });
    expect(kept.lastActivityAt).not.toBeNull();
    expect(await alertsOf(busy.id, AlertKind.IDLE)).toEqual([]);
  }, 60_000);

  it('should fire CML_UNAVAILABLE when the controller stops answering, and resolve it when it is back', async () => {
    const worker = await importInstance('flaky-controller');
    const route = `instances/${worker.awsInstanceId}/cml`;
    await waitFor(async () => (await cmlOf(worker.id)).cml.status === 'AVAILABLE', 15_000);

    await emulatorControl(endpoint(), 'POST', route, { available: false });
    await waitFor(
      async () => (await alertsOf(worker.id, AlertKind.CML_UNAVAILABLE)).length > 0,
      15_000,
    );
    const [fired] = await alertsOf(worker.id, AlertKind.CML_UNAVAILABLE);
    expect(fired).toMatchObject({ state: AlertState.FIRING, severity: 'CRITICAL' });
    expect(fired.message).toContain('for 2 polls');
    expect((await cmlOf(worker.id)).cml).toMatchObject({
      status: 'UNAVAILABLE',
      error: expect.stringContaining('unreachable') as string,
    });

    await emulatorControl(endpoint(), 'DELETE', route);
    await waitFor(
      async () => (await alertsOf(worker.id, AlertKind.CML_UNAVAILABLE))[0]?.state === 'RESOLVED',
      15_000,
    );
    expect((await cmlOf(worker.id)).cml.status).toBe('AVAILABLE');
  }, 45_000);
});
