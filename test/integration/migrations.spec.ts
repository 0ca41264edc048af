import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../../src/database/data-source';
import { migrations } from '../../src/entities/migrations';
import { ResolveTerminatedAlerts1764200000000 } from '../../src/entities/migrations/1764200000000-resolve-terminated-alerts';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { Alert } from '../../src/entities/alert.entity';
import { AlertKind, AlertSeverity, AlertState } from '../../src/entities/alert.enums';
import { buildWorker, insertAlert } from '../support/factories';
import { dropTestDataSource, testDatabaseUrl, uniqueSchemaName } from '../support/test-database';

describe('database migrations', () => {
  const schema = uniqueSchemaName();
  const sources: DataSource[] = [];

  const connect = async () => {
    const dataSource = createDataSource({ url: testDatabaseUrl(), schema, poolSize: 2 });
    await dataSource.initialize();
    sources.push(dataSource);
    return dataSource;
  };

  afterAll(async () => {
    const [first, ...others] = sources;
    await Promise.all(others.map((dataSource) => dataSource.destroy()));
    if (first) {
      await dropTestDataSource(first);
    }
  });

  it('should migrate once when several processes start together, into the configured schema', async () => {
    const [a, b, c] = await Promise.all([connect(), connect(), connect()]);

    await Promise.all([runMigrations(a), runMigrations(b), runMigrations(c)]);

    const applied = await a.query(`SELECT name FROM "${schema}".migrations`);
    expect(applied).toEqual([
      { name: 'CreateWorker1763900000000' },
      { name: 'AddMonitoring1764000000000' },
      { name: 'AddAlerts1764100000000' },
      { name: 'ResolveTerminatedAlerts1764200000000' },
      { name: 'AddCml1764300000000' },
      { name: 'AddSilences1764400000000' },
      { name: 'GroupNotifications1764410000000' },
      { name: 'StatusHistory1764500000000' },
      { name: 'AuditEvents1764510000000' },
      { name: 'SampleValuesIndex1764520000000' },
    ]);
    const tables: { table_name: string }[] = await a.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
      [schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'alert',
      'alert_notification',
      'alert_remediation',
      'audit_event',
      'metric_sample',
      'migrations',
      'notification_group',
      'notification_group_alert',
      'silence',
      'worker',
      'worker_status_transition',
    ]);
  });

  it('should have no pending change between the entities and the migrations', async () => {
    const [dataSource] = sources;

    const pending = await dataSource.driver.createSchemaBuilder().log();

    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('should hold one worker per region and instance', async () => {
    const [dataSource] = sources;
    const row = buildWorker();
    await dataSource.getRepository('Worker').insert(row);

    await expect(
      dataSource
        .getRepository('Worker')
        .insert({ ...buildWorker(), awsRegion: row.awsRegion, awsInstanceId: row.awsInstanceId }),
    ).rejects.toMatchObject({
      driverError: { code: '23505', constraint: 'worker_region_instance_unique' },
    });
    await expect(
      dataSource
        .getRepository('Worker')
        .insert({ ...buildWorker(), awsRegion: 'ap-south-1', awsInstanceId: row.awsInstanceId }),
    ).resolves.toBeDefined();
  });

  it('should refuse thresholds outside (0, 100] and unknown statuses', async () => {
    const workers = sources[0].getRepository('Worker');

    await expect(workers.insert(buildWorker({ cpuThreshold: 0 }))).rejects.toMatchObject({
      driverError: { constraint: 'worker_cpu_threshold_range' },
    });
    await expect(workers.insert(buildWorker({ memoryThreshold: 100.5 }))).rejects.toMatchObject({
      driverError: { constraint: 'worker_memory_threshold_range' },
    });
    await expect(
      workers.insert(buildWorker({ status: 'EXPLODED' as WorkerStatus })),
    ).rejects.toThrow(/invalid input value for enum/);
  });

  it('should resolve the TERMINATED alerts that fired before a termination became an event', async () => {
    const [dataSource] = sources;
    const since = migrations.length - migrations.indexOf(ResolveTerminatedAlerts1764200000000);
    for (let undone = 0; undone < since; undone += 1) {
      await dataSource.undoLastMigration();
    }
    // The entity has the columns of later migrations: the row is written as the table was.
    const [worker] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO worker ("name", "awsRegion", "awsInstanceId", "status", "cpuThreshold",
         "memoryThreshold", "monitoringEnabled")
       VALUES ('old', 'eu-west-1', 'i-0123456789abcdef0', 'TERMINATED', 90, 90, true)
       RETURNING id`,
    );
    const startedAt = new Date('2026-11-20T08:00:00Z');
    const terminated = await insertAlert(dataSource, worker, {
      kind: AlertKind.TERMINATED,
      severity: AlertSeverity.CRITICAL,
      startedAt,
    });
    const cpu = await insertAlert(dataSource, worker, { kind: AlertKind.CPU_HIGH });

    await runMigrations(dataSource);

    const alerts = dataSource.getRepository(Alert);
    expect(await alerts.findOneByOrFail({ id: terminated.id })).toMatchObject({
      state: AlertState.RESOLVED,
      resolvedAt: startedAt,
      resolution: 'an event: a terminated instance does not come back',
    });
    expect(await alerts.findOneByOrFail({ id: cpu.id })).toMatchObject({
      state: AlertState.FIRING,
      resolvedAt: null,
    });
  });

  it('should revert cleanly', async () => {
    const [dataSource] = sources;

    for (let undone = 0; undone < migrations.length; undone += 1) {
      await dataSource.undoLastMigration();
    }

    const tables = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
      [schema],
    );
    expect(tables).toEqual([{ table_name: 'migrations' }]);
    await runMigrations(dataSource);
  });
});
