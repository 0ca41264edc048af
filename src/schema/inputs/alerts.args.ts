import { IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { AlertKind, AlertState } from '../../entities/alert.enums';
import { PageArgs } from './page.args';

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
export class AlertsArgs extends PageArgs {
  @Field(() => AlertFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: AlertFilter;
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
