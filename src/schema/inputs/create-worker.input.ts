import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { CmlCredentialsInput, OptionalCmlCredentials, OptionalCmlEndpoint } from './cml.input';
import { OptionalThresholds, ThresholdsInput } from './thresholds.input';
import { IsAmiId, IsInstanceType, IsWorkerName, OptionalAwsRegion } from './validation';

@InputType({
  description: 'Launch a new EC2 instance and register it. Unset fields take configured defaults.',
})
export class CreateWorkerInput {
  @Field()
  @IsWorkerName()
  name: string;

  @OptionalAwsRegion()
  awsRegion?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsInstanceType()
  instanceType?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsAmiId()
  amiId?: string;

  @OptionalThresholds()
  thresholds?: ThresholdsInput;

  @OptionalCmlEndpoint()
  cmlEndpoint?: string | null;

  @OptionalCmlCredentials()
  cmlCredentials?: CmlCredentialsInput | null;
}
