import type { DataSource } from 'typeorm';
import { WorkerAction } from '../../src/entities/alert.enums';
import { CheckStatus, WorkerStatus } from '../../src/entities/worker-status.enum';
import { Worker } from '../../src/entities/worker.entity';
import { WorkerRepository } from '../../src/repositories/worker.repository';
import { insertWorker } from '../support/factories';
import { createTestDataSource, dropTestDataSource } from '../support/test-database';

describe(WorkerRepository.name, () => {
  let dataSource: DataSource;
  let workers: WorkerRepository;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    workers = new WorkerRepository(dataSource);
  });

  afterAll(() => dropTestDataSource(dataSource));

  const count = (id: string) => dataSource.getRepository(Worker).countBy({ id });

  it('should never bring back a worker that an update races the removal of', async () => {
    for (let round = 0; round < 40; round += 1) {
      const worker = await insertWorker(dataSource);
      const [updated, removed] = await Promise.all([
        workers.updateSettings(worker.id, { name: `renamed-${round}`, monitoringEnabled: true }),
        workers.remove(worker.id),
      ]);
      expect(removed).toBe(true);
      expect(await count(worker.id)).toBe(0);
      if (updated) {
        expect(updated.worker.name).toBe(`renamed-${round}`);
      }
      expect(await workers.updateSettings(worker.id, { name: 'too late' })).toBeNull();
    }
  });

  it('should page workers as rows of the columns asked for, with the computed fields they feed', async () => {
    const worker = await insertWorker(dataSource, {
      systemCheck: CheckStatus.OK,
      instanceCheck: CheckStatus.OK,
      cpuThreshold: 80,
      memoryThreshold: 85,
    });

    const narrow = await workers.list({ first: 1 }, ['name', 'systemCheck', 'instanceCheck']);
    const whole = await workers.list({ first: 1 });

    const [{ node }] = narrow.edges;
    expect(node.id).toBe(worker.id);
    expect(Object.keys(node).sort()).toEqual([
      'createdAt',
      'id',
      'instanceCheck',
      'name',
      'systemCheck',
    ]);
    expect(node.statusChecks).toEqual({ system: 'OK', instance: 'OK' });
    expect(narrow.edges[0].cursor).toBe(whole.edges[0].cursor);
    expect(whole.edges[0].node).toBeInstanceOf(Worker);
    expect(whole.edges[0].node.thresholds).toEqual({ cpu: 80, memory: 85 });
    expect(whole.edges[0].node).toMatchObject({ cmlLabs: [], consecutivePollFailures: 0 });
    expect(narrow.totalCount).toBe(whole.totalCount);
  });

  it('should read a page and its count in one statement, and count alone only for an empty page', async () => {
    const prefix = `counted-${Date.now()}`;
    for (const n of [1, 2, 3]) {
      await insertWorker(dataSource, { name: `${prefix}-${n}` });
    }
    const filter = { nameContains: prefix };
    const statements = jest.spyOn(dataSource.manager, 'query');
    const pages = [];
    const perPage = [];
    try {
      let after: string | undefined;
      for (let page = 0; page < 3; page += 1) {
        const before = statements.mock.calls.length;
        const answer = await workers.list({ first: 2, after, filter }, ['name']);
        perPage.push(statements.mock.calls.length - before);
        pages.push(answer);
        after = answer.pageInfo.endCursor ?? after;
      }
      const before = statements.mock.calls.length;
      pages.push(await workers.list({ first: 2, filter: { nameContains: `${prefix}-none` } }));
      perPage.push(statements.mock.calls.length - before);
    } finally {
      statements.mockRestore();
    }

    expect(pages.map((page) => [page.edges.length, page.totalCount])).toEqual([
      [2, 3],
      [1, 3],
      [0, 3],
      [0, 0],
    ]);
    expect(perPage).toEqual([1, 1, 2, 2]);
    expect(pages[0].edges.map(({ node }) => node.name)).toEqual([`${prefix}-3`, `${prefix}-2`]);
    expect(Object.keys(pages[1].edges[0].node).sort()).toEqual(['createdAt', 'id', 'name']);
  });

  it('should write only the settings it is given, leaving what a poll wrote', async () => {
    const worker = await insertWorker(dataSource, { cpuUtilization: 12, memoryThreshold: 70 });
    await dataSource.query(`UPDATE worker SET "cpuUtilization" = 55 WHERE id = $1`, [worker.id]);

    const changed = await workers.updateSettings(worker.id, { cpuThreshold: 60 });

    expect(changed?.worker).toMatchObject({
      cpuThreshold: 60,
      memoryThreshold: 70,
      cpuUtilization: 55,
      name: worker.name,
    });
    expect(changed?.before.cpuThreshold).toBe(worker.cpuThreshold);
  });

  it('should change a status once when two writers race, telling only the one that changed it', async () => {
    const worker = await insertWorker(dataSource, { status: WorkerStatus.RUNNING });
    const at = new Date();

    const results = await Promise.all([
      workers.changeStatus(worker.id, WorkerStatus.STOPPING, at),
      workers.changeStatus(worker.id, WorkerStatus.STOPPING, at),
    ]);

    const changers = results.filter((result) => result?.before.status !== result?.worker.status);
    expect(changers).toHaveLength(1);
    expect(changers[0]?.before).toMatchObject({ status: WorkerStatus.RUNNING });
    expect(await workers.changeStatus(worker.id, WorkerStatus.STOPPED, at)).toMatchObject({
      before: { status: WorkerStatus.STOPPING },
      worker: { status: WorkerStatus.STOPPED },
    });
  });

  it('should record a request on an existing worker only, and hand back the one it replaced', async () => {
    const worker = await insertWorker(dataSource);
    const first = new Date(Date.now() - 1000);
    const second = new Date();
    await workers.recordRequest(worker.id, WorkerAction.STOP, first);

    const changed = await workers.recordRequest(worker.id, WorkerAction.START, second);
    await workers.withdrawRequest(worker.id, second, changed?.before ?? worker);

    expect(await workers.findById(worker.id)).toMatchObject({
      requestedAction: WorkerAction.STOP,
      requestedAt: first,
    });
    await workers.remove(worker.id);
    expect(await workers.recordRequest(worker.id, WorkerAction.START, second)).toBeNull();
  });

  it('should register an instance once when two inserts race', async () => {
    const template = await insertWorker(dataSource);
    await workers.remove(template.id);
    const values = {
      name: template.name,
      awsRegion: template.awsRegion,
      awsInstanceId: template.awsInstanceId,
      instanceType: template.instanceType,
      status: WorkerStatus.RUNNING,
      cpuThreshold: 90,
      memoryThreshold: 90,
    };

    const inserted = await Promise.all([workers.insert(values), workers.insert(values)]);

    expect(inserted.filter((row) => row !== null)).toHaveLength(1);
  });
});
