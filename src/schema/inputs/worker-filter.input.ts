import { IsOptional, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { WorkerStatus } from '../../entities/worker-status.enum';
import { NAME_MAX_LENGTH, OptionalAwsRegion } from './validation';

@InputType()
export class WorkerFilter {
  @Field(() => [WorkerStatus], { nullable: true })
  status?: WorkerStatus[];

  @OptionalAwsRegion()
  awsRegion?: string;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @MaxLength(NAME_MAX_LENGTH)
  nameContains?: string;
}
