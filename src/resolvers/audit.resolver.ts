import type { GraphQLResolveInfo } from 'graphql';
import { Args, Authorized, Info, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/principal';
import { AUDIT_EVENT_FIELD_COLUMNS } from '../entities/audit-event.entity';
import { AuditEventsArgs } from '../schema/inputs/audit-events.args';
import { AuditEventConnection } from '../schema/types/audit-event-connection.type';
import { AuditService } from '../services/audit/audit.service';
import { nodeColumnsOf } from '../schema/selection';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Authorized(Role.OPERATOR)
  @Query(() => AuditEventConnection, { description: 'Newest first. first: 1-500, default 50.' })
  auditEvents(
    @Args(() => AuditEventsArgs) args: AuditEventsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AuditEventConnection> {
    const columns = nodeColumnsOf(info, AUDIT_EVENT_FIELD_COLUMNS);
    return this.audit.list(args, columns);
  }
}
