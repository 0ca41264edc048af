import { Field, Int, ObjectType } from 'type-graphql';
import { AuditEvent } from '../../entities/audit-event.entity';
import { PageInfo } from './worker-connection.type';

@ObjectType({ simpleResolvers: true })
export class AuditEventEdge {
  @Field()
  cursor: string;

  @Field(() => AuditEvent)
  node: AuditEvent;
}

@ObjectType({ simpleResolvers: true })
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges: AuditEventEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
