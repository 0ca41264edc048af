import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { WorkerStatusChange } from '../schema/types/worker-status-change.type';
import type { Topic } from '../services/pub-sub';

const WORKER_STATUS_CHANGED: Topic = 'WORKER_STATUS_CHANGED';

interface WorkerScopedArgs {
  workerId?: string | null;
}

/** Scopes the subscription to one worker's channel; without a workerId it hears the whole fleet. */
const workerChannel = ({ args }: { args: WorkerScopedArgs }) => args.workerId ?? undefined;

@Resolver()
export class WorkerEventsResolver {
  @Subscription(() => WorkerStatusChange, { topics: WORKER_STATUS_CHANGED, topicId: workerChannel })
  workerStatusChanged(
    @Root() change: WorkerStatusChange,
    @Arg('workerId', () => ID, { nullable: true }) _workerId?: string,
  ): WorkerStatusChange {
    return change;
  }
}
