import { IsOptional, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ThresholdsInput } from './thresholds.input';
import { IsAwsRegion, IsInstanceId, IsWorkerName } from './validation';

@InputType({
  description:
    'Register an existing EC2 instance. Importing the same instance twice is a CONFLICT.',
})
export class ImportWorkerInput {
  @Field()
  @IsInstanceId()
  awsInstanceId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsAwsRegion()
  awsRegion?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsWorkerName()
  name?: string;

  @Field(() => ThresholdsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  thresholds?: ThresholdsInput;
}
