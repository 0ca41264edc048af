import type { JobCounts } from '../../jobs/job-queue';
import type { FleetSnapshot, FleetSnapshotSource } from '../../observability/metrics';
import type { AlertRepository } from '../../repositories/alert.repository';
import type { WorkerRepository } from '../../repositories/worker.repository';

/** The fleet as the metrics endpoint shows it: three reads per scrape, whatever its size. */
export class FleetSnapshotService implements FleetSnapshotSource {
  constructor(
    private readonly workers: WorkerRepository,
    private readonly alerts: AlertRepository,
    private readonly jobs: { pollJobCounts(): Promise<JobCounts> },
  ) {}

  async snapshot(): Promise<FleetSnapshot> {
    const [workers, alertsFiring, jobs] = await Promise.all([
      this.workers.gauges(),
      this.alerts.firingCounts(),
      this.jobs.pollJobCounts(),
    ]);
    return { workers, alertsFiring, jobs };
  }
}
