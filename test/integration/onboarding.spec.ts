import { randomBytes } from 'node:crypto';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { DataSource } from 'typeorm';
import type { AddInstancesRequest, EmulatedFleet } from '../../src/emulator/fleet.state';
import type { RunningEmulator } from '../../src/emulator/emulator.server';
import { Worker } from '../../src/entities/worker.entity';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { JobCounts, PollJobState, PollSchedule } from '../../src/jobs/job-queue';
import { WorkerRepository } from '../../src/repositories/worker.repository';
import { WorkerStatusTransitionRepository } from '../../src/repositories/worker-status-transition.repository';
import { AwsClients } from '../../src/services/aws/aws-clients';
import { Ec2FleetGateway } from '../../src/services/aws/fleet.gateway';
import { MonitoringService } from '../../src/services/polling/monitoring.service';
import { PollBatcher } from '../../src/services/polling/poll-batcher';
import { PollCycleTracker } from '../../src/services/polling/poll-cycle.tracker';
import { InProcessPubSub } from '../../src/services/pubsub/in-process.pub-sub';
import { OnboardingService } from '../../src/services/workers/onboarding.service';
import { WorkerService } from '../../src/services/workers/worker.service';
import {
  DiscoverInstancesDocument,
  type DiscoverInstancesQuery,
  type DiscoverInstancesQueryVariables,
  ImportWorkerDocument,
  ImportWorkerIdsDocument,
  ImportWorkersDocument,
  WorkersDocument,
} from '../generated/graphql';
import { CREDENTIALS, startTestEmulator } from '../emulator/emulator.factory';
import { instanceId } from '../support/factories';
import { request, requestData } from '../support/graphql-client';
import { testLogger } from '../support/silent-logger';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';
import { createTestDataSource, dropTestDataSource } from '../support/test-database';

const OTHER_REGION = 'us-west-2';
const HOUR = 3_600_000;

type Node = DiscoverInstancesQuery['discoverInstances']['edges'][number]['node'];

/** A tag value no other test uses: each test lists its own instances only. */
const runTag = () => ({ key: 'run', values: [randomBytes(6).toString('hex')] });

