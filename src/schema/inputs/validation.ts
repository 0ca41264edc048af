import { IsOptional, IsPositive, Matches, Max, MaxLength } from 'class-validator';
import { Field } from 'type-graphql';
import { applyDecorators } from './apply-decorators';
import { AMI_ID_PATTERN, AWS_REGION_PATTERN } from '../../config';

export const INSTANCE_ID_PATTERN = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const NAME_MAX_LENGTH = 128;

export const IsWorkerName = () =>
  applyDecorators(
    MaxLength(NAME_MAX_LENGTH, {
      message: `$property must be at most ${NAME_MAX_LENGTH} characters`,
    }),
    Matches(/\S/, { message: '$property must not be blank' }),
  );

/** An optional name input: when given, it must be a valid worker name. */
export const OptionalWorkerName = () =>
  applyDecorators(
    Field(() => String, { nullable: true }),
    IsOptional(),
    IsWorkerName(),
  );

/** An optional region input: when given, it must look like an AWS region. */
export const OptionalAwsRegion = () =>
  applyDecorators(
    Field(() => String, { nullable: true }),
    IsOptional(),
    Matches(AWS_REGION_PATTERN, { message: '$property must be an AWS region such as eu-west-1' }),
  );

export const IsInstanceId = () =>
  Matches(INSTANCE_ID_PATTERN, {
    message: '$property must be an EC2 instance id: i- followed by 8 or 17 lowercase hex digits',
  });

export const IsAmiId = () =>
  Matches(AMI_ID_PATTERN, {
    message: '$property must be an AMI id: ami- followed by 8 or 17 lowercase hex digits',
  });

export const IsInstanceType = () =>
  Matches(/^[a-z0-9-]+\.[a-z0-9]+$/, {
    message: '$property must be an EC2 instance type such as c5.2xlarge',
  });

export const IsPercentThreshold = () =>
  applyDecorators(
    IsOptional(),
    IsPositive({ message: '$property must be a percentage in (0, 100]' }),
    Max(100, { message: '$property must be a percentage in (0, 100]' }),
  );
