import { IsOptional, IsUrl, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { applyDecorators } from './apply-decorators';

export const CML_ENDPOINT_MAX_LENGTH = 2048;

/** The controller's base URL; the service asks `/api/v0` under it. */
export const OptionalCmlEndpoint = () =>
  applyDecorators(
    Field(() => String, {
      nullable: true,
      description:
        "Base URL of the worker's CML controller, e.g. https://cml-01.lab.example.com; null derives it from the instance (CML_ENDPOINT_FROM).",
    }),
    IsOptional(),
    MaxLength(CML_ENDPOINT_MAX_LENGTH, {
      message: `$property must be at most ${CML_ENDPOINT_MAX_LENGTH} characters`,
    }),
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
      { message: '$property must be an http:// or https:// URL such as https://10.0.1.5' },
    ),
  );

@InputType({
  description:
    'CML credentials of this worker alone, stored encrypted (CML_CREDENTIALS_KEY) and never returned.',
})
export class CmlCredentialsInput {
  @Field()
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(256, { message: '$property must be at most 256 characters' })
  username: string;

  @Field()
  @MinLength(1, { message: '$property must not be empty' })
  @MaxLength(1024, { message: '$property must be at most 1024 characters' })
  password: string;
}

export const OptionalCmlCredentials = () =>
  applyDecorators(
    Field(() => CmlCredentialsInput, {
      nullable: true,
      description: 'Null on update: the worker uses the fleet-wide CML_USERNAME and CML_PASSWORD.',
    }),
    IsOptional(),
    ValidateNested(),
  );
