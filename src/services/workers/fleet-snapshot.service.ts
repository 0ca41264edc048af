import type { DataSource } from 'typeorm';
import type { JobCounts } from '../../jobs/scheduler';
import type { FleetSnapshot, FleetSnapshotSource } from '../../observability/metrics';

/** The fleet as the metrics endpoint shows it: three reads per scrape, whatever its size. */
export class FleetSnapshotService implements FleetSnapshotSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: { pollJobCounts(): Promise<JobCounts> },
  ) {}

  async snapshot(): Promise<FleetSnapshot> {
    const [workers, alertsFiring, jobs] = await Promise.all([
      this.dataSource.query<FleetSnapshot['workers']>(
        `SELECT id, name, "awsInstanceId", "awsRegion", status, "cpuUtilization",
           "memoryUtilization", "lastPolledAt"
         FROM worker`,
      ),
      this.dataSource.query<FleetSnapshot['alertsFiring']>(
        `SELECT kind, count(*)::int AS count FROM alert WHERE state = 'FIRING' GROUP BY kind`,
      ),
      this.jobs.pollJobCounts(),
    ]);
    return { workers, alertsFiring, jobs };
  }
}
