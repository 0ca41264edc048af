import { IsOptional, ValidateNested } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { PageArgs } from './page.args';
import { WorkerFilter } from './worker-filter.input';

@ArgsType()
export class WorkersArgs extends PageArgs {
  @Field(() => WorkerFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: WorkerFilter;
}
