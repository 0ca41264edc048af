import type { DataSource } from 'typeorm';
import { ChangeSource } from '../../src/entities/change-source.enum';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { WorkerStatusTransition } from '../../src/entities/worker-status-transition.entity';
import { Worker } from '../../src/entities/worker.entity';
import { createRepositories, type Repositories } from '../../src/repositories/repositories';
import { StatusHistoryService } from '../../src/services/history/status-history.service';
import { insertWorker } from '../support/factories';
import { testLogger } from '../support/silent-logger';
import { createTestDataSource, dropTestDataSource } from '../support/test-database';

const DAY_MS = 86_400_000;
const RETENTION_DAYS = 7;

describe(StatusHistoryService.name, () => {
  let dataSource: DataSource;
  let repositories: Repositories;
  const now = new Date('2026-06-15T12:00:00.000Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

  const record = (worker: Worker, changedAt: Date) =>
    dataSource.transaction((tx) =>
      repositories.transitions.insert(tx, [
        {
          workerId: worker.id,
          previousStatus: WorkerStatus.RUNNING,
          status: WorkerStatus.STOPPING,
          changedAt,
          source: ChangeSource.MUTATION,
          actor: 'ops',
        },
      ]),
    );
  const transitionsOf = (worker: Worker) =>
    dataSource.getRepository(WorkerStatusTransition).findBy({ workerId: worker.id });

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    repositories = createRepositories(dataSource);
  });

  afterAll(() => dropTestDataSource(dataSource));

  it('should prune the transitions older than the retention and keep the others', async () => {
    const worker = await insertWorker(dataSource);
    await record(worker, daysAgo(RETENTION_DAYS + 1));
    await record(worker, daysAgo(RETENTION_DAYS + 30));
    await record(worker, daysAgo(RETENTION_DAYS - 1));
    const history = new StatusHistoryService(
      repositories.transitions,
      RETENTION_DAYS,
      testLogger(),
      () => now,
    );

    expect(await history.prune()).toBe(2);
    expect((await transitionsOf(worker)).map((t) => t.changedAt)).toEqual([
      daysAgo(RETENTION_DAYS - 1),
    ]);
  });

  it("should give each worker its newest transitions in one answer, and forget a removed worker's", async () => {
    const [kept, removed] = [await insertWorker(dataSource), await insertWorker(dataSource)];
    for (const days of [3, 2, 1]) {
      await record(kept, daysAgo(days));
    }
    await record(removed, daysAgo(1));
    const history = new StatusHistoryService(
      repositories.transitions,
      RETENTION_DAYS,
      testLogger(),
    );

    await dataSource.getRepository(Worker).delete({ id: removed.id });
    const [ofKept, ofRemoved] = await history.newestTransitions([kept.id, removed.id], {
      since: daysAgo(2.5),
      limit: 10,
    });

    expect(ofKept.map((t) => t.changedAt)).toEqual([daysAgo(1), daysAgo(2)]);
    expect(ofRemoved).toEqual([]);
    expect(await transitionsOf(removed)).toEqual([]);
  });
});
