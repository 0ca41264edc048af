import { createHash } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import { quoteIdentifier } from '../../src/database/sql';
import {
  FleetStatusHistoryDocument,
  ImportWorkerDocument,
  RefreshWorkerDocument,
  StatusHistoryDocument,
  StopWorkerDocument,
  WorkerPollFailedDocument,
  type WorkerPollFailedSubscription,
  WorkerPollingDocument,
  WorkerStatusChangeOriginDocument,
  type WorkerStatusChangeOriginSubscription,
} from '../generated/graphql';
import { request, requestData, subscribeReady, wsClient } from '../support/graphql-client';
import { isProbe, startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { testDatabaseUrl } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const VIEWER_KEY = 'viewer-key-history-0123456789abcdef0123456789';
const OPERATOR_KEY = 'operator-key-history-0123456789abcdef01234567';
const VIEWER = `Bearer ${VIEWER_KEY}`;
const OPERATOR = `Bearer ${OPERATOR_KEY}`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Marker failures that prove a subscription delivers; a real poll never fails at epoch 0. */
const PROBE_TIME = new Date(0);
const isFailureProbe = (event: WorkerPollFailedSubscription) =>
  event.workerPollFailed.occurredAt === PROBE_TIME.toISOString();

describe('status history and poll failures end to end', () => {
  let app: TestApp;
  let client: Client;

  const emulator = () => {
    if (!app.emulator) {
      throw new Error('the test app runs on the emulator');
    }
    return app.emulator;
  };

  const runningWorker = async () => {
    const [instance] = emulator().fleet.addInstances({ region: TEST_REGION, state: 'running' });
    const { importWorker } = await requestData(
      app.graphqlUrl,
      ImportWorkerDocument,
      { input: { awsInstanceId: instance.instanceId } },
      OPERATOR,
    );
    return importWorker;
  };

  const historyOf = async (id: string, range: { since?: string; limit?: number } = {}) =>
    (await requestData(app.graphqlUrl, StatusHistoryDocument, { id, ...range }, VIEWER)).worker
      ?.statusHistory;

  const refresh = (id: string) => request(app.graphqlUrl, RefreshWorkerDocument, { id }, OPERATOR);

  const watchStatus = (workerId: string) =>
    subscribeReady<WorkerStatusChangeOriginSubscription, { workerId?: string }>(
      client,
      WorkerStatusChangeOriginDocument,
      { workerId },
      () => app.probe(workerId),
      isProbe,
    );

  const watchFailures = (workerId: string) =>
    subscribeReady<WorkerPollFailedSubscription, { workerId?: string }>(
      client,
      WorkerPollFailedDocument,
      { workerId },
      () =>
        app.pubSub.publish('WORKER_POLL_FAILED', {
          workerId,
          message: 'probe',
          consecutiveFailures: 0,
          occurredAt: PROBE_TIME,
        }),
      isFailureProbe,
    );

  beforeAll(async () => {
    // Nothing polls on schedule: every poll here is a refreshWorker the test asks for.
    app = await startTestApp({
      API_KEYS: `ci-viewer:viewer:${sha256(VIEWER_KEY)},ci-operator:operator:${sha256(OPERATOR_KEY)}`,
      WORKER_MONITORING_ENABLED: 'false',
      WORKER_AUTO_REMEDIATION: 'true',
      AWS_MAX_ATTEMPTS: '1',
    });
    client = wsClient(app.graphqlUrl, { authorization: VIEWER });
  });

  afterAll(async () => {
    await client.dispose();
    await app.close();
  });

  it('should keep a stopWorker with its caller and the stop a poll then sees, newest first, and announce each with its origin', async () => {
    const worker = await runningWorker();
    const events = await watchStatus(worker.id);
    expect(await historyOf(worker.id)).toEqual([]);

    const { stopWorker } = await requestData(
      app.graphqlUrl,
      StopWorkerDocument,
      { id: worker.id },
      OPERATOR,
    );
    emulator().fleet.setState(worker.awsInstanceId, 'stopped');
    const { refreshWorker } = await requestData(
      app.graphqlUrl,
      RefreshWorkerDocument,
      { id: worker.id },
      OPERATOR,
    );

    const asked = {
      previousStatus: 'RUNNING',
      status: 'STOPPING',
      changedAt: stopWorker.lastTransitionAt,
      source: 'MUTATION',
      actor: 'ci-operator',
    };
    const seen = {
      previousStatus: 'STOPPING',
      status: 'STOPPED',
      changedAt: refreshWorker.lastPolledAt,
      source: 'POLL',
      actor: null,
    };
    expect(await historyOf(worker.id)).toEqual([seen, asked]);
    expect((await events.next()).workerStatusChanged).toEqual({ workerId: worker.id, ...asked });
    expect((await events.next()).workerStatusChanged).toEqual({ workerId: worker.id, ...seen });
    await events.close();
  });

  it('should keep the restart auto-remediation makes as POLICY, with no actor', async () => {
    const worker = await runningWorker();

    emulator().fleet.setState(worker.awsInstanceId, 'stopped');
    await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: worker.id }, OPERATOR);
    const history = await waitFor(async () => {
      const transitions = await historyOf(worker.id);
      return transitions?.length === 2 ? transitions : undefined;
    }, 15_000);

    expect(history).toEqual([
      expect.objectContaining({
        previousStatus: 'STOPPED',
        status: 'PENDING',
        source: 'POLICY',
        actor: null,
      }),
      expect.objectContaining({
        previousStatus: 'RUNNING',
        status: 'STOPPED',
        source: 'POLL',
        actor: null,
      }),
    ]);
  });

  it('should keep a change once when a stopWorker and a poll that both see it race', async () => {
    const worker = await runningWorker();
    const events = await watchStatus(worker.id);
    emulator().fleet.setState(worker.awsInstanceId, 'stopping');
    const holder = new PgClient({ connectionString: testDatabaseUrl() });
    await holder.connect();
    try {
      // Both wait on the row; once it is free, whichever writes first changes the status.
      await holder.query('BEGIN');
      await holder.query(
        `SELECT 1 FROM ${quoteIdentifier(app.schema)}.worker WHERE id = $1 FOR UPDATE`,
        [worker.id],
      );
      const stopping = request(app.graphqlUrl, StopWorkerDocument, { id: worker.id }, OPERATOR);
      const polling = refresh(worker.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('COMMIT');
      await Promise.all([stopping, polling]);
    } finally {
      await holder.end();
    }

    const history = await historyOf(worker.id);
    expect(history).toHaveLength(1);
    expect(history?.[0]).toMatchObject({ previousStatus: 'RUNNING', status: 'STOPPING' });
    expect((await events.next()).workerStatusChanged).toMatchObject({
      status: 'STOPPING',
      source: history?.[0].source,
    });
    await expect(events.next(500)).rejects.toThrow(/no event/);
    await events.close();
  });

  it('should answer statusHistory for a page of workers in one statement, with since and limit, and refuse a limit out of range', async () => {
    const workers = [await runningWorker(), await runningWorker(), await runningWorker()];
    for (const worker of workers) {
      await requestData(app.graphqlUrl, StopWorkerDocument, { id: worker.id }, OPERATOR);
      emulator().fleet.setState(worker.awsInstanceId, 'stopped');
      await requestData(app.graphqlUrl, RefreshWorkerDocument, { id: worker.id }, OPERATOR);
    }
    const statementsFor = async (first: number) => {
      const counts: number[] = [];
      // The fewest of three: a job finishing in the background may add its own to one of them.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const before = app.sqlStatementCount();
        await requestData(app.graphqlUrl, FleetStatusHistoryDocument, { first, limit: 5 }, VIEWER);
        counts.push(app.sqlStatementCount() - before);
      }
      return Math.min(...counts);
    };

    const page = await requestData(
      app.graphqlUrl,
      FleetStatusHistoryDocument,
      { first: 3, limit: 1 },
      VIEWER,
    );
    const [newest, oldest] = (await historyOf(workers[0].id)) ?? [];
    const since = await historyOf(workers[0].id, { since: newest.changedAt });
    const tooFew = await request(
      app.graphqlUrl,
      StatusHistoryDocument,
      { id: workers[0].id, limit: 0 },
      VIEWER,
    );
    const tooMany = await request(
      app.graphqlUrl,
      StatusHistoryDocument,
      { id: workers[0].id, limit: 1001 },
      VIEWER,
    );

    expect(await statementsFor(3)).toBe(await statementsFor(1));
    expect(page.workers.edges.map((edge) => edge.node.id)).toEqual(
      workers.map((worker) => worker.id).reverse(),
    );
    for (const { node } of page.workers.edges) {
      expect(node.statusHistory).toEqual([
        expect.objectContaining({ status: 'STOPPED', source: 'POLL' }),
      ]);
    }
    expect(oldest).toMatchObject({ status: 'STOPPING', source: 'MUTATION' });
    expect(since).toEqual([newest]);
    for (const refused of [tooFew, tooMany]) {
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(refused.errors?.[0]?.message).toMatch(/limit must be between 1 and 1000/);
    }
  });

  it('should publish each failed poll at once to the subscribers of its worker, as pollError then tells it', async () => {
    const [failing, other] = [await runningWorker(), await runningWorker()];
    const failures = await watchFailures(failing.id);
    const othersFailures = await watchFailures(other.id);
    emulator().fleet.setFaults({
      action: 'DescribeInstanceStatus',
      serverErrorRate: 1,
      serverErrorStatus: 503,
    });
    try {
      const refused = await refresh(failing.id);
      const first = (await failures.next()).workerPollFailed;
      await refresh(failing.id);
      const second = (await failures.next()).workerPollFailed;
      const { worker } = await requestData(
        app.graphqlUrl,
        WorkerPollingDocument,
        { id: failing.id },
        VIEWER,
      );

      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(first).toMatchObject({ workerId: failing.id, consecutiveFailures: 1 });
      expect(first.message).not.toBe('');
      expect(second).toMatchObject({ workerId: failing.id, consecutiveFailures: 2 });
      expect(worker?.pollError).toEqual({
        message: second.message,
        occurredAt: second.occurredAt,
        consecutiveFailures: 2,
      });
      await expect(othersFailures.next(500)).rejects.toThrow(/no event/);
    } finally {
      emulator().fleet.clearFaults();
      await Promise.all([failures.close(), othersFailures.close()]);
    }
  });
});
