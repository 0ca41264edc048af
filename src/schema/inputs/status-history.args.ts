import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';

export const TRANSITIONS_PER_WORKER_MAX = 1000;

@ArgsType()
export class StatusHistoryArgs {
  @Field(() => Date, { nullable: true })
  since?: Date | null;

  @Field(() => Int, { nullable: true, defaultValue: 100 })
  @Min(1, { message: `limit must be between 1 and ${TRANSITIONS_PER_WORKER_MAX}` })
  @Max(TRANSITIONS_PER_WORKER_MAX, {
    message: `limit must be between 1 and ${TRANSITIONS_PER_WORKER_MAX}`,
  })
  limit: number;
}
