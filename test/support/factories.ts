import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { Worker } from '../../src/entities/worker.entity';

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
