import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsOptional,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { OptionalAwsRegion } from './validation';

export const DISCOVERY_PAGE_SIZE_MAX = 1000;
/** EC2's limits: a tag key is 1-128 characters, a value up to 256, a filter up to 200 values. */
const TAG_KEY_MAX_LENGTH = 128;
const TAG_VALUE_MAX_LENGTH = 256;
const FILTER_VALUES_MAX = 200;

@InputType()
export class TagFilter {
  @Field()
  @Length(1, TAG_KEY_MAX_LENGTH, {
    message: `$property must be 1 to ${TAG_KEY_MAX_LENGTH} characters`,
  })
  key: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Any of these values; any value when omitted.',
  })
  @IsOptional()
  @ArrayNotEmpty({ message: '$property must not be empty: omit it to match any value' })
  @ArrayMaxSize(FILTER_VALUES_MAX, {
    message: `$property must hold at most ${FILTER_VALUES_MAX} values`,
  })
  @MaxLength(TAG_VALUE_MAX_LENGTH, {
    each: true,
    message: `$property must be at most ${TAG_VALUE_MAX_LENGTH} characters each`,
  })
  values?: string[] | null;
}

@InputType()
export class InstanceDiscoveryFilter {
  @OptionalAwsRegion()
  awsRegion?: string | null;

  @Field(() => [TagFilter], { nullable: true })
  @IsOptional()
  @ValidateNested()
  tags?: TagFilter[] | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Also list instances that are already registered (with their worker).',
  })
  includeRegistered: boolean | null;
}

@ArgsType()
export class DiscoverInstancesArgs {
  @Field(() => InstanceDiscoveryFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: InstanceDiscoveryFilter | null;

  @Field(() => Int, { nullable: true, defaultValue: 100 })
  @Min(1, { message: `first must be between 1 and ${DISCOVERY_PAGE_SIZE_MAX}` })
  @Max(DISCOVERY_PAGE_SIZE_MAX, {
    message: `first must be between 1 and ${DISCOVERY_PAGE_SIZE_MAX}`,
  })
  first: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
