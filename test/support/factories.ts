import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { Worker } from '../../src/entities/worker.entity';
import { Alert } from '../../src/entities/alert.entity';
import { AlertKind, AlertSeverity, AlertState } from '../../src/entities/alert.enums';
import { MetricSample } from '../../src/entities/metric-sample.entity';

/** A well-formed EC2 instance id (`i-` and 17 hex digits) that no other test uses. */
export function instanceId(): string {
  return `i-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export function buildWorker(overrides: Partial<Worker> = {}): Partial<Worker> {
  return {
    name: `worker-${randomBytes(3).toString('hex')}`,
    awsRegion: 'eu-west-1',
    awsInstanceId: instanceId(),
    instanceType: 'c5.2xlarge',
    status: WorkerStatus.RUNNING,
    cpuThreshold: 90,
    memoryThreshold: 90,
    monitoringEnabled: true,
    ...overrides,
  };
}

export async function insertWorker(
  dataSource: DataSource,
  overrides: Partial<Worker> = {},
): Promise<Worker> {
  const workers = dataSource.getRepository(Worker);
  return workers.save(workers.create(buildWorker(overrides)));
}

export async function insertSample(
  dataSource: DataSource,
  worker: Pick<Worker, 'id'>,
  overrides: Partial<MetricSample> = {},
): Promise<MetricSample> {
  const samples = dataSource.getRepository(MetricSample);
  return samples.save(
    samples.create({
      workerId: worker.id,
      status: WorkerStatus.RUNNING,
      cpuUtilization: 25,
      memoryUtilization: 40,
      collectedAt: new Date(),
      ...overrides,
    }),
  );
}

export async function insertAlert(
  dataSource: DataSource,
  worker: Pick<Worker, 'id'>,
  overrides: Partial<Alert> = {},
): Promise<Alert> {
  const alerts = dataSource.getRepository(Alert);
  const startedAt = overrides.startedAt ?? new Date();
  return alerts.save(
    alerts.create({
      workerId: worker.id,
      kind: AlertKind.CPU_HIGH,
      state: AlertState.FIRING,
      severity: AlertSeverity.WARNING,
      value: 97,
      threshold: 90,
      message: 'CPU 97 % above 90 %',
      startedAt,
      lastNotifiedAt: startedAt,
      ...overrides,
    }),
  );
}
