import { IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { WorkerFilter } from './worker-filter.input';

export const PAGE_SIZE_MAX = 500;

@ArgsType()
export class WorkersArgs {
  @Field(() => WorkerFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: WorkerFilter;

  @Field(() => Int, { nullable: true, defaultValue: 50 })
  @Min(1, { message: `first must be between 1 and ${PAGE_SIZE_MAX}` })
  @Max(PAGE_SIZE_MAX, { message: `first must be between 1 and ${PAGE_SIZE_MAX}` })
  first: number;

  @Field(() => String, { nullable: true })
  after?: string;
}
