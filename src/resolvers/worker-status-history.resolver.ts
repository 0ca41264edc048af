import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { WorkerStatusTransition } from '../entities/worker-status-transition.entity';
import { Worker } from '../entities/worker.entity';
import type { RequestContext } from '../schema/context';
import { StatusHistoryArgs } from '../schema/inputs/status-history.args';

@Resolver(() => Worker)
export class WorkerStatusHistoryResolver {
  @FieldResolver(() => [WorkerStatusTransition], { description: 'Status changes, newest first.' })
  statusHistory(
    @Root() worker: Worker,
    @Args(() => StatusHistoryArgs) range: StatusHistoryArgs,
    @Ctx() context: RequestContext,
  ): Promise<WorkerStatusTransition[]> {
    return context.statusHistoryOf(range).load(worker.id);
  }
}
