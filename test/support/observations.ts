import { CheckStatus, WorkerStatus } from '../../src/entities/worker-status.enum';
import type { Worker } from '../../src/entities/worker.entity';
import { NO_CML } from '../../src/services/alerts/alert-rules';
import type { WorkerObservation } from '../../src/services/alerts/alert.service';

const HOUR = 3_600_000;

/** A sample of a running worker taken at `now`: CPU and memory at 50 %, checks OK, no alert open. */
export function observationOf(
  worker: Worker,
  now: Date,
  overrides: Partial<WorkerObservation> = {},
): WorkerObservation {
  return {
    workerId: worker.id,
    previousStatus: WorkerStatus.RUNNING,
    status: WorkerStatus.RUNNING,
    previousTransitionAt: new Date(now.getTime() - 10 * HOUR),
    requested: null,
    thresholds: { cpu: worker.cpuThreshold, memory: worker.memoryThreshold },
    cpu: 50,
    memory: 50,
    systemCheck: CheckStatus.OK,
    instanceCheck: CheckStatus.OK,
    collectedAt: now,
    open: [],
    cml: NO_CML,
    state: { cpuHighStreak: 1, memoryHighStreak: 0, cmlFailureStreak: 0, lastActivityAt: null },
    ...overrides,
  };
}
