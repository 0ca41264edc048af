import { Field, ID, ObjectType } from 'type-graphql';
import { ChangeSource } from './change-source.enum';
import { WorkerStatus } from './worker-status.enum';

@ObjectType({ simpleResolvers: true })
export class WorkerStatusChange {
  @Field(() => ID)
  workerId: string;

  @Field(() => WorkerStatus)
  previousStatus: WorkerStatus;

  @Field(() => WorkerStatus)
  status: WorkerStatus;

  @Field()
  changedAt: Date;

  @Field(() => ChangeSource)
  source: ChangeSource;

  @Field(() => String, {
    nullable: true,
    description: 'Who asked for it, for MUTATION; null otherwise.',
  })
  actor: string | null;
}
