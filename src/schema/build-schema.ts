import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, ContainerType } from 'type-graphql';
import { authChecker } from '../auth/auth-checker';
import { AlertResolver } from '../resolvers/alert.resolver';
import { MonitoringResolver } from '../resolvers/monitoring.resolver';
import { OnboardingResolver } from '../resolvers/onboarding.resolver';
import { SilenceResolver } from '../resolvers/silence.resolver';
import { ViewerResolver } from '../resolvers/viewer.resolver';
import { WorkerEventsResolver } from '../resolvers/worker-events.resolver';
import { WorkerResolver } from '../resolvers/worker.resolver';
import type { PubSub } from '../services/pubsub/pub-sub';
import { validateArgument } from './validate-argument';

export const resolvers = [
  WorkerResolver,
  WorkerEventsResolver,
  MonitoringResolver,
  AlertResolver,
  ViewerResolver,
  OnboardingResolver,
  SilenceResolver,
] as const;

export interface SchemaOptions {
  /** Hands type-graphql the resolver instances built by the composition root. */
  container?: ContainerType;
  pubSub: PubSub;
}

export function buildAppSchema(options: SchemaOptions): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    container: options.container,
    pubSub: options.pubSub,
    validateFn: validateArgument,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    authChecker,
  });
}

/** The SDL committed as src/schema/schema.graphql. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
