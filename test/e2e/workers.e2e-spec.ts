import {
  CreateWorkerDocument,
  ImportWorkerDocument,
  RemoveWorkerDocument,
  StartWorkerDocument,
  StopWorkerDocument,
  TerminateWorkerDocument,
  UpdateWorkerDocument,
  WorkerDocument,
  WorkersDocument,
  type WorkerFieldsFragment,
} from '../generated/graphql';
import { Client } from 'pg';
import { request, requestData } from '../support/graphql-client';
import { testDatabaseUrl } from '../support/test-database';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('worker registry over HTTP', () => {
  let app: TestApp;
  let url: string;

  const emulator = () => {
    if (!app.emulator) {
      throw new Error('the test app runs on the emulator');
    }
    return app.emulator;
  };

  /** An instance that exists in EC2 but not in the registry. */
  const ec2Instance = (state: 'running' | 'stopped' = 'running', name = 'imported') =>
    emulator().fleet.addInstances({
      region: TEST_REGION,
      state,
      name,
      instanceType: 'm5.xlarge',
    })[0].instanceId;

  const importWorker = async (
    state: 'running' | 'stopped' = 'running',
  ): Promise<WorkerFieldsFragment> =>
    (await requestData(url, ImportWorkerDocument, { input: { awsInstanceId: ec2Instance(state) } }))
      .importWorker;

  const errorOf = async (
    response: Promise<{
      errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
    }>,
  ) => {
    const { errors } = await response;
    expect(errors).toHaveLength(1);
    return errors?.[0];
  };

  /**
   * As if the instance had been deleted from EC2 long ago: the worker, registered a day ago (past
   * WORKER_NEW_INSTANCE_GRACE), points at an id EC2 never had.
   */
  const forgetInstanceOutOfBand = async (workerId: string) => {
    const db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    try {
      await db.query(
        `UPDATE "${app.schema}".worker SET "awsInstanceId" = 'i-00000000000000bad',
           "createdAt" = now() - interval '1 day' WHERE id = $1`,
        [workerId],
      );
    } finally {
      await db.end();
    }
  };

  const totalCount = async () => (await requestData(url, WorkersDocument, {})).workers.totalCount;

  beforeAll(async () => {
    // The registry alone: polls would change the rows these tests compare (monitoring has its own).
    app = await startTestApp({ WORKER_MONITORING_ENABLED: 'false' });
    url = app.graphqlUrl;
  });

  afterAll(async () => {
    await app.close();
  });

  describe('createWorker', () => {
    it('should launch an instance with the defaults and register it', async () => {
      const { createWorker } = await requestData(url, CreateWorkerDocument, {
        input: { name: 'lab-1' },
      });

      expect(createWorker).toMatchObject({
        name: 'lab-1',
        awsRegion: TEST_REGION,
        instanceType: 'c5.2xlarge',
        status: 'PENDING',
        thresholds: { cpu: 90, memory: 90 },
        monitoringEnabled: true,
        cpuUtilization: null,
        statusChecks: null,
      });
      expect(createWorker.awsInstanceId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(new Date(createWorker.createdAt).toISOString()).toBe(createWorker.createdAt);
      const instance = emulator().fleet.getInstance(createWorker.awsInstanceId);
      expect(instance).toMatchObject({ region: TEST_REGION, name: 'lab-1' });
    });

    it('should launch what it is asked for', async () => {
      const { createWorker } = await requestData(url, CreateWorkerDocument, {
        input: {
          name: 'lab-2',
          awsRegion: 'us-west-2',
          instanceType: 'm5.large',
          amiId: 'ami-0123456789abcdef0',
          thresholds: { cpu: 70, memory: 80 },
        },
      });

      expect(createWorker).toMatchObject({
        awsRegion: 'us-west-2',
        instanceType: 'm5.large',
        thresholds: { cpu: 70, memory: 80 },
      });
      expect(emulator().fleet.getInstance(createWorker.awsInstanceId)).toMatchObject({
        region: 'us-west-2',
      });
    });

    it.each([
      [{ name: 'x'.repeat(129) }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'w', awsRegion: 'moon-base-1a' }, 'awsRegion'],
      [{ name: 'w', amiId: 'ami-xyz' }, 'amiId'],
      [{ name: 'w', instanceType: 'huge' }, 'instanceType'],
      [{ name: 'w', thresholds: { cpu: 0 } }, 'thresholds.cpu'],
      [{ name: 'w', thresholds: { memory: 100.1 } }, 'thresholds.memory'],
    ])('should answer BAD_USER_INPUT naming the field for %j', async (input, field) => {
      const before = await totalCount();

      const error = await errorOf(request(url, CreateWorkerDocument, { input }));

      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(error?.message).toContain(field);
      expect(await totalCount()).toBe(before);
    });

    it('should answer UPSTREAM_UNAVAILABLE and register nothing when EC2 keeps throttling', async () => {
      const before = await totalCount();
      emulator().fleet.setFaults({ action: 'RunInstances', throttleRate: 1 });
      try {
        const error = await errorOf(
          request(url, CreateWorkerDocument, { input: { name: 'throttled' } }),
        );

        expect(error?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      } finally {
        emulator().fleet.clearFaults();
      }
      expect(await totalCount()).toBe(before);
    });
  });

  describe('importWorker', () => {
    it('should register an existing instance with its name, type and state from EC2', async () => {
      const instanceId = ec2Instance('stopped', 'cml-worker-legacy');

      const { importWorker } = await requestData(url, ImportWorkerDocument, {
        input: { awsInstanceId: instanceId },
      });

      expect(importWorker).toMatchObject({
        awsInstanceId: instanceId,
        name: 'cml-worker-legacy',
        instanceType: 'm5.xlarge',
        status: 'STOPPED',
      });
      expect(importWorker.lastPolledAt).not.toBeNull();
    });

    it.each(['i-123', 'i-0123456789ABCDEF0', 'x-0123456789abcdef0', 'i-0123456789abcdef01'])(
      'should answer BAD_USER_INPUT to the malformed instance id %s',
      async (awsInstanceId) => {
        const error = await errorOf(
          request(url, ImportWorkerDocument, { input: { awsInstanceId } }),
        );

        expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'awsInstanceId' });
      },
    );

    it('should answer BAD_USER_INPUT to a malformed region', async () => {
      const error = await errorOf(
        request(url, ImportWorkerDocument, {
          input: { awsInstanceId: ec2Instance(), awsRegion: 'EU' },
        }),
      );

      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'awsRegion' });
    });

    it('should answer NOT_FOUND to an instance EC2 does not know', async () => {
      const error = await errorOf(
        request(url, ImportWorkerDocument, { input: { awsInstanceId: 'i-0000000000000dead' } }),
      );

      expect(error?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'awsInstanceId' });
    });

    it('should answer CONFLICT to an instance that is already registered', async () => {
      const worker = await importWorker();

      const error = await errorOf(
        request(url, ImportWorkerDocument, { input: { awsInstanceId: worker.awsInstanceId } }),
      );

      expect(error?.extensions).toMatchObject({ code: 'CONFLICT', field: 'awsInstanceId' });
    });

    it('should keep exactly one row when imports of one instance race', async () => {
      const awsInstanceId = ec2Instance();
      const before = await totalCount();

      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          request(url, ImportWorkerDocument, { input: { awsInstanceId } }),
        ),
      );

      expect(responses.filter((r) => r.data?.importWorker)).toHaveLength(1);
      expect(responses.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(
        4,
      );
      expect(await totalCount()).toBe(before + 1);
    });
  });

  describe('lifecycle', () => {
    it('should stop a running worker, then start it again', async () => {
      const worker = await importWorker('running');

      const { stopWorker } = await requestData(url, StopWorkerDocument, { id: worker.id });
      expect(stopWorker).toMatchObject({ id: worker.id, status: 'STOPPING' });
      expect(stopWorker.lastTransitionAt).not.toBeNull();

      emulator().fleet.setState(worker.awsInstanceId, 'stopped');
      const { startWorker } = await requestData(url, StartWorkerDocument, { id: worker.id });
      expect(startWorker.status).toBe('PENDING');
    });

    it('should terminate a worker, keep it, and refuse to start it afterwards', async () => {
      const worker = await importWorker('running');

      const { terminateWorker } = await requestData(url, TerminateWorkerDocument, {
        id: worker.id,
      });
      expect(terminateWorker.status).toBe('SHUTTING_DOWN');
      expect((await requestData(url, WorkerDocument, { id: worker.id })).worker?.status).toBe(
        'SHUTTING_DOWN',
      );

      const error = await errorOf(request(url, StartWorkerDocument, { id: worker.id }));
      expect(error?.extensions?.code).toBe('CONFLICT');
    });

    it('should answer CONFLICT when EC2 refuses the transition', async () => {
      const worker = await importWorker('running');
      emulator().fleet.setState(worker.awsInstanceId, 'pending');

      const error = await errorOf(request(url, StopWorkerDocument, { id: worker.id }));

      expect(error?.extensions?.code).toBe('CONFLICT');
    });

    it('should answer NOT_FOUND and mark the worker terminated when its instance is gone', async () => {
      const worker = await importWorker('running');
      await forgetInstanceOutOfBand(worker.id);

      const error = await errorOf(request(url, StopWorkerDocument, { id: worker.id }));

      expect(error?.extensions?.code).toBe('NOT_FOUND');
      expect((await requestData(url, WorkerDocument, { id: worker.id })).worker?.status).toBe(
        'TERMINATED',
      );
      const restart = await errorOf(request(url, StartWorkerDocument, { id: worker.id }));
      expect(restart?.extensions?.code).toBe('CONFLICT');
    });

    it.each([
      ['startWorker', StartWorkerDocument],
      ['stopWorker', StopWorkerDocument],
      ['terminateWorker', TerminateWorkerDocument],
    ] as const)('should answer NOT_FOUND to %s of an unknown worker', async (_name, document) => {
      for (const id of [UNKNOWN_ID, 'not-a-uuid']) {
        const error = await errorOf(request(url, document as typeof StopWorkerDocument, { id }));
        expect(error?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
      }
    });
  });

  describe('updateWorker and removeWorker', () => {
    it('should rename, retune thresholds and pause monitoring', async () => {
      const worker = await importWorker();

      const { updateWorker } = await requestData(url, UpdateWorkerDocument, {
        id: worker.id,
        input: { name: 'renamed', thresholds: { cpu: 55.5 }, monitoringEnabled: false },
      });

      expect(updateWorker).toMatchObject({
        name: 'renamed',
        thresholds: { cpu: 55.5, memory: 90 },
        monitoringEnabled: false,
      });
      expect(new Date(updateWorker.updatedAt).getTime()).toBeGreaterThan(
        new Date(worker.updatedAt).getTime(),
      );
    });

    it('should refuse bad updates, naming the field, and change nothing', async () => {
      const worker = await importWorker();

      const error = await errorOf(
        request(url, UpdateWorkerDocument, {
          id: worker.id,
          input: { name: 'ok', thresholds: { memory: -5 } },
        }),
      );

      expect(error?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'thresholds.memory',
      });
      expect((await requestData(url, WorkerDocument, { id: worker.id })).worker).toMatchObject({
        name: worker.name,
        thresholds: worker.thresholds,
      });
    });

    it('should answer NOT_FOUND to updating an unknown worker', async () => {
      const error = await errorOf(
        request(url, UpdateWorkerDocument, { id: UNKNOWN_ID, input: { name: 'x' } }),
      );

      expect(error?.extensions?.code).toBe('NOT_FOUND');
    });

    it('should forget a worker, leave its instance running, and allow importing it again', async () => {
      const worker = await importWorker('running');

      expect((await requestData(url, RemoveWorkerDocument, { id: worker.id })).removeWorker).toBe(
        true,
      );
      expect((await requestData(url, RemoveWorkerDocument, { id: worker.id })).removeWorker).toBe(
        false,
      );
      expect((await requestData(url, WorkerDocument, { id: worker.id })).worker).toBeNull();
      expect(emulator().fleet.getInstance(worker.awsInstanceId)?.state).toBe('running');
      await expect(
        requestData(url, ImportWorkerDocument, { input: { awsInstanceId: worker.awsInstanceId } }),
      ).resolves.toBeDefined();
    });
  });

  describe('queries', () => {
    it('should find a worker by id, and answer null for an unknown or malformed id', async () => {
      const worker = await importWorker();

      expect((await requestData(url, WorkerDocument, { id: worker.id })).worker).toEqual(worker);
      expect((await requestData(url, WorkerDocument, { id: UNKNOWN_ID })).worker).toBeNull();
      expect((await requestData(url, WorkerDocument, { id: 'nope' })).worker).toBeNull();
    });

    it('should page through the fleet newest first', async () => {
      const filter = { nameContains: 'paged-' };
      for (let i = 0; i < 3; i += 1) {
        const instanceId = ec2Instance('running', `paged-${i}`);
        await requestData(url, ImportWorkerDocument, { input: { awsInstanceId: instanceId } });
      }

      const first = (await requestData(url, WorkersDocument, { filter, first: 2 })).workers;
      const second = (
        await requestData(url, WorkersDocument, {
          filter,
          first: 2,
          after: first.pageInfo.endCursor,
        })
      ).workers;

      expect(first.edges.map((e) => e.node.name)).toEqual(['paged-2', 'paged-1']);
      expect(first.pageInfo.hasNextPage).toBe(true);
      expect(second.edges.map((e) => e.node.name)).toEqual(['paged-0']);
      expect(second.pageInfo.hasNextPage).toBe(false);
      expect([first.totalCount, second.totalCount]).toEqual([3, 3]);
    });

    it('should filter by status and region', async () => {
      const stopped = await importWorker('stopped');

      const { workers } = await requestData(url, WorkersDocument, {
        filter: { status: ['STOPPED'], awsRegion: TEST_REGION },
        first: 500,
      });

      expect(workers.edges.map((e) => e.node.id)).toContain(stopped.id);
      expect(workers.edges.every((e) => e.node.status === 'STOPPED')).toBe(true);
    });

    it.each([0, 501, -1])('should answer BAD_USER_INPUT to first: %d', async (first) => {
      const error = await errorOf(request(url, WorkersDocument, { first }));

      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });

    it('should answer BAD_USER_INPUT to a cursor it did not issue', async () => {
      const error = await errorOf(request(url, WorkersDocument, { after: 'bogus' }));

      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });
  });
});
