import { IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { AlertKind, AlertState } from '../../entities/alert.enums';
import { PAGE_SIZE_MAX } from './workers.args';

@InputType()
export class AlertFilter {
  @Field(() => ID, { nullable: true })
  workerId?: string;

  @Field(() => AlertState, { nullable: true })
  state?: AlertState;

  @Field(() => [AlertKind], { nullable: true })
  kind?: AlertKind[];
}

@ArgsType()
export class AlertsArgs {
  @Field(() => AlertFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: AlertFilter;

  @Field(() => Int, { nullable: true, defaultValue: 50 })
  @Min(1, { message: `first must be between 1 and ${PAGE_SIZE_MAX}` })
  @Max(PAGE_SIZE_MAX, { message: `first must be between 1 and ${PAGE_SIZE_MAX}` })
  first: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

export const ALERTS_PER_WORKER_MAX = 500;

@ArgsType()
export class WorkerAlertsArgs {
  @Field(() => AlertState, { nullable: true })
  state?: AlertState | null;

  @Field(() => Int, { nullable: true, defaultValue: 50 })
  @Min(1, { message: `limit must be between 1 and ${ALERTS_PER_WORKER_MAX}` })
  @Max(ALERTS_PER_WORKER_MAX, { message: `limit must be between 1 and ${ALERTS_PER_WORKER_MAX}` })
  limit: number;
}
