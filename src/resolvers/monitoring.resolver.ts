import { Authorized, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/principal';
import type { PollCycle } from '../services/polling/poll-cycle.tracker';
import { MonitoringService } from '../services/polling/monitoring.service';
import {
  JobStoreBackend,
  MonitoringStatus,
  PollCycleSummary,
} from '../schema/types/monitoring-status.type';

@Resolver()
export class MonitoringResolver {
  constructor(private readonly monitoringService: MonitoringService) {}

  @Authorized(Role.VIEWER)
  @Query(() => MonitoringStatus, {
    description:
      'What to check when workers are not polled: the switch, the job store, the jobs and the last cycle.',
  })
  async monitoringStatus(): Promise<MonitoringStatus> {
    const status = await this.monitoringService.status();
    return {
      ...status,
      jobStore:
        status.jobStore === null
          ? null
          : status.jobStore === 'mongo'
            ? JobStoreBackend.MONGODB
            : JobStoreBackend.POSTGRES,
      lastCycle: status.lastCycle && toSummary(status.lastCycle),
    };
  }
}

function toSummary(cycle: PollCycle): PollCycleSummary {
  return {
    ...cycle,
    durationMs: cycle.finishedAt.getTime() - cycle.startedAt.getTime(),
    awsCalls: [...cycle.awsCalls].map(([action, count]) => ({ action, count })),
  };
}
