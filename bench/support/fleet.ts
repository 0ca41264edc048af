import { createDataSource, runMigrations } from '../../src/database/data-source';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import { Worker } from '../../src/entities/worker.entity';
import type { RunningEmulator } from '../../src/emulator/emulator.server';

export interface SeededWorker {
  id: string;
  instanceId: string;
}

/**
 * `count` running instances in the emulator and a monitored worker for each in the registry
 * on `schema` (migrated here), written in bulk: registering them one mutation at a time
 * would measure the registry, not what the benchmark is about.
 */
export async function seedFleet(options: {
  databaseUrl: string;
  schema: string;
  emulator: RunningEmulator;
  region: string;
  count: number;
}): Promise<SeededWorker[]> {
  const instances = options.emulator.fleet.addInstances({
    region: options.region,
    count: options.count,
  });
  const dataSource = createDataSource({
    url: options.databaseUrl,
    schema: options.schema,
    poolSize: 2,
  });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const workers: SeededWorker[] = [];
    const repository = dataSource.getRepository(Worker);
    for (let start = 0; start < instances.length; start += 1000) {
      const chunk = instances.slice(start, start + 1000);
      const result = await repository.insert(
        chunk.map((instance, index) => ({
          name: `bench-${String(start + index).padStart(5, '0')}`,
          awsRegion: options.region,
          awsInstanceId: instance.instanceId,
          instanceType: 'c5.2xlarge',
          status: WorkerStatus.RUNNING,
          cpuThreshold: 90,
          memoryThreshold: 90,
          monitoringEnabled: true,
        })),
      );
      result.identifiers.forEach((identifier, index) => {
        workers.push({ id: String(identifier.id), instanceId: chunk[index]?.instanceId ?? '' });
      });
    }
    return workers;
  } finally {
    await dataSource.destroy();
  }
}
