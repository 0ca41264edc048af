import { IsOptional, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ThresholdsInput } from './thresholds.input';
import { IsWorkerName } from './validation';

@InputType()
export class UpdateWorkerInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsWorkerName()
  name?: string;

  @Field(() => ThresholdsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  thresholds?: ThresholdsInput;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  monitoringEnabled?: boolean;
}
