import type { Logger } from '../logger';
import type { WorkerService } from './worker.service';

export interface DemoInstance {
  instanceId: string;
  name: string;
}

/**
 * Registers the emulator's demo fleet as workers on a fresh database, so a newcomer sees live
 * workers the first time the service starts. A database that has workers is left alone.
 */
export async function registerDemoWorkers(
  workers: WorkerService,
  region: string,
  instances: DemoInstance[],
  logger: Logger,
): Promise<void> {
  const existing = await workers.list({ first: 1 });
  if (existing.totalCount > 0) {
    return;
  }
  for (const instance of instances) {
    await workers.import({
      awsInstanceId: instance.instanceId,
      awsRegion: region,
      name: instance.name,
    });
  }
  logger.info({ count: instances.length, region }, 'registered the demo fleet as workers');
}
