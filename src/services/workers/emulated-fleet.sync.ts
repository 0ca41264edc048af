import { seedDemoFleet } from '../../emulator/demo-fleet';
import type { EmulatedFleet } from '../../emulator/fleet.state';
import type { InstanceStateName } from '../../emulator/instance-lifecycle';
import { WorkerStatus } from '../../entities/worker-status.enum';
import type { Worker } from '../../entities/worker.entity';
import type { Logger } from '../../logger';
import type { WorkerService } from './worker.service';

/** What EC2 would show of each registered worker's instance, had the emulator kept its state. */
const RESTORED_STATE: Record<WorkerStatus, InstanceStateName | undefined> = {
  [WorkerStatus.PENDING]: 'running',
  [WorkerStatus.RUNNING]: 'running',
  [WorkerStatus.UNKNOWN]: 'running',
  [WorkerStatus.STOPPING]: 'stopped',
  [WorkerStatus.STOPPED]: 'stopped',
  [WorkerStatus.SHUTTING_DOWN]: undefined,
  [WorkerStatus.TERMINATED]: undefined,
};

/**
 * The emulator keeps its fleet in memory while the registry persists. On a fresh database this
 * seeds the demo fleet (when asked) and registers it, so a newcomer sees live workers at once;
 * on a database with workers it re-creates their instances, so they survive a restart.
 */
export async function prepareEmulatedFleet(
  fleet: EmulatedFleet,
  workers: WorkerService,
  options: { region: string; demoFleet: boolean },
  logger: Logger,
): Promise<void> {
  const registered = await allWorkers(workers);
  if (registered.length > 0) {
    const restored = registered.filter((worker) => restoreInstance(fleet, worker));
    logger.info(
      { count: restored.length },
      "restored the registered workers' instances in the emulator",
    );
    return;
  }
  if (!options.demoFleet) {
    return;
  }
  const demo = seedDemoFleet(fleet, options.region);
  for (const instance of demo) {
    await workers.import({
      awsInstanceId: instance.instanceId,
      awsRegion: options.region,
      name: instance.name,
    });
  }
  logger.info(
    { count: demo.length, region: options.region },
    'registered the demo fleet as workers',
  );
}

function restoreInstance(fleet: EmulatedFleet, worker: Worker): boolean {
  const state = RESTORED_STATE[worker.status];
  if (!state || fleet.getInstance(worker.awsInstanceId)) {
    return false;
  }
  fleet.addInstances({
    instanceId: worker.awsInstanceId,
    region: worker.awsRegion,
    name: worker.name,
    instanceType: worker.instanceType ?? undefined,
    state,
  });
  return true;
}

async function allWorkers(workers: WorkerService): Promise<Worker[]> {
  const all: Worker[] = [];
  let after: string | undefined;
  do {
    const page = await workers.list({ first: 500, after });
    all.push(...page.edges.map((edge) => edge.node));
    after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
  } while (after);
  return all;
}
