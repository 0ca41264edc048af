import { randomUUID } from 'node:crypto';
import { DataSource, In, QueryFailedError, Repository } from 'typeorm';
import type { Config } from '../../config';
import { badInput, conflict, DomainError, ErrorCode, notFound } from '../../errors/domain-error';
import { WorkerAction } from '../../entities/alert.enums';
import { WorkerStatus } from '../../entities/worker-status.enum';
import { Worker } from '../../entities/worker.entity';
import type { Logger } from '../../logger';
import type { WorkerAlerts } from '../alerts/alert.service';
import type { FleetGateway } from '../aws/fleet.gateway';
import type { WorkerMonitoring } from '../polling/monitoring.service';
import type { PubSub } from '../pubsub/pub-sub';
import { newestFirstPage, Page } from '../../repositories/pagination';
import { isUuid } from '../../lib/uuid';

export interface ThresholdsChange {
  cpu?: number;
  memory?: number;
}

export interface CreateWorkerCommand {
  name: string;
  awsRegion?: string;
  instanceType?: string;
  amiId?: string;
  thresholds?: ThresholdsChange;
}

export interface ImportWorkerCommand {
  awsInstanceId: string;
  awsRegion?: string;
  name?: string;
  thresholds?: ThresholdsChange;
}

export interface UpdateWorkerCommand {
  name?: string;
  thresholds?: ThresholdsChange;
  monitoringEnabled?: boolean;
}

export interface WorkerQuery {
  filter?: { status?: WorkerStatus[]; awsRegion?: string; nameContains?: string };
  first: number;
  after?: string;
}

type LifecycleAction = 'start' | 'stop' | 'terminate';

const REQUESTED: Record<LifecycleAction, WorkerAction> = {
  start: WorkerAction.START,
  stop: WorkerAction.STOP,
  terminate: WorkerAction.TERMINATE,
};

/** States in which EC2 can no longer start or stop the instance. */
const GONE = new Set([WorkerStatus.SHUTTING_DOWN, WorkerStatus.TERMINATED]);
const UNIQUE_VIOLATION = '23505';

/** The worker registry and the lifecycle of the EC2 instances behind it. */
export class WorkerService {
  private readonly workers: Repository<Worker>;

  constructor(
    dataSource: DataSource,
    private readonly fleet: FleetGateway,
    private readonly pubSub: PubSub,
    private readonly monitoring: WorkerMonitoring,
    private readonly alerts: WorkerAlerts,
    private readonly config: Pick<Config, 'aws' | 'workerDefaults'>,
    private readonly logger: Logger,
  ) {
    this.workers = dataSource.getRepository(Worker);
  }

  async findById(id: string): Promise<Worker | null> {
    return isUuid(id) ? this.workers.findOneBy({ id }) : null;
  }

