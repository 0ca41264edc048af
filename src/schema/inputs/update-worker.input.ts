import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { CmlCredentialsInput, OptionalCmlCredentials, OptionalCmlEndpoint } from './cml.input';
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

  @OptionalCmlEndpoint()
  cmlEndpoint?: string | null;

  @OptionalCmlCredentials()
  cmlCredentials?: CmlCredentialsInput | null;
}
