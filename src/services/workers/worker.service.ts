import { randomUUID } from 'node:crypto';
import type { CmlCredentials, Config } from '../../config';
import { badInput, conflict, DomainError, ErrorCode, notFound } from '../../errors/domain-error';
import { WorkerAction } from '../../entities/alert.enums';
import type { ChangeOrigin } from '../../entities/change-source.enum';
import type { WorkerStatusChange } from '../../entities/worker-status-change.type';
import { WorkerStatus } from '../../entities/worker-status.enum';
import type { Worker, WorkerColumn } from '../../entities/worker.entity';
import type { Logger } from '../../logger';
import type { WorkerAlerts } from '../alerts/alert.service';
import type { FleetGateway, FleetInstance } from '../aws/fleet.gateway';
import { mayBeUnknownYet } from '../aws/new-instance-grace';
import type { WorkerMonitoring } from '../polling/monitoring.service';
import type { PubSub } from '../pubsub/pub-sub';
import type { Page } from '../../repositories/pagination';
import type { Transactor } from '../../repositories/sql-result';
import type { WorkerStatusTransitionRepository } from '../../repositories/worker-status-transition.repository';
import type {
  NewWorker,
  WorkerRepository,
  WorkerSettings,
} from '../../repositories/worker.repository';
import { encryptPassword } from '../cml/cml-credentials';

export interface ThresholdsChange {
  cpu?: number;
  memory?: number;
}

/** Where and how to reach the worker's CML controller; null on update clears. */
export interface CmlAccessChange {
  cmlEndpoint?: string | null;
  cmlCredentials?: CmlCredentials | null;
}

export interface CreateWorkerCommand extends CmlAccessChange {
  name: string;
  awsRegion?: string;
  instanceType?: string;
  amiId?: string;
  thresholds?: ThresholdsChange;
}

export interface ImportWorkerCommand extends CmlAccessChange {
  awsInstanceId: string;
  awsRegion?: string;
  name?: string;
  thresholds?: ThresholdsChange;
}

export interface UpdateWorkerCommand extends CmlAccessChange {
  name?: string;
  thresholds?: ThresholdsChange;
  monitoringEnabled?: boolean;
}

export interface WorkerQuery {
  filter?: { status?: WorkerStatus[]; awsRegion?: string; nameContains?: string };
  first: number;
  after?: string;
}

/** The column's width: a Name tag may be longer than a worker name may be. */
const NAME_COLUMN_LENGTH = 128;

/** The name given, else the instance's Name tag, else its id. */
export function importedName(
  command: Pick<ImportWorkerCommand, 'name'>,
  instance: Pick<FleetInstance, 'name' | 'instanceId'>,
): string {
  return (command.name?.trim() || instance.name || instance.instanceId).slice(
    0,
    NAME_COLUMN_LENGTH,
  );
}

type CmlAccessColumns = Pick<
  WorkerSettings,
  'cmlEndpointOverride' | 'cmlUsername' | 'cmlPasswordEncrypted'
>;

type LifecycleAction = 'start' | 'stop' | 'terminate';

const REQUESTED: Record<LifecycleAction, WorkerAction> = {
  start: WorkerAction.START,
  stop: WorkerAction.STOP,
  terminate: WorkerAction.TERMINATE,
};

/** Where a lifecycle call's status change is stored, with its history, in one transaction. */
export interface StatusHistoryStores {
  transitions: WorkerStatusTransitionRepository;
  transactions: Transactor;
}

/** States in which EC2 can no longer start or stop the instance. */
const GONE = new Set([WorkerStatus.SHUTTING_DOWN, WorkerStatus.TERMINATED]);

/** The worker registry and the lifecycle of the EC2 instances behind it. */
export class WorkerService {
  constructor(
    private readonly workers: WorkerRepository,
    private readonly history: StatusHistoryStores,
    private readonly fleet: FleetGateway,
    private readonly pubSub: PubSub,
    private readonly monitoring: WorkerMonitoring,
    private readonly alerts: WorkerAlerts,
    private readonly config: Pick<Config, 'aws' | 'workerDefaults'> & {
      monitoring: Pick<Config['monitoring'], 'newInstanceGraceMs'>;
      cml: Pick<Config['cml'], 'credentialsKey'>;
    },
    private readonly logger: Logger,
  ) {}

  findById(id: string): Promise<Worker | null> {
    return this.workers.findById(id);
  }

