import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { OptionalThresholds, ThresholdsInput } from './thresholds.input';
import { OptionalWorkerName } from './validation';

@InputType()
export class UpdateWorkerInput {
  @OptionalWorkerName()
  name?: string;

  @OptionalThresholds()
  thresholds?: ThresholdsInput;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  monitoringEnabled?: boolean;
}
