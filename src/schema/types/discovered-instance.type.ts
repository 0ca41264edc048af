import { Field, ID, ObjectType } from 'type-graphql';
import { WorkerStatus } from '../../entities/worker-status.enum';
import { PageInfo } from './worker-connection.type';

@ObjectType({ simpleResolvers: true })
export class Tag {
  @Field()
  key: string;

  @Field()
  value: string;
}

@ObjectType({ simpleResolvers: true })
export class DiscoveredInstance {
  @Field(() => ID)
  awsInstanceId: string;

  @Field()
  awsRegion: string;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  instanceType: string | null;

  @Field(() => WorkerStatus)
  status: WorkerStatus;

  @Field(() => Date, { nullable: true })
  launchedAt: Date | null;

  @Field(() => [Tag])
  tags: Tag[];

  /** Not a field: `worker` is loaded from it, one statement for a whole page. */
  workerId: string | null;
}

@ObjectType({ simpleResolvers: true })
export class DiscoveredInstanceEdge {
  @Field()
  cursor: string;

  @Field(() => DiscoveredInstance)
  node: DiscoveredInstance;
}

@ObjectType({ simpleResolvers: true })
export class DiscoveredInstanceConnection {
  @Field(() => [DiscoveredInstanceEdge])
  edges: DiscoveredInstanceEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
