import { IsOptional, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { WorkerStatus } from '../../entities/worker-status.enum';
import { IsAwsRegion, NAME_MAX_LENGTH } from './validation';

@InputType()
export class WorkerFilter {
  @Field(() => [WorkerStatus], { nullable: true })
  status?: WorkerStatus[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsAwsRegion()
  awsRegion?: string;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @MaxLength(NAME_MAX_LENGTH)
  nameContains?: string;
}
