import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({
  simpleResolvers: true,
  description:
    'A failed poll of a worker, as Worker.pollError then tells it. Also the payload of the workerPollFailed subscription.',
})
export class WorkerPollFailure {
  @Field(() => ID)
  workerId: string;

  @Field()
  message: string;

  @Field(() => Int, { description: 'Polls that failed in a row, this one included.' })
  consecutiveFailures: number;

  @Field({ description: 'When the poll failed.' })
  occurredAt: Date;
}
