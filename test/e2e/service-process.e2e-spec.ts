import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateWorkerDocument,
  StopWorkerDocument,
  WorkersDocument,
  WorkerStatusChangedDocument,
  type WorkersQuery,
} from '../generated/graphql';
import { freePort } from '../support/free-port';
import { requestData, subscribeReady, wsClient } from '../support/graphql-client';
import { startServiceProcess } from '../support/service-process';
import { isProbe, startTestApp } from '../support/test-app';
import { testDatabaseUrl } from '../support/test-database';

const portIsOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const ids = (workers: WorkersQuery['workers']) => workers.edges.map((edge) => edge.node.id);

describe('the service as a process', () => {
  it('should start with no configuration on an embedded PostgreSQL with the demo fleet, and keep its workers across a restart', async () => {
    const workDir = await mkdtemp(path.join(tmpdir(), 'cwm-start-'));
    const postgresPort = await freePort();
    const env = {
      PORT: String(await freePort()),
      EMBEDDED_POSTGRES_DIR: path.join(workDir, 'postgres'),
      EMBEDDED_POSTGRES_PORT: String(postgresPort),
    };
    try {
      const first = await startServiceProcess(env);
      const { workers } = await requestData(first.graphqlUrl, WorkersDocument, {});
      expect(workers.totalCount).toBe(4);
      expect(workers.edges.map((e) => e.node.name).sort()).toEqual([
        'cml-worker-01',
        'cml-worker-02',
        'cml-worker-03',
        'cml-worker-04',
      ]);
      expect(workers.edges.every((e) => e.node.status === 'RUNNING')).toBe(true);

      const { createWorker: launched } = await requestData(first.graphqlUrl, CreateWorkerDocument, {
        input: { name: 'lab-x' },
      });

      expect(await first.stop()).toBe(0);
      expect(await portIsOpen(postgresPort)).toBe(false);

      const second = await startServiceProcess(env);
      const again = (await requestData(second.graphqlUrl, WorkersDocument, {})).workers;
      expect(again.edges.map((e) => e.node.id).sort()).toEqual(
        [...ids(workers), launched.id].sort(),
      );
      const stopped = await requestData(second.graphqlUrl, StopWorkerDocument, { id: launched.id });
      expect(stopped.stopWorker.status).toBe('STOPPING');
      const { createWorker: next } = await requestData(second.graphqlUrl, CreateWorkerDocument, {
        input: { name: 'lab-y' },
      });
      expect(next.awsInstanceId).not.toBe(launched.awsInstanceId);
      expect(await second.stop()).toBe(0);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('should stop at boot naming every bad variable', async () => {
    const failure = startServiceProcess({ WORKER_METRICS_POLL_INTERVAL: 'abc', PORT: '70000' });

    await expect(failure).rejects.toThrow(/exited with 1/);
    await expect(failure).rejects.toThrow(/WORKER_METRICS_POLL_INTERVAL="abc": expected a number/);
    await expect(failure).rejects.toThrow(/PORT="70000": expected a number <=65535/);
  }, 60_000);

  // Cross-process delivery needs Redis; without REDIS_URL each process has its own pub/sub.
  (process.env.REDIS_URL ? it : it.skip)(
    'should deliver to a subscriber on one process the status change made on another, through Redis',
    async () => {
      const subscriberSide = await startTestApp({ EMULATOR_DEMO_FLEET: 'true' });
      const client = wsClient(subscriberSide.graphqlUrl);
      const mutatingSide = await startServiceProcess({
        PORT: String(await freePort()),
        DATABASE_URL: testDatabaseUrl(),
        DATABASE_SCHEMA: subscriberSide.schema,
        REDIS_URL: process.env.REDIS_URL,
        REDIS_KEY_PREFIX: process.env.TEST_REDIS_PREFIX,
        AWS_REGION: 'eu-west-1',
      });
      try {
        const { workers } = await requestData(mutatingSide.graphqlUrl, WorkersDocument, {
          filter: { status: ['RUNNING'] },
        });
        const worker = workers.edges[0].node;
        const subscription = await subscribeReady(
          client,
          WorkerStatusChangedDocument,
          { workerId: worker.id },
          () => subscriberSide.probe(worker.id),
          isProbe,
        );

        await requestData(mutatingSide.graphqlUrl, StopWorkerDocument, { id: worker.id });

        expect((await subscription.next()).workerStatusChanged).toMatchObject({
          workerId: worker.id,
          previousStatus: 'RUNNING',
          status: 'STOPPING',
        });
        await subscription.close();
      } finally {
        await client.dispose();
        await mutatingSide.stop();
        await subscriberSide.close();
      }
    },
    120_000,
  );
});