  /** In the order asked, null for an unknown id. */
  findByIds(ids: readonly string[]): Promise<(Worker | null)[]> {
    return this.workers.findByIds(ids);
  }

  /** `columns`: what the caller reads of each worker (see WorkerRepository.list). */
  list(query: WorkerQuery, columns: readonly WorkerColumn[] | null = null): Promise<Page<Worker>> {
    return this.workers.list(query, columns);
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
    const cmlAccess = this.cmlAccessColumns(command);
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
    let worker: Worker | null;
    try {
      worker = await this.insert({
        name,
        awsRegion: region,
        awsInstanceId: instance.instanceId,
        instanceType: instance.instanceType,
        status: instance.status,
        ...instance.addresses,
        ...this.thresholdColumns(command.thresholds),
        ...cmlAccess,
      });
      if (!worker) {
        throw this.alreadyRegistered(region, instance.instanceId);
      }
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
    const cmlAccess = this.cmlAccessColumns(command);
    if (await this.workers.existsForInstance(region, instanceId)) {
      throw this.alreadyRegistered(region, instanceId);
    }
    const instance = await this.fleet.describeInstance(region, instanceId);
    if (instance.status === WorkerStatus.TERMINATED) {
      throw conflict(
        `instance ${instanceId} is terminated and cannot be registered`,
        'awsInstanceId',
      );
    }
    const worker = await this.insert({
      name: importedName(command, instance),
      awsRegion: region,
      awsInstanceId: instanceId,
      instanceType: instance.instanceType,
      status: instance.status,
      lastPolledAt: new Date(),
      ...instance.addresses,
      ...this.thresholdColumns(command.thresholds),
      ...cmlAccess,
    });
    if (!worker) {
      throw this.alreadyRegistered(region, instanceId);
    }
    await this.monitoring.watch(worker);
    return worker;
  }

  /** `origin`: who asks, stored with the status change it makes. */
  start(id: string, origin: ChangeOrigin): Promise<Worker> {
    return this.drive(id, 'start', origin);
  }

  stop(id: string, origin: ChangeOrigin): Promise<Worker> {
    return this.drive(id, 'stop', origin);
  }

  terminate(id: string, origin: ChangeOrigin): Promise<Worker> {
    return this.drive(id, 'terminate', origin);
  }

  /** Writes only what the command gives; a worker removed meanwhile is NOT_FOUND. */
  async update(id: string, command: UpdateWorkerCommand): Promise<Worker> {
    const changed = await this.workers.updateSettings(id, {
      name: command.name?.trim(),
      cpuThreshold: command.thresholds?.cpu,
      memoryThreshold: command.thresholds?.memory,
      monitoringEnabled: command.monitoringEnabled,
      ...this.cmlAccessColumns(command),
    });
    if (!changed) {
      throw this.unknown(id);
    }
    const { worker, before } = changed;
    if (worker.monitoringEnabled === before.monitoringEnabled) {
      return worker;
    }
    await (worker.monitoringEnabled
      ? this.monitoring.watch(worker)
      : this.monitoring.unwatch([worker.id]));
    return this.findOrFail(id);
  }

  /** Forgets the worker; its EC2 instance is left as it is. */
  async remove(id: string): Promise<boolean> {
    const existed = await this.workers.remove(id);
    if (existed) {
      await this.monitoring.unwatch([id]);
      await this.alerts.workersRemoved([id]);
    }
    return existed;
  }

  private async drive(id: string, action: LifecycleAction, origin: ChangeOrigin): Promise<Worker> {
    const worker = await this.findOrFail(id);
    if (GONE.has(worker.status)) {
      if (action === 'terminate') {
        return worker;
      }
      throw conflict(
        `cannot ${action} worker ${id}: its instance is ${worker.status.toLowerCase()}`,
      );
    }
    const request = await this.recordRequest(id, REQUESTED[action]);
    let status: WorkerStatus;
    try {
      status = await this.callFleet(worker, action);
    } catch (error) {
      const notFound = error instanceof DomainError && error.code === ErrorCode.NOT_FOUND;
      const now = new Date();
      if (notFound && !mayBeUnknownYet(worker, now, this.config.monitoring.newInstanceGraceMs)) {
        await this.recordStatus(id, WorkerStatus.TERMINATED, origin);
        throw error;
      }
      await request.withdraw();
      throw notFound ? notKnownYet(worker, now, error) : error;
    }
    return this.recordStatus(id, status, origin);
  }

  /**
   * Remembered before EC2 is called, since a poll may see the outcome before the call returns:
   * a stop or a termination this service asked for is not an unexpected one.
   */
  private async recordRequest(id: string, action: WorkerAction) {
    const requestedAt = new Date();
    const changed = await this.workers.recordRequest(id, action, requestedAt);
    if (!changed) {
      throw this.unknown(id);
    }
    const { requestedAction, requestedAt: previousAt } = changed.before;
    return {
      withdraw: () =>
        this.workers.withdrawRequest(id, requestedAt, {
          requestedAction,
          requestedAt: previousAt,
        }),
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
   * Stores a status EC2 reported, with its transition, and announces the change. The change is
   * decided on the row as the update locks it, and the lock is held until the transition is
   * stored: when two requests (or a request and a poll) race, only the one that changed it
   * stores and announces it, from the status it really changed.
   */
  private async recordStatus(
    id: string,
    status: WorkerStatus,
    origin: ChangeOrigin,
  ): Promise<Worker> {
    const changedAt = new Date();
    const changed = await this.history.transactions.transaction(async (tx) => {
      const result = await this.workers.changeStatus(id, status, changedAt, tx);
      if (result && result.before.status !== result.worker.status) {
        await this.history.transitions.insert(tx, [
          { workerId: id, previousStatus: result.before.status, status, changedAt, ...origin },
        ]);
      }
      return result;
    });
    if (!changed) {
      throw this.unknown(id);
    }
    const { worker, before } = changed;
    if (before.status !== worker.status) {
      await this.announce({
        workerId: id,
        previousStatus: before.status,
        status,
        changedAt,
        ...origin,
      });
      if (status === WorkerStatus.TERMINATED) {
        await this.monitoring.unwatch([id]);
      }
      await this.alerts.transitionRecorded(before, status);
    }
    return worker;
  }

  private async announce(change: WorkerStatusChange): Promise<void> {
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
      throw this.unknown(id);
    }
    return worker;
  }

  private unknown(id: string): DomainError {
    return notFound(`no worker with id ${id}`, 'id');
  }

  private insert(values: Omit<NewWorker, 'instanceType'> & { instanceType?: string | null }) {
    return this.workers.insert({ ...values, instanceType: values.instanceType ?? null });
  }

  private thresholdColumns(thresholds: ThresholdsChange | undefined) {
    return {
      cpuThreshold: thresholds?.cpu ?? this.config.workerDefaults.cpuThreshold,
      memoryThreshold: thresholds?.memory ?? this.config.workerDefaults.memoryThreshold,
    };
  }

  /**
   * The columns a command's CML access gives: absent fields stay undefined (left as they are),
   * null clears. A password is stored only encrypted, so only with CML_CREDENTIALS_KEY.
   */
  cmlAccessColumns(command: CmlAccessChange): CmlAccessColumns {
    const { cmlEndpoint, cmlCredentials } = command;
    const columns: CmlAccessColumns = {
      cmlEndpointOverride: cmlEndpoint === undefined ? undefined : (cmlEndpoint?.trim() ?? null),
    };
    if (cmlCredentials === null) {
      return { ...columns, cmlUsername: null, cmlPasswordEncrypted: null };
    }
    if (cmlCredentials !== undefined) {
      const key = this.config.cml.credentialsKey;
      if (!key) {
        throw badInput(
          'cmlCredentials',
          'cmlCredentials cannot be stored: the service has no CML_CREDENTIALS_KEY to encrypt them with',
        );
      }
      return {
        ...columns,
        cmlUsername: cmlCredentials.username,
        cmlPasswordEncrypted: encryptPassword(key, cmlCredentials.password),
      };
    }
    return columns;
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

/** EC2 answers NotFound for an instance it launched moments ago: not gone, only not seen yet. */
function notKnownYet(worker: Worker, now: Date, cause: unknown): DomainError {
  const seconds = Math.round((now.getTime() - worker.createdAt.getTime()) / 1000);
  return new DomainError(
    ErrorCode.UPSTREAM_UNAVAILABLE,
    `EC2 does not know instance ${worker.awsInstanceId} yet (registered ${seconds} s ago; ` +
      'EC2 is eventually consistent); retry in a moment',
    undefined,
    { cause },
  );
}
