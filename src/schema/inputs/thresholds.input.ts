import { IsOptional, ValidateNested } from 'class-validator';
import { Field, Float, InputType } from 'type-graphql';
import { applyDecorators } from './apply-decorators';
import { IsPercentThreshold } from './validation';

@InputType()
export class ThresholdsInput {
  @Field(() => Float, { nullable: true })
  @IsPercentThreshold()
  cpu?: number;

  @Field(() => Float, { nullable: true })
  @IsPercentThreshold()
  memory?: number;
}

/** An optional `thresholds` input, validated field by field. */
export const OptionalThresholds = () =>
  applyDecorators(
    Field(() => ThresholdsInput, { nullable: true }),
    IsOptional(),
    ValidateNested(),
  );
