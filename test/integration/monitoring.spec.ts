import type { DataSource } from 'typeorm';
import type { EmulatedFleet } from '../../src/emulator/fleet.state';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { Worker } from '../../src/entities/worker.entity';
import {
  ImportWorkerDocument,
  MonitoringStatusDocument,
  type MonitoringStatusQuery,
  RemoveWorkerDocument,
  TerminateWorkerDocument,
  UpdateWorkerDocument,
  WorkerPollingDocument,
} from '../generated/graphql';
import { buildWorker } from '../support/factories';
import { requestData } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { createTestDataSource, uniqueSchemaName } from '../support/test-database';
import { waitFor } from '../support/wait-for';

/** Short cycles and locks, so that several cycles fit in a test. */
const FAST_POLLING = {
  WORKER_METRICS_POLL_INTERVAL: '2',
  JOBS_PROCESS_EVERY_MS: '200',
  JOBS_LOCK_LIFETIME_MS: '10000',
  WORKER_POLL_BATCH_WINDOW_MS: '100',
};

type Cycle = NonNullable<MonitoringStatusQuery['monitoringStatus']['lastCycle']>;

function emulatedFleet(app: TestApp): EmulatedFleet {
  if (!app.emulator) {
    throw new Error('the test app runs on the emulator');
  }
  return app.emulator.fleet;
}

async function monitoringStatus(app: TestApp) {
  return (await requestData(app.graphqlUrl, MonitoringStatusDocument, {})).monitoringStatus;
}

const callsOf = (cycle: Cycle, action: string) =>
  cycle.awsCalls.find((call) => call.action === action)?.count ?? 0;

