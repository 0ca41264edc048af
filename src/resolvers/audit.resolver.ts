import { Args, Authorized, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/principal';
import { AuditEventsArgs } from '../schema/inputs/audit-events.args';
import { AuditEventConnection } from '../schema/types/audit-event-connection.type';
import { AuditService } from '../services/audit/audit.service';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Authorized(Role.OPERATOR)
  @Query(() => AuditEventConnection, { description: 'Newest first. first: 1-500, default 50.' })
  auditEvents(@Args(() => AuditEventsArgs) args: AuditEventsArgs): Promise<AuditEventConnection> {
    return this.audit.list(args);
  }
}
