import { Field, Int, ObjectType } from 'type-graphql';
import { Worker } from '../../entities/worker.entity';

@ObjectType({ simpleResolvers: true, description: 'Pages go forward only: first and after.' })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: "The last edge's cursor; null when empty." })
  endCursor: string | null;

  @Field({
    description:
      'True when the page was asked after a cursor: what the cursor names, or the place it held, comes first. False on a first page.',
  })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "The first edge's cursor; null when empty." })
  startCursor: string | null;
}

@ObjectType({ simpleResolvers: true })
export class WorkerEdge {
  @Field()
  cursor: string;

  @Field(() => Worker)
  node: Worker;
}

@ObjectType({ simpleResolvers: true })
export class WorkerConnection {
  @Field(() => [WorkerEdge])
  edges: WorkerEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
