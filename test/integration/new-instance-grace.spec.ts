import type { EmulatedFleet } from '../../src/emulator/fleet.state';
import { CreateWorkerDocument, WorkerPollingDocument } from '../generated/graphql';
import { requestData } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** Polls every second, so that several fit in the fault's window. */
const FAST_POLLING = {
  WORKER_METRICS_POLL_INTERVAL: '1',
  JOBS_PROCESS_EVERY_MS: '200',
  JOBS_LOCK_LIFETIME_MS: '10000',
  WORKER_POLL_BATCH_WINDOW_MS: '50',
};
const NOT_FOUND_FOR_MS = 4_000;

function emulatedFleet(app: TestApp): EmulatedFleet {
  if (!app.emulator) {
    throw new Error('the test app runs on the emulator');
  }
  return app.emulator.fleet;
}

/** Launches a worker while EC2 does not know new instances for their first seconds. */
async function launchUnknownToEc2(app: TestApp) {
  emulatedFleet(app).setFaults({ action: '*', newInstanceNotFoundMs: NOT_FOUND_FOR_MS });
  const { createWorker } = await requestData(app.graphqlUrl, CreateWorkerDocument, {
    input: { name: `lab-${Date.now()}` },
  });
  const polling = async () =>
    (await requestData(app.graphqlUrl, WorkerPollingDocument, { id: createWorker.id })).worker;
  return { worker: createWorker, polling };
}

describe('a worker whose instance EC2 does not know yet', () => {
  describe('within WORKER_NEW_INSTANCE_GRACE', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp(FAST_POLLING);
    });

    afterAll(async () => {
      await app.close();
    });

    it('should count its polls as failures until EC2 knows the instance, never as a termination', async () => {
      const { worker, polling } = await launchUnknownToEc2(app);
      const statuses = new Set<string>([worker.status]);
      const watch = async () => {
        const current = await polling();
        statuses.add(current?.status ?? 'REMOVED');
        return current;
      };

      const failing = await waitFor(async () => {
        const current = await watch();
        return current && (current.pollError?.consecutiveFailures ?? 0) >= 2 ? current : undefined;
      });
      const known = await waitFor(async () => {
        const current = await watch();
        return current && !current.pollError ? current : undefined;
      }, NOT_FOUND_FOR_MS + 10_000);

      expect(failing.pollError?.message).toContain(
        `EC2 does not know instance ${worker.awsInstanceId} yet`,
      );
      expect(failing.nextPollAt).not.toBeNull();
      expect(['PENDING', 'RUNNING']).toContain(known.status);
      expect(known.nextPollAt).not.toBeNull();
      expect([...statuses].filter((status) => !['PENDING', 'RUNNING'].includes(status))).toEqual(
        [],
      );
    }, 30_000);
  });

  describe('with WORKER_NEW_INSTANCE_GRACE=0', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ ...FAST_POLLING, WORKER_NEW_INSTANCE_GRACE: '0' });
    });

    afterAll(async () => {
      await app.close();
    });

    it('should take NotFound for gone at once: the worker is terminated and no longer polled', async () => {
      const { polling } = await launchUnknownToEc2(app);

      const gone = await waitFor(async () => {
        const current = await polling();
        return current?.status === 'TERMINATED' ? current : undefined;
      });

      expect(gone.nextPollAt).toBeNull();
    }, 30_000);
  });
});
