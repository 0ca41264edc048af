import type { Client } from 'graphql-ws';
import {
  ImportWorkerDocument,
  RefreshWorkerDocument,
  StopWorkerDocument,
  TerminateWorkerDocument,
  WorkerStatusChangedDocument,
  type WorkerStatusChangedSubscription,
} from '../generated/graphql';
import { requestData, subscribeReady, wsClient } from '../support/graphql-client';
import { Client as PgClient } from 'pg';
import { quoteIdentifier } from '../../src/database/sql';
import { isProbe, startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { testDatabaseUrl } from '../support/test-database';

describe('workerStatusChanged over graphql-ws', () => {
  let app: TestApp;
  let client: Client;

  const runningWorker = async () => {
    const emulator = app.emulator;
    if (!emulator) {
      throw new Error('the test app runs on the emulator');
    }
    const [instance] = emulator.fleet.addInstances({
      region: TEST_REGION,
      state: 'running',
      name: 'watched',
    });
    return (
      await requestData(app.graphqlUrl, ImportWorkerDocument, {
        input: { awsInstanceId: instance.instanceId },
      })
    ).importWorker;
  };

  const watch = (workerId: string | undefined) =>
    subscribeReady<WorkerStatusChangedSubscription, { workerId?: string }>(
      client,
      WorkerStatusChangedDocument,
      { workerId },
      () => app.probe(workerId),
      isProbe,
    );

  beforeAll(async () => {
    app = await startTestApp();
    client = wsClient(app.graphqlUrl);
  });

  afterAll(async () => {
    await client.dispose();
    await app.close();
  });

  it('should push the change a stopWorker makes to a subscriber of that worker', async () => {
    const worker = await runningWorker();
    const subscription = await watch(worker.id);

    const { stopWorker } = await requestData(app.graphqlUrl, StopWorkerDocument, { id: worker.id });

    expect((await subscription.next()).workerStatusChanged).toEqual({
      workerId: worker.id,
      previousStatus: 'RUNNING',
      status: 'STOPPING',
      changedAt: stopWorker.lastTransitionAt,
    });
    await subscription.close();
  });

  it('should give a subscriber without workerId every worker, and one with it only its own', async () => {
    const watched = await runningWorker();
    const other = await runningWorker();
    const fleet = await watch(undefined);
    const single = await watch(watched.id);

    await requestData(app.graphqlUrl, TerminateWorkerDocument, { id: other.id });
    await requestData(app.graphqlUrl, StopWorkerDocument, { id: watched.id });

    expect((await fleet.next()).workerStatusChanged).toMatchObject({
      workerId: other.id,
      status: 'SHUTTING_DOWN',
    });
    expect((await fleet.next()).workerStatusChanged).toMatchObject({
      workerId: watched.id,
      status: 'STOPPING',
    });
    expect((await single.next()).workerStatusChanged).toMatchObject({
      workerId: watched.id,
      status: 'STOPPING',
    });
    await Promise.all([fleet.close(), single.close()]);
  });

  it('should not announce a mutation that changes no status', async () => {
    const worker = await runningWorker();
    const subscription = await watch(worker.id);

    await requestData(app.graphqlUrl, TerminateWorkerDocument, { id: worker.id });
    await requestData(app.graphqlUrl, TerminateWorkerDocument, { id: worker.id });

    expect((await subscription.next()).workerStatusChanged.status).toBe('SHUTTING_DOWN');
    await expect(subscription.next(500)).rejects.toThrow(/no event/);
    await subscription.close();
  });

  it('should announce a change a poll makes from the status a racing request set, not from its own stale read', async () => {
    const worker = await runningWorker();
    const subscription = await watch(worker.id);
    const request = new PgClient({ connectionString: testDatabaseUrl() });
    await request.connect();
    try {
      // A request changes the status and holds the row while a poll of the worker runs.
      await request.query('BEGIN');
      await request.query(
        `UPDATE ${quoteIdentifier(app.schema)}.worker SET status = 'SHUTTING_DOWN' WHERE id = $1`,
        [worker.id],
      );
      app.emulator?.fleet.setState(worker.awsInstanceId, 'stopping');
      const polled = requestData(app.graphqlUrl, RefreshWorkerDocument, { id: worker.id });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await request.query('COMMIT');
      await polled;
    } finally {
      await request.end();
    }

    // The worker's scheduled poll may be the one that read EC2 before the request and ends up
    // announcing (back to RUNNING); whichever poll it is, it must start from SHUTTING_DOWN.
    expect((await subscription.next()).workerStatusChanged.previousStatus).toBe('SHUTTING_DOWN');
    await subscription.close();
  });
});
