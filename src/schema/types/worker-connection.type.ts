import { Field, Int, ObjectType } from 'type-graphql';
import { Worker } from '../../entities/worker.entity';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType()
export class WorkerEdge {
  @Field()
  cursor: string;

  @Field(() => Worker)
  node: Worker;
}

@ObjectType()
export class WorkerConnection {
  @Field(() => [WorkerEdge])
  edges: WorkerEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
