import { Field, ObjectType } from 'type-graphql';
import { Worker } from '../../entities/worker.entity';

@ObjectType({ simpleResolvers: true })
export class ImportFailure {
  @Field()
  awsInstanceId: string;

  @Field({
    description:
      "An error code as in extensions.code, such as CONFLICT (registered already, given twice, terminated), NOT_FOUND (EC2 does not know the instance) or UPSTREAM_UNAVAILABLE (AWS failed for the instance's region).",
  })
  code: string;

  @Field()
  message: string;
}

@ObjectType({ simpleResolvers: true })
export class ImportWorkersResult {
  @Field(() => [Worker])
  imported: Worker[];

  @Field(() => [ImportFailure])
  failed: ImportFailure[];
}
