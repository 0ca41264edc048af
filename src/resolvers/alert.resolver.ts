import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { Role } from '../auth/principal';
import { Alert, ALERT_FIELD_COLUMNS } from '../entities/alert.entity';
import { AlertNotification } from '../entities/alert-notification.entity';
import { AlertRemediation } from '../entities/alert-remediation.entity';
import { Worker } from '../entities/worker.entity';
import { getOrAdd } from '../lib/maps';
import type { RequestContext } from '../schema/context';
import { AlertsArgs } from '../schema/inputs/alerts.args';
import { withinBudget } from '../schema/operation-budget';
import { nodeColumnsOf } from '../schema/selection';
import { AlertConnection } from '../schema/types/alert-connection.type';
import { AlertHistoryService } from '../services/alerts/alert-history.service';
import { AlertService } from '../services/alerts/alert.service';
import type { Topic } from '../services/pubsub/pub-sub';
import type { SilenceService } from '../services/silences/silence.service';

const THRESHOLD_ALERT: Topic = 'THRESHOLD_ALERT';

@Resolver(() => Alert)
export class AlertResolver {
  /** One per operation: Apollo Server gives each operation a context of its own. */
  private readonly silencedLoaders = new WeakMap<RequestContext, DataLoader<Alert, boolean>>();

  constructor(
    private readonly alertService: AlertService,
    private readonly alertHistory: AlertHistoryService,
    private readonly silences: Pick<SilenceService, 'silencedAmong'>,
  ) {}

  @Authorized(Role.VIEWER)
  @Query(() => AlertConnection, { description: 'Newest first. first: 1-500, default 50.' })
  alerts(
    @Args(() => AlertsArgs) args: AlertsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AlertConnection> {
    const columns = nodeColumnsOf(info, ALERT_FIELD_COLUMNS);
    return this.alertHistory.list(args, columns);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Alert, {
    description: 'Marks the alert as seen; idempotent: the first acknowledgement time is kept.',
  })
  acknowledgeAlert(@Arg('id', () => ID) id: string): Promise<Alert> {
    return this.alertService.acknowledge(id);
  }

  @Authorized(Role.VIEWER)
  @Subscription(() => Alert, {
    topics: THRESHOLD_ALERT,
    topicId: ({ args }: { args: { workerId?: string | null } }) => args.workerId ?? undefined,
    description: 'Alerts firing and resolving; all workers when workerId is omitted.',
  })
  thresholdAlert(
    @Root() alert: Alert,
    @Arg('workerId', () => ID, { nullable: true }) _workerId?: string,
  ): Alert {
    return alert;
  }

  @FieldResolver(() => Worker, { nullable: true, description: 'Null once the worker is removed.' })
  worker(@Root() alert: Alert, @Ctx() context: RequestContext): Promise<Worker | null> {
    return context.workers.load(alert.workerId);
  }

  @FieldResolver(() => [AlertNotification], {
    description:
      'The notifications that told of it (one per group notification and receiver), oldest first.',
  })
  deliveries(@Root() alert: Alert, @Ctx() context: RequestContext): Promise<AlertNotification[]> {
    return context.deliveries.load(alert.id);
  }

  @FieldResolver(() => [AlertRemediation], {
    description: 'What the service did about it on its own (auto-remediation, idle stop).',
  })
  remediations(@Root() alert: Alert, @Ctx() context: RequestContext): Promise<AlertRemediation[]> {
    return context.remediations.load(alert.id);
  }

  @FieldResolver(() => Boolean, {
    description: 'True while an active silence matches it: stored and published, but not notified.',
  })
  silenced(@Root() alert: Alert, @Ctx() context: RequestContext): boolean | Promise<boolean> {
    // A thresholdAlert event carries it: the event is resolved once for each subscriber.
    return alert.silenced ?? this.silencedLoaderOf(context).load(alert);
  }

  private silencedLoaderOf(context: RequestContext): DataLoader<Alert, boolean> {
    return getOrAdd(
      this.silencedLoaders,
      context,
      () =>
        new DataLoader<Alert, boolean>(
          async (alerts) => {
            const silenced = await withinBudget(context, () =>
              this.silences.silencedAmong(alerts, new Date()),
            );
            return alerts.map((alert) => silenced.has(alert.id));
          },
          // Silences start and end: a subscription's later events must not see an old answer.
          { cache: false },
        ),
    );
  }
}