  /** In the order asked, null for an unknown id. */
  async findByIds(ids: readonly string[]): Promise<(Worker | null)[]> {
    const valid = ids.filter((id) => isUuid(id));
    const found = valid.length > 0 ? await this.workers.findBy({ id: In(valid) }) : [];
    const byId = new Map(found.map((worker) => [worker.id, worker]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async list(query: WorkerQuery): Promise<Page<Worker>> {
    const filtered = this.workers.createQueryBuilder('worker');
    const { status, awsRegion, nameContains } = query.filter ?? {};
    if (status && status.length > 0) {
      filtered.andWhere('worker.status IN (:...status)', { status });
    }
    if (awsRegion) {
      filtered.andWhere('worker.awsRegion = :awsRegion', { awsRegion });
    }
    if (nameContains) {
      filtered.andWhere("worker.name ILIKE :pattern ESCAPE '\\'", {
        pattern: `%${nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    return newestFirstPage(filtered, 'createdAt', query);
  }

  /** Launches a new EC2 instance and registers it. */
  async create(command: CreateWorkerCommand): Promise<Worker> {
    const defaults = this.config.workerDefaults;
    const region = command.awsRegion ?? this.config.aws.region;
    const amiId = command.amiId ?? defaults.amiId;
    if (!amiId) {
      throw badInput(
        'amiId',
        'amiId is required: no default AMI is configured (WORKER_DEFAULT_AMI_ID)',
      );
    }
    const name = command.name.trim();
    const instance = await this.fleet.launchInstance({
      region,
      name,
      amiId,
      instanceType: command.instanceType ?? defaults.instanceType,
      subnetId: defaults.subnetId,
      securityGroupIds: defaults.securityGroupIds,
      keyName: defaults.keyName,
      clientToken: randomUUID(),
    });
    let worker: Worker;
    try {
      worker = await this.insert({
        name,
        awsRegion: region,
        awsInstanceId: instance.instanceId,
        instanceType: instance.instanceType,
        status: instance.status,
        ...this.thresholdColumns(command.thresholds),
      });
    } catch (error) {
      await this.terminateOrphan(region, instance.instanceId, error);
      throw error;
    }
    await this.monitoring.watch(worker);
    return worker;
  }

  /** Registers an EC2 instance that already exists. */
  async import(command: ImportWorkerCommand): Promise<Worker> {
    const region = command.awsRegion ?? this.config.aws.region;
    const instanceId = command.awsInstanceId;
    if (await this.workers.existsBy({ awsRegion: region, awsInstanceId: instanceId })) {
      throw this.alreadyRegistered(region, instanceId);
    }
    const instance = await this.fleet.describeInstance(region, instanceId);
    if (instance.status === WorkerStatus.TERMINATED) {
      throw conflict(
        `instance ${instanceId} is terminated and cannot be registered`,
        'awsInstanceId',
      );
    }
    let worker: Worker;
    try {
      worker = await this.insert({
        name: (command.name?.trim() || instance.name || instanceId).slice(0, 128),
        awsRegion: region,
        awsInstanceId: instanceId,
        instanceType: instance.instanceType,
        status: instance.status,
        lastPolledAt: new Date(),
        ...this.thresholdColumns(command.thresholds),
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw this.alreadyRegistered(region, instanceId);
      }
      throw error;
    }
    await this.monitoring.watch(worker);
    return worker;
  }

  start(id: string): Promise<Worker> {
    return this.drive(id, 'start');
  }

  stop(id: string): Promise<Worker> {
    return this.drive(id, 'stop');
  }

  terminate(id: string): Promise<Worker> {
    return this.drive(id, 'terminate');
  }

  async update(id: string, command: UpdateWorkerCommand): Promise<Worker> {
    const worker = await this.findOrFail(id);
    if (command.name !== undefined) {
      worker.name = command.name.trim();
    }
    if (command.thresholds?.cpu !== undefined) {
      worker.cpuThreshold = command.thresholds.cpu;
    }
    if (command.thresholds?.memory !== undefined) {
      worker.memoryThreshold = command.thresholds.memory;
    }
    const monitoringChanged =
      command.monitoringEnabled !== undefined &&
      command.monitoringEnabled !== worker.monitoringEnabled;
    if (command.monitoringEnabled !== undefined) {
      worker.monitoringEnabled = command.monitoringEnabled;
    }
    const saved = await this.workers.save(worker);
    if (monitoringChanged) {
      await (saved.monitoringEnabled
        ? this.monitoring.watch(saved)
        : this.monitoring.unwatch([saved.id]));
      return this.findOrFail(id);
    }
    return saved;
  }

  /** Forgets the worker; its EC2 instance is left as it is. */
  async remove(id: string): Promise<boolean> {
    if (!isUuid(id)) {
      return false;
    }
    const result = await this.workers.delete({ id });
    const existed = (result.affected ?? 0) > 0;
    if (existed) {
      await this.monitoring.unwatch([id]);
      await this.alerts.workersRemoved([id]);
    }
    return existed;
  }

  private async drive(id: string, action: LifecycleAction): Promise<Worker> {
    const worker = await this.findOrFail(id);
    if (GONE.has(worker.status)) {
      if (action === 'terminate') {
        return worker;
      }
      throw conflict(
        `cannot ${action} worker ${id}: its instance is ${worker.status.toLowerCase()}`,
      );
    }
    const request = await this.recordRequest(worker, REQUESTED[action]);
    let status: WorkerStatus;
    try {
      status = await this.callFleet(worker, action);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.NOT_FOUND) {
        await this.recordStatus(worker, WorkerStatus.TERMINATED);
      } else {
        await request.withdraw();
      }
      throw error;
    }
    return this.recordStatus(worker, status);
  }

  /**
   * Remembered before EC2 is called, since a poll may see the outcome before the call returns:
   * a stop or a termination this service asked for is not an unexpected one.
   */
  private async recordRequest(worker: Worker, action: WorkerAction) {
    const previous = { requestedAction: worker.requestedAction, requestedAt: worker.requestedAt };
    const requestedAt = new Date();
    await this.workers.update({ id: worker.id }, { requestedAction: action, requestedAt });
    worker.requestedAction = action;
    worker.requestedAt = requestedAt;
    return {
      withdraw: async () => {
        await this.workers.update({ id: worker.id, requestedAt }, previous);
      },
    };
  }

  private callFleet(worker: Worker, action: LifecycleAction): Promise<WorkerStatus> {
    switch (action) {
      case 'start':
        return this.fleet.startInstance(worker.awsRegion, worker.awsInstanceId);
      case 'stop':
        return this.fleet.stopInstance(worker.awsRegion, worker.awsInstanceId);
      case 'terminate':
        return this.fleet.terminateInstance(worker.awsRegion, worker.awsInstanceId);
    }
  }

  /**
   * Stores a status EC2 reported and announces the change. The update is conditional on the
   * status read before, so when two requests race only the one that changed it announces it.
   */
  private async recordStatus(worker: Worker, status: WorkerStatus): Promise<Worker> {
    const previousStatus = worker.status;
    if (previousStatus === status) {
      return worker;
    }
    const changedAt = new Date();
    const result = await this.workers
      .createQueryBuilder()
      .update(Worker)
      .set({ status, lastTransitionAt: changedAt })
      .where('id = :id AND status = :previousStatus', { id: worker.id, previousStatus })
      .execute();
    if ((result.affected ?? 0) > 0) {
      await this.announce({ workerId: worker.id, previousStatus, status, changedAt });
      if (status === WorkerStatus.TERMINATED) {
        await this.monitoring.unwatch([worker.id]);
      }
      await this.alerts.transitionRecorded(worker, status);
    }
    return this.findOrFail(worker.id);
  }

  private async announce(change: {
    workerId: string;
    previousStatus: WorkerStatus;
    status: WorkerStatus;
    changedAt: Date;
  }): Promise<void> {
    try {
      await this.pubSub.publish('WORKER_STATUS_CHANGED', change);
    } catch (error) {
      // The change is stored and EC2 acted: failing the request now would misreport it.
      this.logger.error({ err: error, change }, 'could not publish a worker status change');
    }
  }

  private async findOrFail(id: string): Promise<Worker> {
    const worker = await this.findById(id);
    if (!worker) {
      throw notFound(`no worker with id ${id}`, 'id');
    }
    return worker;
  }

  private insert(values: Partial<Worker>): Promise<Worker> {
    return this.workers.save(this.workers.create({ monitoringEnabled: true, ...values }));
  }

  private thresholdColumns(thresholds: ThresholdsChange | undefined) {
    return {
      cpuThreshold: thresholds?.cpu ?? this.config.workerDefaults.cpuThreshold,
      memoryThreshold: thresholds?.memory ?? this.config.workerDefaults.memoryThreshold,
    };
  }

  private alreadyRegistered(region: string, instanceId: string): DomainError {
    return conflict(`instance ${instanceId} in ${region} is already registered`, 'awsInstanceId');
  }

  /** A launched instance with no row would run unseen and cost money. */
  private async terminateOrphan(region: string, instanceId: string, cause: unknown): Promise<void> {
    this.logger.error(
      { err: cause, region, instanceId },
      'registering a launched instance failed; terminating it',
    );
    try {
      await this.fleet.terminateInstance(region, instanceId);
    } catch (error) {
      this.logger.error(
        { err: error, region, instanceId },
        'could not terminate the unregistered instance',
      );
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION
  );
}
