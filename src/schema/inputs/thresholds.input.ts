import { Field, Float, InputType } from 'type-graphql';
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
