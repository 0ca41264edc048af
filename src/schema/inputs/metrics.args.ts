import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';

export const SAMPLES_PER_WORKER_MAX = 1000;

@ArgsType()
export class MetricsArgs {
  @Field(() => Date, { nullable: true })
  since?: Date | null;

  @Field(() => Date, { nullable: true })
  until?: Date | null;

  @Field(() => Int, { nullable: true, defaultValue: 100 })
  @Min(1, { message: `limit must be between 1 and ${SAMPLES_PER_WORKER_MAX}` })
  @Max(SAMPLES_PER_WORKER_MAX, { message: `limit must be between 1 and ${SAMPLES_PER_WORKER_MAX}` })
  limit: number;
}
