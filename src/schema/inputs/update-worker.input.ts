import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { OptionalThresholds, ThresholdsInput } from './thresholds.input';
import { IsWorkerName } from './validation';

@InputType()
export class UpdateWorkerInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsWorkerName()
  name?: string;

  @OptionalThresholds()
  thresholds?: ThresholdsInput;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  monitoringEnabled?: boolean;
}