describe('onboarding a fleet', () => {
  describe('over the API', () => {
    let app: TestApp;

    const fleet = (): EmulatedFleet => {
      if (!app.emulator) {
        throw new Error('the test app runs on the emulator');
      }
      return app.emulator.fleet;
    };

    /** Instances carrying the run's tag besides their own. */
    const addInstances = (run: { key: string; values: string[] }, request: AddInstancesRequest) =>
      fleet().addInstances({
        region: TEST_REGION,
        ...request,
        tags: { [run.key]: run.values[0], ...request.tags },
      });

    const discover = async (variables: DiscoverInstancesQueryVariables) =>
      (await requestData(app.graphqlUrl, DiscoverInstancesDocument, variables)).discoverInstances;

    const idsOf = (nodes: readonly Pick<Node, 'awsInstanceId'>[]) =>
      nodes.map((node) => node.awsInstanceId);

    const discoveredIds = async (variables: DiscoverInstancesQueryVariables) =>
      idsOf((await discover(variables)).edges.map((edge) => edge.node)).sort();

    beforeAll(async () => {
      // No polls: the AWS calls counted below are the onboarding's own.
      app = await startTestApp({ WORKER_MONITORING_ENABLED: 'false' });
    });

    afterAll(async () => {
      await app.close();
    });

    describe('discoverInstances', () => {
      it('should list the instances carrying a tag with one of the values given, or with any value when none are', async () => {
        const run = runTag();
        const [lab] = addInstances(run, { tags: { team: 'lab' }, instanceType: 'm5.large' });
        const [prod] = addInstances(run, { tags: { team: 'prod' } });
        const [ops] = addInstances(run, { tags: { team: 'ops' } });
        const [wildcard] = addInstances(run, { tags: { team: 'l*' } });
        addInstances(run, { tags: { env: 'lab' } });
        addInstances(run, { tags: { team: 'lab' }, state: 'terminated' });

        const labOrProd = await discover({
          filter: { tags: [run, { key: 'team', values: ['lab', 'prod'] }] },
        });
        const anyTeam = await discoveredIds({ filter: { tags: [run, { key: 'team' }] } });
        const literal = await discoveredIds({
          filter: { tags: [run, { key: 'team', values: ['l*'] }] },
        });

        expect(idsOf(labOrProd.edges.map((edge) => edge.node)).sort()).toEqual(
          [lab.instanceId, prod.instanceId].sort(),
        );
        expect(
          labOrProd.edges.find((edge) => edge.node.awsInstanceId === lab.instanceId)?.node,
        ).toMatchObject({
          awsRegion: TEST_REGION,
          instanceType: 'm5.large',
          status: 'RUNNING',
          launchedAt: expect.any(String),
          tags: expect.arrayContaining([{ key: 'team', value: 'lab' }]),
          worker: null,
        });
        // Terminated instances are left out; a tag's values match as written, not as wildcards.
        expect(anyTeam).toEqual(
          [lab.instanceId, prod.instanceId, ops.instanceId, wildcard.instanceId].sort(),
        );
        expect(literal).toEqual([wildcard.instanceId]);
      });

      it('should leave registered instances out unless includeRegistered, which names their worker', async () => {
        const run = runTag();
        const [registered, free] = addInstances(run, { count: 2 });
        const { importWorker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
          input: { awsInstanceId: registered.instanceId, name: 'known' },
        });

        const unregistered = await discoveredIds({ filter: { tags: [run] } });
        const all = await discover({ filter: { tags: [run], includeRegistered: true } });

        expect(unregistered).toEqual([free.instanceId]);
        const workers = Object.fromEntries(
          all.edges.map(({ node }) => [node.awsInstanceId, node.worker]),
        );
        expect(workers).toEqual({
          [registered.instanceId]: { id: importWorker.id, name: 'known' },
          [free.instanceId]: null,
        });
      });

      it("should list AWS_REGION and the registered workers' regions, or the region asked for", async () => {
        const run = runTag();
        const [home] = addInstances(run, {});
        const [away, toRegister] = addInstances(run, { region: OTHER_REGION, count: 2 });

        const before = await discoveredIds({ filter: { tags: [run] } });
        const asked = await discoveredIds({ filter: { tags: [run], awsRegion: OTHER_REGION } });
        await requestData(app.graphqlUrl, ImportWorkerDocument, {
          input: { awsInstanceId: toRegister.instanceId, awsRegion: OTHER_REGION },
        });
        const after = await discoveredIds({ filter: { tags: [run] } });

        expect(before).toEqual([home.instanceId]);
        expect(asked).toEqual([away.instanceId, toRegister.instanceId].sort());
        expect(after).toEqual([home.instanceId, away.instanceId].sort());
      });

      it('should page newest launch first, ties by instance id, with cursors that keep their place', async () => {
        const run = runTag();
        const now = Date.now();
        const distinct = [5, 1, 3, 2].flatMap((hoursAgo) =>
          addInstances(run, { launchedAt: new Date(now - hoursAgo * HOUR) }),
        );
        const tied = addInstances(run, { count: 3, launchedAt: new Date(now - 4 * HOUR) });
        const byLaunch = (hoursAgo: number) =>
          distinct.find((instance) => Date.parse(instance.launchTime) === now - hoursAgo * HOUR)
            ?.instanceId;
        const expected = [
          byLaunch(1),
          byLaunch(2),
          byLaunch(3),
          ...tied
            .map((instance) => instance.instanceId)
            .sort()
            .reverse(),
          byLaunch(5),
        ];

        const pages: Awaited<ReturnType<typeof discover>>[] = [];
        let after: string | null | undefined;
        do {
          const page = await discover({ filter: { tags: [run] }, first: 3, after });
          pages.push(page);
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after);
        // A newer instance moves nothing after a cursor.
        addInstances(run, { launchedAt: new Date(now) });
        const again = await discover({
          filter: { tags: [run] },
          first: 3,
          after: pages[0].pageInfo.endCursor,
        });

        expect(pages.map((page) => page.edges.length)).toEqual([3, 3, 1]);
        expect(pages.flatMap((page) => idsOf(page.edges.map((edge) => edge.node)))).toEqual(
          expected,
        );
        expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
        expect(pages[0].pageInfo.endCursor).toBe(pages[0].edges[2].cursor);
        expect(again).toEqual(pages[1]);
      });

      it.each([
        [{ first: 0 }, 'first'],
        [{ first: 1001 }, 'first'],
        [{ after: 'not-a-cursor' }, 'after'],
        [{ filter: { tags: [{ key: '' }] } }, 'filter.tags.0.key'],
        [{ filter: { tags: [{ key: 'team', values: [] }] } }, 'filter.tags.0.values'],
        [{ filter: { awsRegion: 'EU' } }, 'filter.awsRegion'],
      ])('should answer BAD_USER_INPUT to %j', async (variables, field) => {
        const { errors } = await request(app.graphqlUrl, DiscoverInstancesDocument, variables);

        expect(errors).toHaveLength(1);
        expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      });

      it("should refuse another connection's cursor", async () => {
        addInstances(runTag(), {});
        await requestData(app.graphqlUrl, ImportWorkerDocument, {
          input: { awsInstanceId: addInstances(runTag(), {})[0].instanceId },
        });
        const { workers } = await requestData(app.graphqlUrl, WorkersDocument, { first: 1 });

        const { errors } = await request(app.graphqlUrl, DiscoverInstancesDocument, {
          after: workers.pageInfo.endCursor,
        });

        expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      });
    });

    describe('importWorkers', () => {
      it('should import each input on its own, saying why the others failed', async () => {
        const run = runTag();
        const [named, tagged, bare, known, terminated] = [
          addInstances(run, { instanceType: 'm5.xlarge', state: 'stopped' }),
          addInstances(run, { name: 'cml-from-tag' }),
          addInstances(run, {}),
          addInstances(run, {}),
          addInstances(run, { state: 'terminated' }),
        ].map(([instance]) => instance.instanceId);
        await requestData(app.graphqlUrl, ImportWorkerDocument, {
          input: { awsInstanceId: known },
        });
        const unknown = instanceId();

        const { importWorkers } = await requestData(app.graphqlUrl, ImportWorkersDocument, {
          inputs: [
            { awsInstanceId: named, name: '  lab-7 ', thresholds: { cpu: 70 } },
            { awsInstanceId: known },
            { awsInstanceId: tagged, awsRegion: TEST_REGION },
            { awsInstanceId: unknown },
            { awsInstanceId: terminated },
            { awsInstanceId: bare },
            { awsInstanceId: tagged },
          ],
        });

        expect(importWorkers.imported).toMatchObject([
          {
            awsInstanceId: named,
            awsRegion: TEST_REGION,
            name: 'lab-7',
            instanceType: 'm5.xlarge',
            status: 'STOPPED',
            thresholds: { cpu: 70, memory: 90 },
            monitoringEnabled: true,
            lastPolledAt: expect.any(String),
          },
          { awsInstanceId: tagged, name: 'cml-from-tag', status: 'RUNNING' },
          { awsInstanceId: bare, name: bare, thresholds: { cpu: 90, memory: 90 } },
        ]);
        expect(importWorkers.failed).toEqual([
          {
            awsInstanceId: known,
            code: 'CONFLICT',
            message: expect.stringMatching(/already registered/),
          },
          {
            awsInstanceId: unknown,
            code: 'NOT_FOUND',
            message: expect.stringMatching(/EC2 has no instance/),
          },
          {
            awsInstanceId: terminated,
            code: 'CONFLICT',
            message: expect.stringMatching(/terminated/),
          },
          {
            awsInstanceId: tagged,
            code: 'CONFLICT',
            message: expect.stringMatching(/more than once/),
          },
        ]);
        const listed = await discoveredIds({ filter: { tags: [run], includeRegistered: true } });
        expect(listed).toEqual([named, tagged, bare, known].sort());
      });

      it("should take each input's CML endpoint, and refuse credentials it cannot store, input by input", async () => {
        const run = runTag();
        const [withEndpoint, withCredentials] = addInstances(run, { count: 2 }).map(
          (instance) => instance.instanceId,
        );

        const { importWorkers } = await requestData(app.graphqlUrl, ImportWorkersDocument, {
          inputs: [
            { awsInstanceId: withEndpoint, cmlEndpoint: 'https://cml-7.lab.example.com' },
            {
              awsInstanceId: withCredentials,
              cmlCredentials: { username: 'admin', password: 'pw' },
            },
          ],
        });

        expect(importWorkers.imported).toMatchObject([
          {
            awsInstanceId: withEndpoint,
            cmlEndpoint: 'https://cml-7.lab.example.com',
            hasOwnCmlCredentials: false,
          },
        ]);
        // The test app has no CML_CREDENTIALS_KEY to encrypt a password with.
        expect(importWorkers.failed).toEqual([
          {
            awsInstanceId: withCredentials,
            code: 'BAD_USER_INPUT',
            message: expect.stringMatching(/CML_CREDENTIALS_KEY/),
          },
        ]);
      });

      it('should describe 250 instances of a region in one DescribeInstances call and store them in a few statements', async () => {
        const ids = addInstances(runTag(), { count: 250 }).map((instance) => instance.instanceId);
        const calls = fleet().callCount(TEST_REGION, 'DescribeInstances');
        const statements = app.sqlStatementCount();

        const { importWorkers } = await requestData(app.graphqlUrl, ImportWorkerIdsDocument, {
          inputs: ids.map((awsInstanceId) => ({ awsInstanceId })),
        });

        expect(importWorkers.failed).toEqual([]);
        expect(importWorkers.imported.map((worker) => worker.awsInstanceId)).toEqual(ids);
        expect(fleet().callCount(TEST_REGION, 'DescribeInstances') - calls).toBe(1);
        // The registered check, the insert and the audit records (one statement for all 250);
        // monitoring is off here, so nothing is scheduled.
        expect(app.sqlStatementCount() - statements).toBeLessThanOrEqual(3);
      });

      it('should call again without the ids EC2 does not know, once', async () => {
        const ids = addInstances(runTag(), { count: 250 }).map((instance) => instance.instanceId);
        const unknown = [instanceId(), instanceId()];
        const calls = fleet().callCount(TEST_REGION, 'DescribeInstances');

        const { importWorkers } = await requestData(app.graphqlUrl, ImportWorkerIdsDocument, {
          inputs: [unknown[0], ...ids, unknown[1]].map((awsInstanceId) => ({ awsInstanceId })),
        });

        expect(importWorkers.imported).toHaveLength(250);
        expect(importWorkers.failed).toEqual(
          unknown.map((awsInstanceId) => ({ awsInstanceId, code: 'NOT_FOUND' })),
        );
        expect(fleet().callCount(TEST_REGION, 'DescribeInstances') - calls).toBe(2);
      });
    });
  });

  describe('the service', () => {
    const DOWN_REGION = 'ap-south-1';
    let emulator: RunningEmulator;
    /** Where DOWN_REGION's calls go: an emulator failing every call, as AWS in an outage. */
    let outage: RunningEmulator;
    let dataSource: DataSource;
    let clients: AwsClients;
    let down: EC2Client;
    let schedule: RecordingSchedule;
    let lines: string[];
    const pubSub = new InProcessPubSub();

    const service = () => {
      const workers = new WorkerRepository(dataSource);
      const config = loadConfig({
        AWS_MODE: 'aws',
        AWS_REGION: TEST_REGION,
        AWS_ENDPOINT_URL: emulator.endpoint,
        WORKER_CPU_THRESHOLD: '85',
      });
      const monitoring = new MonitoringService(
        workers,
        schedule,
        new PollBatcher(() => Promise.reject(new Error('nothing is polled here')), {
          windowMs: 10,
          maxWaitMs: 10,
          maxBatchSize: 10,
          alignment: 1,
        }),
        new PollCycleTracker(60_000),
        config,
        testLogger(),
      );
      const fleet = new Ec2FleetGateway((region) =>
        region === DOWN_REGION ? down : clients.ec2For(region),
      );
      const alerts = {
        transitionRecorded: () => Promise.resolve(),
        workersRemoved: () => Promise.resolve(),
      };
      return new OnboardingService(
        workers,
        fleet,
        monitoring,
        new WorkerService(
          workers,
          {
            transitions: new WorkerStatusTransitionRepository(dataSource),
            transactions: dataSource,
          },
          fleet,
          pubSub,
          monitoring,
          alerts,
          config,
          testLogger(),
        ),
        config,
        createLogger('info', { write: (line: string) => lines.push(line) }),
      );
    };

    const add = (request: AddInstancesRequest) =>
      emulator.fleet.addInstances(request).map((instance) => instance.instanceId);

    beforeAll(async () => {
      emulator = await startTestEmulator();
      dataSource = await createTestDataSource();
      clients = new AwsClients({
        endpoint: emulator.endpoint,
        credentials: CREDENTIALS,
        maxAttempts: 1,
      });
      outage = await startTestEmulator();
      outage.fleet.setFaults({ action: '*', serverErrorRate: 1, serverErrorStatus: 503 });
      down = new EC2Client({
        region: DOWN_REGION,
        endpoint: outage.endpoint,
        credentials: CREDENTIALS,
        maxAttempts: 1,
      });
    });

    beforeEach(() => {
      schedule = new RecordingSchedule();
      lines = [];
    });

    afterAll(async () => {
      clients.destroy();
      down.destroy();
      await dropTestDataSource(dataSource);
      await emulator.close();
      await outage.close();
      await pubSub.close();
    });

    it('should schedule the polls of every imported worker in one call to the job store', async () => {
      const ids = add({ region: TEST_REGION, count: 5 });

      const { imported } = await service().importMany(
        [...ids, instanceId()].map((awsInstanceId) => ({ awsInstanceId })),
      );

      expect(schedule.calls).toEqual([imported.map((worker) => worker.id)]);
      expect(imported).toHaveLength(5);
      const rows = await dataSource
        .getRepository(Worker)
        .findBy(imported.map((worker) => ({ id: worker.id })));
      expect(rows.every((row) => row.nextPollAt !== null)).toBe(true);
      // Stored as importWorker stores them: where the CML controller may be reached.
      expect(rows.every((row) => row.privateIpAddress !== null)).toBe(true);
      expect(imported.every((worker) => worker.nextPollAt !== null)).toBe(true);
    });

    it("should fail a region's inputs with UPSTREAM_UNAVAILABLE when AWS fails there, and import the rest", async () => {
      const [here] = add({ region: TEST_REGION });
      const [there] = add({ region: OTHER_REGION });
      const unreachable = instanceId();

      const { imported, failed } = await service().importMany([
        { awsInstanceId: unreachable, awsRegion: DOWN_REGION },
        { awsInstanceId: here },
        { awsInstanceId: there, awsRegion: OTHER_REGION },
      ]);

      expect(imported.map((worker) => worker.awsInstanceId)).toEqual([here, there]);
      expect(failed).toEqual([
        {
          awsInstanceId: unreachable,
          code: 'UPSTREAM_UNAVAILABLE',
          message: expect.stringMatching(/AWS failed the request .*HTTP 503/),
        },
      ]);
    });

    it('should make one worker of an instance two processes import at once', async () => {
      const ids = add({ region: TEST_REGION, count: 20 });
      const commands = ids.map((awsInstanceId) => ({ awsInstanceId }));

      const [a, b] = await Promise.all([
        service().importMany(commands),
        service().importMany(commands),
      ]);

      expect(a.imported.length + b.imported.length).toBe(20);
      expect([...a.failed, ...b.failed].map((failure) => failure.code)).toEqual(
        Array(20).fill('CONFLICT'),
      );
      const rows = await dataSource
        .getRepository(Worker)
        .countBy(ids.map((id) => ({ awsInstanceId: id })));
      expect(rows).toBe(20);
    });

    it('should auto-import the unregistered instances carrying every tag, in every region, past a region AWS fails in', async () => {
      const value = randomBytes(4).toString('hex');
      const tags = [
        { key: 'cml-worker', value: 'true' },
        { key: 'batch', value },
      ];
      const [home] = add({ region: TEST_REGION, tags: { 'cml-worker': 'true', batch: value } });
      const [registered] = add({
        region: TEST_REGION,
        tags: { 'cml-worker': 'true', batch: value },
      });
      add({ region: TEST_REGION, tags: { 'cml-worker': 'false', batch: value } });
      add({ region: TEST_REGION, tags: { batch: value } });
      const [away] = add({ region: OTHER_REGION, tags: { 'cml-worker': 'true', batch: value } });
      const onboarding = service();
      // Registered workers put their regions on the list: OTHER_REGION, and one AWS fails in.
      await onboarding.importMany([
        { awsInstanceId: registered },
        { awsInstanceId: add({ region: OTHER_REGION })[0], awsRegion: OTHER_REGION },
      ]);
      await dataSource.getRepository(Worker).insert({
        name: 'elsewhere',
        awsRegion: DOWN_REGION,
        awsInstanceId: instanceId(),
        cpuThreshold: 90,
        memoryThreshold: 90,
        monitoringEnabled: true,
      });
      lines = [];

      const outcome = await onboarding.autoImport(tags);
      const again = await onboarding.autoImport(tags);

      expect(outcome.imported.map((worker) => worker.awsInstanceId).sort()).toEqual(
        [home, away].sort(),
      );
      expect(outcome.failed).toEqual([]);
      expect(again).toEqual({ imported: [], failed: [] });
      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.filter((line) => line.msg === 'auto-import registered new workers')).toEqual([
        expect.objectContaining({ count: 2, instanceIds: expect.arrayContaining([home, away]) }),
      ]);
      expect(
        logged.filter((line) => line.msg === 'auto-import could not list the instances'),
      ).toEqual([
        expect.objectContaining({ level: 40, region: DOWN_REGION }),
        expect.objectContaining({ level: 40, region: DOWN_REGION }),
      ]);
    });
  });
});

/** Records what monitoring asks of the job store. */
class RecordingSchedule implements PollSchedule {
  readonly kind = 'postgres';
  readonly calls: string[][] = [];

  schedulePolls(workerIds: readonly string[]): Promise<void> {
    this.calls.push([...workerIds]);
    return Promise.resolve();
  }

  cancelPolls(): Promise<void> {
    return Promise.resolve();
  }

  pollJobs(): Promise<PollJobState[]> {
    return Promise.resolve([]);
  }

  pollJobCounts(): Promise<JobCounts> {
    return Promise.resolve({ due: 0, running: 0, late: 0 });
  }
}
