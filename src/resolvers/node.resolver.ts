import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { callerOf } from '../auth/auth-checker';
import { forbidden } from '../auth/auth-error';
import { hasRole, Role } from '../auth/principal';
import { Node } from '../entities/node.interface';
import { getOrAdd } from '../lib/maps';
import type { RequestContext } from '../schema/context';
import type { FoundNode, NodeService, NodeType } from '../services/nodes/node.service';

/** The role each type's own query fields ask (worker, workers, alerts, silences, auditEvents). */
const READ_ROLE: Record<NodeType, Role> = {
  Worker: Role.VIEWER,
  Alert: Role.VIEWER,
  Silence: Role.VIEWER,
  AuditEvent: Role.OPERATOR,
};

@Resolver()
export class NodeResolver {
  /** One per operation: the node fields of one operation, aliases included, share a batch. */
  private readonly loaders = new WeakMap<RequestContext, DataLoader<string, FoundNode | null>>();

  constructor(private readonly nodes: Pick<NodeService, 'findByIds'>) {}

  @Authorized(Role.VIEWER)
  @Query(() => Node, {
    nullable: true,
    description:
      "The object with this id, of any type that implements Node; null when none has it. Reading one asks the role its type's own queries ask.",
  })
  async node(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<Node | null> {
    const found = await this.loaderOf(context).load(id);
    if (!found) {
      return null;
    }
    const role = READ_ROLE[found.type];
    if (!hasRole(callerOf(context), role)) {
      throw forbidden(`reading a ${found.type} requires the ${role} role`);
    }
    return found.node;
  }

  private loaderOf(context: RequestContext): DataLoader<string, FoundNode | null> {
    return getOrAdd(
      this.loaders,
      context,
      () => new DataLoader<string, FoundNode | null>((ids) => this.nodes.findByIds(ids)),
    );
  }
}
