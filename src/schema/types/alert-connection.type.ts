import { Field, Int, ObjectType } from 'type-graphql';
import { Alert } from '../../entities/alert.entity';
import { PageInfo } from './worker-connection.type';

@ObjectType({ simpleResolvers: true })
export class AlertEdge {
  @Field()
  cursor: string;

  @Field(() => Alert)
  node: Alert;
}

@ObjectType({ simpleResolvers: true })
export class AlertConnection {
  @Field(() => [AlertEdge])
  edges: AlertEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
