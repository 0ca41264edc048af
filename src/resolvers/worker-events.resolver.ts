import { Arg, Authorized, ID, Resolver, Root, Subscription } from 'type-graphql';
import { Role } from '../auth/principal';
import { MetricSample, type MetricSampleEvent } from '../entities/metric-sample.entity';
import { WorkerPollFailure } from '../entities/worker-poll-failure.type';
import { WorkerStatusChange } from '../entities/worker-status-change.type';
import type { Topic } from '../services/pubsub/pub-sub';

const WORKER_STATUS_CHANGED: Topic = 'WORKER_STATUS_CHANGED';
const WORKER_METRICS: Topic = 'WORKER_METRICS';
const WORKER_POLL_FAILED: Topic = 'WORKER_POLL_FAILED';

interface WorkerScopedArgs {
  workerId?: string | null;
}

/** Scopes the subscription to one worker's channel; without a workerId it hears the whole fleet. */
const workerChannel = ({ args }: { args: WorkerScopedArgs }) => args.workerId ?? undefined;

@Resolver()
export class WorkerEventsResolver {
  @Authorized(Role.VIEWER)
  @Subscription(() => WorkerStatusChange, { topics: WORKER_STATUS_CHANGED, topicId: workerChannel })
  workerStatusChanged(
    @Root() change: WorkerStatusChange,
    @Arg('workerId', () => ID, { nullable: true }) _workerId?: string,
  ): WorkerStatusChange {
    return change;
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => MetricSample, {
    topics: WORKER_METRICS,
    topicId: workerChannel,
    description: 'A sample each time a worker is polled; all workers when workerId is omitted.',
  })
  workerMetrics(
    @Root() sample: MetricSampleEvent,
    @Arg('workerId', () => ID, { nullable: true }) _workerId?: string,
  ): MetricSampleEvent {
    return sample;
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => WorkerPollFailure, {
    topics: WORKER_POLL_FAILED,
    topicId: workerChannel,
    description:
      "Each failed poll of a worker, with what Worker.pollError then says; all workers when workerId is omitted. The worker's next successful poll clears pollError and sends its sample on workerMetrics.",
  })
  workerPollFailed(
    @Root() failure: WorkerPollFailure,
    @Arg('workerId', () => ID, { nullable: true }) _workerId?: string,
  ): WorkerPollFailure {
    return failure;
  }
}
