import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { DateTimeScalar } from './date-time.scalar';
import { buildSchema, ContainerType } from 'type-graphql';
import { authChecker } from '../auth/auth-checker';
import { AlertResolver } from '../resolvers/alert.resolver';
import { AuditResolver } from '../resolvers/audit.resolver';
import { MonitoringResolver } from '../resolvers/monitoring.resolver';
import { NodeResolver } from '../resolvers/node.resolver';
import { OnboardingResolver } from '../resolvers/onboarding.resolver';
import { SilenceResolver } from '../resolvers/silence.resolver';
import { ViewerResolver } from '../resolvers/viewer.resolver';
import { WorkerEventsResolver } from '../resolvers/worker-events.resolver';
import { WorkerSeriesResolver } from '../resolvers/worker-series.resolver';
import { WorkerStatusHistoryResolver } from '../resolvers/worker-status-history.resolver';
import { WorkerResolver } from '../resolvers/worker.resolver';
import type { AuditService } from '../services/audit/audit.service';
import type { PubSub } from '../services/pubsub/pub-sub';
import { auditMutations } from './mutation-audit';
import { validateArgument } from './validate-argument';

export const resolvers = [
  WorkerResolver,
  WorkerEventsResolver,
  WorkerSeriesResolver,
  WorkerStatusHistoryResolver,
  MonitoringResolver,
  AlertResolver,
  ViewerResolver,
  OnboardingResolver,
  SilenceResolver,
  AuditResolver,
  NodeResolver,
] as const;

export interface SchemaOptions {
  /** Hands type-graphql the resolver instances built by the composition root. */
  container?: ContainerType;
  pubSub: PubSub;
  /** Records every mutation in the audit log; unset where nothing is executed (schema:emit). */
  audit?: Pick<AuditService, 'record'>;
}

export async function buildAppSchema(options: SchemaOptions): Promise<GraphQLSchema> {
  // type-graphql checks the schema it built with an introspection query: untraced, it would
  // leave a parse and a validate span as traces of their own at every start.
  const schema = await context.with(suppressTracing(context.active()), () =>
    buildSchema({
      resolvers,
      container: options.container,
      pubSub: options.pubSub,
      validateFn: validateArgument,
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      authChecker,
    }),
  );
  return options.audit ? auditMutations(schema, options.audit) : schema;
}

/** The SDL committed as src/schema/schema.graphql. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
