import type { DataSource } from 'typeorm';
import { Alert } from '../../src/entities/alert.entity';
import { AlertKind, AlertSeverity, AlertState } from '../../src/entities/alert.enums';
import { CheckStatus, WorkerStatus } from '../../src/entities/worker-status.enum';
import { AlertRepository } from '../../src/repositories/alert.repository';
import { MetricSampleRepository } from '../../src/repositories/metric-sample.repository';
import { insertAlert, insertSample, insertWorker } from '../support/factories';
import { createTestDataSource, dropTestDataSource } from '../support/test-database';

describe('sample and alert repositories', () => {
  let dataSource: DataSource;
  let samples: MetricSampleRepository;
  let alerts: AlertRepository;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    samples = new MetricSampleRepository(dataSource);
    alerts = new AlertRepository(dataSource);
  });

  afterAll(() => dropTestDataSource(dataSource));

  describe(MetricSampleRepository.name, () => {
    it("should store a batch's samples for the workers that exist and drop the removed one's", async () => {
      const kept = await insertWorker(dataSource);
      const removed = await insertWorker(dataSource);
      await dataSource.query('DELETE FROM worker WHERE id = $1', [removed.id]);
      const sample = (workerId: string) => ({
        workerId,
        status: WorkerStatus.RUNNING,
        systemCheck: null,
        instanceCheck: null,
        cpuUtilization: 50,
        memoryUtilization: 60,
        cpuDatapointAt: null,
        memoryDatapointAt: null,
      });

      await samples.insert(dataSource, [sample(kept.id), sample(removed.id)], new Date());

      const [keptSamples, removedSamples] = await samples.newestOf([kept.id, removed.id], {
        limit: 10,
      });
      expect(keptSamples).toHaveLength(1);
      expect(removedSamples).toEqual([]);
    });

    it('should give each worker its newest samples within the range, and prune the old ones', async () => {
      const worker = await insertWorker(dataSource);
      const minute = 60_000;
      const base = Date.now() - 10 * minute;
      for (let i = 0; i < 5; i += 1) {
        await insertSample(dataSource, worker, { collectedAt: new Date(base + i * minute) });
      }

      const [newest] = await samples.newestOf([worker.id], {
        since: new Date(base + minute),
        limit: 3,
      });
      const deleted = await samples.deleteOlderThan(new Date(base + 2 * minute), 1000);

      expect(newest.map((s) => s.collectedAt?.getTime())).toEqual([
        base + 4 * minute,
        base + 3 * minute,
        base + 2 * minute,
      ]);
      expect(deleted).toBe(2);
    });

    it('should read only the columns asked for, as plain rows, with the status checks when asked', async () => {
      const worker = await insertWorker(dataSource);
      const collectedAt = new Date('2026-05-06T07:08:09.123Z');
      await insertSample(dataSource, worker, {
        collectedAt,
        cpuDatapointAt: new Date('2026-05-06T07:07:00.000Z'),
        systemCheck: CheckStatus.OK,
        instanceCheck: CheckStatus.IMPAIRED,
      });

      const [[narrow]] = await samples.newestOf([worker.id], {
        limit: 1,
        columns: ['collectedAt', 'cpuUtilization'],
      });
      const [[checks]] = await samples.newestOf([worker.id], {
        limit: 1,
        columns: ['instanceCheck', 'systemCheck'],
      });
      const [[whole]] = await samples.newestOf([worker.id], { limit: 1, columns: null });

      expect(narrow).toEqual({ workerId: worker.id, collectedAt, cpuUtilization: 25 });
      expect(Object.getPrototypeOf(narrow)).toBe(Object.prototype);
      expect(checks.statusChecks).toEqual({ system: 'OK', instance: 'IMPAIRED' });
      expect(whole).toMatchObject({
        workerId: worker.id,
        status: 'RUNNING',
        memoryUtilization: 40,
        cpuDatapointAt: new Date('2026-05-06T07:07:00.000Z'),
        memoryDatapointAt: null,
        statusChecks: { system: 'OK', instance: 'IMPAIRED' },
      });
    });
  });

  describe(AlertRepository.name, () => {
    it('should page alerts as plain rows of the columns asked for, and whole as they are stored', async () => {
      const worker = await insertWorker(dataSource);
      const older = await insertAlert(dataSource, worker, {
        startedAt: new Date('2026-05-06T07:08:09.123Z'),
        kind: AlertKind.MEMORY_HIGH,
      });
      const newer = await insertAlert(dataSource, worker, {
        startedAt: new Date('2026-05-06T08:08:09.456Z'),
      });
      const filter = { workerId: worker.id };

      const narrow = await alerts.list({ filter, first: 1 }, ['kind', 'message']);
      const whole = await alerts.list({ filter, first: 1 });
      const next = await alerts.list({ filter, first: 1, after: narrow.pageInfo.endCursor ?? '' });
      const stored = await dataSource.getRepository(Alert).findOneByOrFail({ id: newer.id });

      const [{ node }] = narrow.edges;
      expect(Object.keys(node).sort()).toEqual(['id', 'kind', 'message', 'startedAt']);
      expect(node).toBeInstanceOf(Alert);
      expect(node).toMatchObject({ id: newer.id, kind: AlertKind.CPU_HIGH });
      expect({ ...whole.edges[0].node }).toEqual({ ...stored });
      expect(narrow.edges[0].cursor).toBe(whole.edges[0].cursor);
      expect(narrow.totalCount).toBe(2);
      expect(narrow.pageInfo.hasNextPage).toBe(true);
      expect(next.edges.map((edge) => edge.node.id)).toEqual([older.id]);
    });

    it('should keep one firing alert per worker and kind, and resolve it once', async () => {
      const worker = await insertWorker(dataSource);
      const fire = {
        workerId: worker.id,
        kind: AlertKind.CPU_HIGH,
        severity: AlertSeverity.WARNING,
        value: 97,
        threshold: 90,
        message: 'hot',
        at: new Date(),
      };

      const [first, second] = await Promise.all([
        alerts.insertFiring(dataSource, [fire]),
        alerts.insertFiring(dataSource, [fire]),
      ]);
      const [alert] = [...first, ...second];
      const resolution = { alertId: alert.id, value: 20, reason: 'cooled', at: new Date() };
      const resolved = await Promise.all([
        alerts.resolve(dataSource, [resolution]),
        alerts.resolve(dataSource, [resolution]),
      ]);

      expect(first.length + second.length).toBe(1);
      expect(resolved.flat()).toHaveLength(1);
      expect(resolved.flat()[0]).toMatchObject({ state: AlertState.RESOLVED, resolvedValue: 20 });
    });

    it('should keep the first acknowledgement and answer null for an unknown alert', async () => {
      const worker = await insertWorker(dataSource);
      const alert = await insertAlert(dataSource, worker);
      const first = new Date(Date.now() - 1000);

      const once = await alerts.acknowledge(alert.id, first);
      const again = await alerts.acknowledge(alert.id, new Date());

      expect(once?.first).toBe(true);
      expect(again).toMatchObject({ first: false, alert: { acknowledgedAt: first } });
      expect(await alerts.acknowledge('00000000-0000-4000-8000-000000000000', first)).toBeNull();
      expect(await alerts.firingOf(dataSource, [worker.id])).toEqual([
        { id: alert.id, workerId: worker.id, kind: AlertKind.CPU_HIGH, threshold: 90 },
      ]);
    });
  });
});
