import {
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Role } from '../auth/principal';
import { Worker } from '../entities/worker.entity';
import type { RequestContext } from '../schema/context';
import { DISCOVERY_PAGE_SIZE_MAX, DiscoverInstancesArgs } from '../schema/inputs/discovery.args';
import { IMPORT_BATCH_MAX, ImportWorkersArgs } from '../schema/inputs/import-workers.args';
import {
  DiscoveredInstance,
  DiscoveredInstanceConnection,
} from '../schema/types/discovered-instance.type';
import { ImportWorkersResult } from '../schema/types/import-workers-result.type';
import { OnboardingService } from '../services/workers/onboarding.service';

@Resolver(() => DiscoveredInstance)
export class OnboardingResolver {
  constructor(private readonly onboarding: OnboardingService) {}

  @Authorized(Role.VIEWER)
  @Query(() => DiscoveredInstanceConnection, {
    description: `EC2 instances, newest launch first. first: 1-${DISCOVERY_PAGE_SIZE_MAX}, default 100.`,
  })
  discoverInstances(
    @Args(() => DiscoverInstancesArgs) args: DiscoverInstancesArgs,
  ): Promise<DiscoveredInstanceConnection> {
    return this.onboarding.discover(args);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => ImportWorkersResult, {
    description: `Registers many instances at once (1-${IMPORT_BATCH_MAX}); each succeeds or fails on its own.`,
  })
  importWorkers(
    @Args(() => ImportWorkersArgs) { inputs }: ImportWorkersArgs,
  ): Promise<ImportWorkersResult> {
    return this.onboarding.importMany(inputs);
  }

  @FieldResolver(() => Worker, {
    nullable: true,
    description: 'The worker registered for this instance, if any.',
  })
  worker(
    @Root() instance: DiscoveredInstance,
    @Ctx() context: RequestContext,
  ): Promise<Worker | null> {
    return instance.workerId ? context.workers.load(instance.workerId) : Promise.resolve(null);
  }
}
