import { Field, ID, ObjectType } from 'type-graphql';
import { WorkerStatus } from './worker-status.enum';

@ObjectType()
export class WorkerStatusChange {
  @Field(() => ID)
  workerId: string;

  @Field(() => WorkerStatus)
  previousStatus: WorkerStatus;

  @Field(() => WorkerStatus)
  status: WorkerStatus;

  @Field()
  changedAt: Date;
}
