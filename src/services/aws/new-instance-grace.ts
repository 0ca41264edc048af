import type { Worker } from '../../entities/worker.entity';

/**
 * EC2 is eventually consistent: for a while after RunInstances, calls that name the new
 * instance may answer InvalidInstanceID.NotFound. For a worker registered less than `graceMs`
 * ago, that answer means "not yet", not "gone". The row's creation stands for the launch:
 * createWorker inserts it as soon as RunInstances returns, and importWorker right after EC2
 * described the instance, which an instance gone for good could not be.
 */
export function mayBeUnknownYet(
  worker: Pick<Worker, 'createdAt'>,
  now: Date,
  graceMs: number,
): boolean {
  return now.getTime() - worker.createdAt.getTime() < graceMs;
}
