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
} from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { callerOf } from '../auth/auth-checker';
import { Role } from '../auth/principal';
import { Alert, ALERT_FIELD_COLUMNS, type AlertRow } from '../entities/alert.entity';
import { byCaller } from '../entities/change-source.enum';
import {
  METRIC_SAMPLE_FIELD_COLUMNS,
  MetricSample,
  type MetricSampleRow,
} from '../entities/metric-sample.entity';
import { Worker, WORKER_FIELD_COLUMNS } from '../entities/worker.entity';
import type { RequestContext } from '../schema/context';
import { columnsOf, nodeColumnsOf, selectedFields } from '../schema/selection';
import { WorkerAlertsArgs } from '../schema/inputs/alerts.args';
import { MetricsArgs } from '../schema/inputs/metrics.args';
import { CreateWorkerInput } from '../schema/inputs/create-worker.input';
import { ImportWorkerInput } from '../schema/inputs/import-worker.input';
import { UpdateWorkerInput } from '../schema/inputs/update-worker.input';
import { WorkersArgs } from '../schema/inputs/workers.args';
import { WorkerConnection } from '../schema/types/worker-connection.type';
import type { CmlEndpoints } from '../services/cml/cml-endpoints';
import { MonitoringService } from '../services/polling/monitoring.service';
import { WorkerService } from '../services/workers/worker.service';

@Resolver(() => Worker)
export class WorkerResolver {
  constructor(
    private readonly workerService: WorkerService,
    private readonly monitoringService: MonitoringService,
    private readonly cmlEndpoints: CmlEndpoints,
  ) {}

  @Authorized(Role.VIEWER)
  @Query(() => Worker, { nullable: true })
  worker(@Arg('id', () => ID) id: string): Promise<Worker | null> {
    return this.workerService.findById(id);
  }

  @Authorized(Role.VIEWER)
  @Query(() => WorkerConnection, { description: 'Newest first. first: 1-500, default 50.' })
  workers(
    @Args(() => WorkersArgs) args: WorkersArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<WorkerConnection> {
    const columns = nodeColumnsOf(info, WORKER_FIELD_COLUMNS);
    return this.workerService.list(args, columns);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Worker)
  createWorker(@Arg('input', () => CreateWorkerInput) input: CreateWorkerInput): Promise<Worker> {
    return this.workerService.create(input);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Worker)
  importWorker(@Arg('input', () => ImportWorkerInput) input: ImportWorkerInput): Promise<Worker> {
    return this.workerService.import(input);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Worker)
  startWorker(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Worker> {
    return this.workerService.start(id, byCaller(callerOf(context).name));
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Worker)
  stopWorker(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Worker> {
    return this.workerService.stop(id, byCaller(callerOf(context).name));
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Worker, {
    description:
      'Terminates the EC2 instance; the worker stays, with status TERMINATED once EC2 says so, and its polling stops.',
  })
  terminateWorker(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<Worker> {
    return this.workerService.terminate(id, byCaller(callerOf(context).name));
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Worker)
  updateWorker(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWorkerInput) input: UpdateWorkerInput,
  ): Promise<Worker> {
    return this.workerService.update(id, input);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Boolean, {
    description:
      'Forgets the worker (stops polling, keeps the EC2 instance running). Returns true if it existed.',
  })
  removeWorker(@Arg('id', () => ID) id: string): Promise<boolean> {
    return this.workerService.remove(id);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Worker, {
    description: 'Polls EC2 and CloudWatch for this worker now, outside its schedule.',
  })
  refreshWorker(@Arg('id', () => ID) id: string): Promise<Worker> {
    return this.monitoringService.refresh(id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Base URL of the worker's CML API (derived from the instance unless set).",
  })
  cmlEndpoint(@Root() worker: Worker): string | null {
    return this.cmlEndpoints.endpointOf(worker);
  }

  @FieldResolver(() => [MetricSample], { description: 'Stored samples, newest first.' })
  metrics(
    @Root() worker: Worker,
    @Args(() => MetricsArgs) range: MetricsArgs,
    @Ctx() context: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<MetricSampleRow[]> {
    const columns = columnsOf(selectedFields(info), METRIC_SAMPLE_FIELD_COLUMNS);
    return context.samplesOf({ ...range, columns }).load(worker.id);
  }

  @FieldResolver(() => [Alert], { description: 'Alerts of this worker, newest first.' })
  alerts(
    @Root() worker: Worker,
    @Args(() => WorkerAlertsArgs) range: WorkerAlertsArgs,
    @Ctx() context: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AlertRow[]> {
    const columns = columnsOf(selectedFields(info), ALERT_FIELD_COLUMNS);
    return context.alertsOf({ ...range, columns }).load(worker.id);
  }
}
