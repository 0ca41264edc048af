import { Field, InputType } from 'type-graphql';
import { CmlCredentialsInput, OptionalCmlCredentials, OptionalCmlEndpoint } from './cml.input';
import { OptionalThresholds, ThresholdsInput } from './thresholds.input';
import { IsInstanceId, OptionalAwsRegion, OptionalWorkerName } from './validation';

@InputType({
  description:
    'Register an existing EC2 instance. Importing the same instance twice is a CONFLICT.',
})
export class ImportWorkerInput {
  @Field()
  @IsInstanceId()
  awsInstanceId: string;

  @OptionalAwsRegion()
  awsRegion?: string;

  @OptionalWorkerName()
  name?: string;

  @OptionalThresholds()
  thresholds?: ThresholdsInput;

  @OptionalCmlEndpoint()
  cmlEndpoint?: string | null;

  @OptionalCmlCredentials()
  cmlCredentials?: CmlCredentialsInput | null;
}