describe('monitoring pipeline', () => {
  describe('a fleet of 250 workers due together', () => {
    const FLEET_SIZE = 250;
    const schema = uniqueSchemaName();
    let registry: DataSource;
    let app: TestApp;

    beforeAll(async () => {
      // The workers are registered before the service starts, as after a restart: its boot
      // reconciliation gives each a job, all due at the same interval boundary, and the
      // emulator re-creates their instances, running.
      registry = await createTestDataSource(schema);
      await registry
        .getRepository(Worker)
        .insert(Array.from({ length: FLEET_SIZE }, () => buildWorker({ awsRegion: TEST_REGION })));
      app = await startTestApp(FAST_POLLING, schema);
    }, 60_000);

    afterAll(async () => {
      await app.close();
      await registry.destroy();
    });

    it('should poll them with ⌈N/100⌉ DescribeInstanceStatus and ⌈2N/500⌉ GetMetricData calls and a constant number of SQL statements per cycle', async () => {
      const fleet = emulatedFleet(app);
      const completeCycle = async (after?: Cycle) =>
        waitFor(async () => {
          const { lastCycle } = await monitoringStatus(app);
          const done =
            lastCycle !== null &&
            lastCycle.workersPolled === FLEET_SIZE &&
            lastCycle.dueAt !== after?.dueAt;
          return done ? lastCycle : undefined;
        }, 20_000);

      const first = await completeCycle();
      const callsAfterFirst = fleet.callCounts();
      const statementsAfterFirst = app.sqlStatementCount();
      const second = await completeCycle(first);
      const statements = app.sqlStatementCount() - statementsAfterFirst;

      for (const cycle of [first, second]) {
        expect(callsOf(cycle, 'DescribeInstanceStatus')).toBe(3);
        expect(callsOf(cycle, 'GetMetricData')).toBe(1);
        expect(cycle).toMatchObject({ batches: 1, workersFailed: 0 });
      }
      expect(callsAfterFirst[TEST_REGION]).toMatchObject({
        DescribeInstanceStatus: 3,
        GetMetricData: 1,
      });
      expect(fleet.callCounts()[TEST_REGION]).toMatchObject({
        DescribeInstanceStatus: 6,
        GetMetricData: 2,
      });
      // One load, one multi-row insert, one update, in one transaction: not one per worker.
      expect(statements).toBeLessThanOrEqual(6);
      const samples: { count: string }[] = await registry.query(
        'SELECT count(*) FROM metric_sample',
      );
      expect(Number(samples[0].count)).toBeGreaterThanOrEqual(2 * FLEET_SIZE);
      const workers = await registry.getRepository(Worker).find();
      expect(new Set(workers.map((worker) => worker.nextPollAt?.getTime())).size).toBe(1);
      expect(workers.every((worker) => (worker.nextPollAt?.getTime() ?? 1) % 2000 === 0)).toBe(
        true,
      );
    }, 60_000);

    it('should fire an alert for every hot worker of the fleet in a constant number of SQL statements', async () => {
      const fleet = emulatedFleet(app);
      const lastCycle = async () => (await monitoringStatus(app)).lastCycle;
      const completeCycle = (after: Cycle | null) =>
        waitFor(async () => {
          const cycle = await lastCycle();
          const done =
            cycle !== null && cycle.workersPolled === FLEET_SIZE && cycle.dueAt !== after?.dueAt;
          return done ? cycle : undefined;
        }, 20_000);
      const calm = await completeCycle(await lastCycle());
      const instances = await registry.getRepository(Worker).find();
      instances.forEach((worker) => fleet.setNextMetrics(worker.awsInstanceId, { cpu: 97 }));

      const statementsBefore = app.sqlStatementCount();
      await completeCycle(calm);
      const statements = app.sqlStatementCount() - statementsBefore;

      const firing: { count: string }[] = await registry.query(
        `SELECT count(*) FROM alert WHERE kind = 'CPU_HIGH' AND state = 'FIRING' AND value = 97`,
      );
      expect(Number(firing[0].count)).toBe(FLEET_SIZE);
      // The polling's six, one multi-row insert of the alerts and one look at the active
      // silences (no receiver is configured: no notification group either).
      expect(statements).toBeLessThanOrEqual(8);
    }, 60_000);
  });

  describe('when AWS misbehaves', () => {
    let app: TestApp;

    beforeAll(async () => {
      // No grace for new instances: the workers here are imported seconds before EC2 forgets them.
      app = await startTestApp({
        ...FAST_POLLING,
        AWS_MAX_ATTEMPTS: '2',
        WORKER_NEW_INSTANCE_GRACE: '0',
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('should go on polling through throttling and 503s, show the error while it lasts and recover', async () => {
      const fleet = emulatedFleet(app);
      const instances = fleet.addInstances({ count: 3, region: TEST_REGION, state: 'running' });
      const workers = await Promise.all(
        instances.map(async (instance) => {
          const { importWorker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
            input: { awsInstanceId: instance.instanceId },
          });
          return importWorker;
        }),
      );
      const polling = async () =>
        (await requestData(app.graphqlUrl, WorkerPollingDocument, { id: workers[0].id })).worker;
      await waitFor(async () => (await polling())?.cpuUtilization != null);

      fleet.setFaults({
        action: '*',
        throttleRate: 0.3,
        serverErrorRate: 0.1,
        serverErrorStatus: 503,
      });
      const before = (await polling())?.lastPolledAt ?? '';
      await waitFor(async () => ((await polling())?.lastPolledAt ?? '') > before, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect((await monitoringStatus(app)).jobs.scheduled).toBe(3);

      fleet.setFaults({ action: '*', throttleRate: 1 });
      const failing = await waitFor(async () => {
        const worker = await polling();
        return worker?.pollError ? worker : undefined;
      }, 20_000);
      expect(failing.pollError?.message).toMatch(/throttling/i);
      expect(failing.pollError?.consecutiveFailures).toBeGreaterThanOrEqual(1);
      expect(failing.cpuUtilization).not.toBeNull();

      fleet.clearFaults();
      const recovered = await waitFor(async () => {
        const worker = await polling();
        return worker && !worker.pollError ? worker : undefined;
      }, 20_000);
      expect(recovered.cpuUtilization).not.toBeNull();
      expect(recovered.lastPolledAt ?? '').not.toBe(failing.lastPolledAt);
    }, 90_000);

    it('should mark a worker terminated and cancel its job when EC2 no longer knows the instance', async () => {
      const fleet = emulatedFleet(app);
      const [instance] = fleet.addInstances({ region: TEST_REGION, state: 'running' });
      const { importWorker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
        input: { awsInstanceId: instance.instanceId },
      });
      const scheduledBefore = (await monitoringStatus(app)).jobs.scheduled;

      fleet.reset();

      const gone = await waitFor(async () => {
        const { worker } = await requestData(app.graphqlUrl, WorkerPollingDocument, {
          id: importWorker.id,
        });
        return worker?.status === WorkerStatus.TERMINATED ? worker : undefined;
      }, 20_000);
      expect(gone.nextPollAt).toBeNull();
      await waitFor(
        async () => (await monitoringStatus(app)).jobs.scheduled < scheduledBefore,
        10_000,
      );
    }, 30_000);
  });

  describe('job lifecycle', () => {
    let app: TestApp;

    const importRunning = async (target: TestApp) => {
      const [instance] = emulatedFleet(target).addInstances({
        region: TEST_REGION,
        state: 'running',
      });
      return (
        await requestData(target.graphqlUrl, ImportWorkerDocument, {
          input: { awsInstanceId: instance.instanceId },
        })
      ).importWorker;
    };

    beforeAll(async () => {
      app = await startTestApp(FAST_POLLING);
    });

    afterAll(async () => {
      await app.close();
    });

    it('should leave no job behind once a worker is removed, unmonitored or terminated', async () => {
      const removed = await importRunning(app);
      const unmonitored = await importRunning(app);
      const terminated = await importRunning(app);
      expect((await monitoringStatus(app)).jobs.scheduled).toBe(3);

      await requestData(app.graphqlUrl, RemoveWorkerDocument, { id: removed.id });
      const { updateWorker } = await requestData(app.graphqlUrl, UpdateWorkerDocument, {
        id: unmonitored.id,
        input: { monitoringEnabled: false },
      });
      await requestData(app.graphqlUrl, TerminateWorkerDocument, { id: terminated.id });

      expect(updateWorker.monitoringEnabled).toBe(false);
      expect((await monitoringStatus(app)).jobs.scheduled).toBe(1);
      await waitFor(async () => (await monitoringStatus(app)).jobs.scheduled === 0, 30_000);
      const { worker } = await requestData(app.graphqlUrl, WorkerPollingDocument, {
        id: terminated.id,
      });
      expect(worker).toMatchObject({ status: 'TERMINATED', nextPollAt: null });
    }, 60_000);

    it('should schedule nothing when monitoring is off, and say so', async () => {
      const off = await startTestApp({ WORKER_MONITORING_ENABLED: 'false' });
      try {
        const worker = await importRunning(off);

        expect(worker.monitoringEnabled).toBe(true);
        expect(await monitoringStatus(off)).toMatchObject({
          enabled: false,
          jobStore: null,
          jobs: { scheduled: 0, running: 0, overdue: 0 },
        });
        const { worker: polled } = await requestData(off.graphqlUrl, WorkerPollingDocument, {
          id: worker.id,
        });
        expect(polled?.nextPollAt).toBeNull();
      } finally {
        await off.close();
      }
    });
  });
});
