import { IsOptional, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ThresholdsInput } from './thresholds.input';
import { IsAmiId, IsAwsRegion, IsInstanceType, IsWorkerName } from './validation';

@InputType({
  description: 'Launch a new EC2 instance and register it. Unset fields take configured defaults.',
})
export class CreateWorkerInput {
  @Field()
  @IsWorkerName()
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsAwsRegion()
  awsRegion?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsInstanceType()
  instanceType?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsAmiId()
  amiId?: string;

  @Field(() => ThresholdsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  thresholds?: ThresholdsInput;
}
