import { AWS_REGION_PATTERN, type Config } from '../../config';
import { badInput, conflict, DomainError, ErrorCode, notFound } from '../../errors/domain-error';
import { WorkerStatus } from '../../entities/worker-status.enum';
import type { Worker } from '../../entities/worker.entity';
import { groupBy } from '../../lib/maps';
import type { Logger } from '../../logger';
import { type PageInfo, pageInfoOf } from '../../repositories/pagination';
import type {
  InstanceKey,
  NewWorker,
  WorkerRepository,
} from '../../repositories/worker.repository';
import type { DescribedInstance, FleetGateway, InstanceTag, TagMatch } from '../aws/fleet.gateway';
import type { MonitoringService } from '../polling/monitoring.service';
import { type ImportWorkerCommand, importedName, type WorkerService } from './worker.service';

export interface DiscoveryQuery {
  filter?: {
    awsRegion?: string | null;
    tags?: readonly TagMatch[] | null;
    includeRegistered?: boolean | null;
  } | null;
  first: number;
  after?: string | null;
}

/** An instance as discovery lists it, with the worker registered for it, if any. */
export interface ListedInstance {
  awsInstanceId: string;
  awsRegion: string;
  name: string | null;
  instanceType: string | null;
  status: WorkerStatus;
  launchedAt: Date | null;
  tags: InstanceTag[];
  workerId: string | null;
}

export interface DiscoveryPage {
  edges: { cursor: string; node: ListedInstance }[];
  pageInfo: PageInfo;
}

export interface ImportFailure {
  awsInstanceId: string;
  code: ErrorCode;
  message: string;
}

/** Each in the order of the commands. */
export interface ImportOutcome {
  imported: Worker[];
  failed: ImportFailure[];
}

/** One command of an import, where it stands in the call and which instance it names. */
interface ImportRequest {
  index: number;
  command: ImportWorkerCommand;
  key: InstanceKey;
}

type CmlAccessColumns = ReturnType<WorkerService['cmlAccessColumns']>;

/** Instance ids an auto-import log line names; the count says how many there were. */
const LOGGED_IDS_MAX = 20;

/**
 * Bringing a fleet that already runs in EC2 under watch: listing its instances by tag, and
 * registering many at once, on request or on a schedule (WORKER_AUTO_IMPORT_TAGS).
 */
export class OnboardingService {
  constructor(
    private readonly workers: WorkerRepository,
    private readonly fleet: FleetGateway,
    private readonly monitoring: Pick<MonitoringService, 'watchMany'>,
    /** importWorker's own rule for the CML endpoint and credentials an input gives. */
    private readonly registry: Pick<WorkerService, 'cmlAccessColumns'>,
    private readonly config: Pick<Config, 'aws' | 'workerDefaults'>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * One page of the instances EC2 lists, newest launch first. EC2 cannot sort, nor leave out
   * the registered ones: every matching instance is listed, then ordered and paged here.
   */
  async discover(query: DiscoveryQuery): Promise<DiscoveryPage> {
    const filter = query.filter ?? {};
    const after = query.after ? decodeCursor(query.after) : undefined;
    const regions = filter.awsRegion ? [filter.awsRegion] : await this.regions();
    const found = await Promise.all(
      regions.map((region) => this.fleet.findInstances(region, filter.tags ?? [])),
    );
    const instances = found.flat();
    const registered = await this.registeredAmong(instances.map(instanceKey));
    const listed = instances
      .map((instance) => toListed(instance, registered.get(keyOf(instanceKey(instance))) ?? null))
      .filter((instance) => filter.includeRegistered || instance.workerId === null)
      .sort(newestLaunchFirst);
    const rest = after
      ? listed.filter((instance) => newestLaunchFirst(instance, after) > 0)
      : listed;
    const edges = rest.slice(0, query.first).map((node) => ({ cursor: encodeCursor(node), node }));
    return {
      edges,
      pageInfo: pageInfoOf(edges, rest.length > query.first, query.after),
    };
  }

  /**
   * Registers existing instances, each on its own: one query finds those registered already,
   * DescribeInstances describes the others (one call per region and 1,000 ids), one statement
   * inserts them all and one call to the job store schedules their polls. Names, thresholds
   * and CML access follow importWorker's rules.
   */
  async importMany(commands: readonly ImportWorkerCommand[]): Promise<ImportOutcome> {
    const failures = new Map<number, ImportFailure>();
    const fail = (request: ImportRequest, error: DomainError) =>
      failures.set(request.index, {
        awsInstanceId: request.command.awsInstanceId,
        code: error.code,
        message: error.message,
      });

    const seen = new Set<string>();
    const distinct = commands
      .map((command, index): ImportRequest => ({
        index,
        command,
        key: {
          awsRegion: command.awsRegion ?? this.config.aws.region,
          awsInstanceId: command.awsInstanceId,
        },
      }))
      .filter((request) => {
        const key = keyOf(request.key);
        if (seen.has(key)) {
          fail(request, givenTwice(request.key));
          return false;
        }
        seen.add(key);
        return true;
      });
    // As importWorker does, before AWS is asked: credentials need CML_CREDENTIALS_KEY.
    const cmlAccess = new Map<number, CmlAccessColumns>();
    const acceptable = distinct.filter((request) => {
      try {
        cmlAccess.set(request.index, this.registry.cmlAccessColumns(request.command));
        return true;
      } catch (error) {
        if (!(error instanceof DomainError)) {
          throw error;
        }
        fail(request, error);
        return false;
      }
    });
    const registered = await this.registeredAmong(acceptable.map((request) => request.key));
    const unregistered = acceptable.filter((request) => {
      if (registered.has(keyOf(request.key))) {
        fail(request, alreadyRegistered(request.key));
        return false;
      }
      return true;
    });

    const found = await this.describe(unregistered, fail);
    const describedAt = this.now();
    const inserted = await this.workers.insertMany(
      found.map(({ request, instance }) =>
        this.newWorker(request.command, instance, describedAt, cmlAccess.get(request.index)),
      ),
    );
    const byInstance = new Map(inserted.map((worker) => [keyOf(worker), worker]));
    const imported = found.flatMap(({ request }) => {
      const worker = byInstance.get(keyOf(request.key));
      if (!worker) {
        // Registered by someone else since the check above: the unique index held.
        fail(request, alreadyRegistered(request.key));
        return [];
      }
      return [worker];
    });
    await this.monitoring.watchMany(imported);
    return {
      imported,
      failed: [...failures].sort(([a], [b]) => a - b).map(([, failure]) => failure),
    };
  }

  /**
   * Registers the instances of every region that carry all of `tags` and have no worker yet,
   * through importMany. Two processes importing the same instance make one worker: the unique
   * index answers the second with a CONFLICT.
   */
  async autoImport(tags: readonly InstanceTag[]): Promise<ImportOutcome> {
    const matches = tags.map((tag) => ({ key: tag.key, values: [tag.value] }));
    const found = await Promise.all(
      (await this.regions()).map(async (region) => {
        try {
          return await this.fleet.findInstances(region, matches);
        } catch (error) {
          if (!(error instanceof DomainError)) {
            throw error;
          }
          // The other regions are imported all the same; this one is tried at the next run.
          this.logger.warn({ err: error, region }, 'auto-import could not list the instances');
          return [];
        }
      }),
    );
    const instances = found.flat();
    const registered = await this.registeredAmong(instances.map(instanceKey));
    const commands = instances
      .filter((instance) => !registered.has(keyOf(instanceKey(instance))))
      .map((instance) => ({ awsInstanceId: instance.instanceId, awsRegion: instance.region }));
    if (commands.length === 0) {
      return { imported: [], failed: [] };
    }
    const outcome = await this.importMany(commands);
    if (outcome.imported.length > 0) {
      this.logger.info(
        {
          count: outcome.imported.length,
          instanceIds: outcome.imported
            .slice(0, LOGGED_IDS_MAX)
            .map((worker) => worker.awsInstanceId),
        },
        'auto-import registered new workers',
      );
    }
    if (outcome.failed.length > 0) {
      this.logger.warn(
        { count: outcome.failed.length, failures: outcome.failed.slice(0, LOGGED_IDS_MAX) },
        'auto-import could not register some instances',
      );
    }
    return outcome;
  }

  /** The configuration names one region: it, and every region a worker is registered in. */
  private async regions(): Promise<string[]> {
    return [...new Set([this.config.aws.region, ...(await this.workers.regions())])];
  }

  /** The id of the worker of each instance that has one, by keyOf. */
  private async registeredAmong(instances: readonly InstanceKey[]): Promise<Map<string, string>> {
    const registered = await this.workers.registeredFor(instances);
    return new Map(registered.map((worker) => [keyOf(worker), worker.id]));
  }

  /**
   * The instances of the requests as EC2 describes them, region by region in parallel. A
   * region EC2 fails for fails its own requests only.
   */
  private async describe(
    requests: readonly ImportRequest[],
    fail: (request: ImportRequest, error: DomainError) => void,
  ): Promise<{ request: ImportRequest; instance: DescribedInstance }[]> {
    const regions = [...groupBy(requests, (request) => request.key.awsRegion)];
    const found = await Promise.all(
      regions.map(async ([region, inRegion]) => {
        let described: DescribedInstance[];
        try {
          described = await this.fleet.describeInstances(
            region,
            inRegion.map((request) => request.key.awsInstanceId),
          );
        } catch (error) {
          if (!(error instanceof DomainError)) {
            throw error;
          }
          inRegion.forEach((request) => fail(request, error));
          return [];
        }
        const byId = new Map(described.map((instance) => [instance.instanceId, instance]));
        return inRegion.flatMap((request) => {
          const instance = byId.get(request.key.awsInstanceId);
          if (!instance) {
            fail(request, unknownInstance(request.key));
            return [];
          }
          if (instance.status === WorkerStatus.TERMINATED) {
            fail(request, terminated(request.key));
            return [];
          }
          return [{ request, instance }];
        });
      }),
    );
    return found.flat().sort((a, b) => a.request.index - b.request.index);
  }

  private newWorker(
    command: ImportWorkerCommand,
    instance: DescribedInstance,
    describedAt: Date,
    cmlAccess: CmlAccessColumns | undefined,
  ): NewWorker {
    const defaults = this.config.workerDefaults;
    return {
      name: importedName(command, instance),
      awsRegion: instance.region,
      awsInstanceId: instance.instanceId,
      instanceType: instance.instanceType,
      status: instance.status,
      lastPolledAt: describedAt,
      ...instance.addresses,
      cpuThreshold: command.thresholds?.cpu ?? defaults.cpuThreshold,
      memoryThreshold: command.thresholds?.memory ?? defaults.memoryThreshold,
      ...cmlAccess,
    };
  }
}

function instanceKey(instance: DescribedInstance): InstanceKey {
  return { awsRegion: instance.region, awsInstanceId: instance.instanceId };
}

function keyOf({ awsRegion, awsInstanceId }: InstanceKey): string {
  return `${awsRegion}/${awsInstanceId}`;
}

function toListed(instance: DescribedInstance, workerId: string | null): ListedInstance {
  return {
    awsInstanceId: instance.instanceId,
    awsRegion: instance.region,
    name: instance.name,
    instanceType: instance.instanceType,
    status: instance.status,
    launchedAt: instance.launchedAt,
    tags: instance.tags,
    workerId,
  };
}

type Position = Pick<ListedInstance, 'launchedAt' | 'awsInstanceId' | 'awsRegion'>;

/** Newest launch first (none last), then by instance id and region, descending: a total order. */
function newestLaunchFirst(a: Position, b: Position): number {
  const launched = (p: Position) => p.launchedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return (
    descending(launched(a), launched(b)) ||
    descending(a.awsInstanceId, b.awsInstanceId) ||
    descending(a.awsRegion, b.awsRegion)
  );
}

function descending<T extends number | string>(a: T, b: T): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

/** Opaque to clients; it pins the position in the newest-launch-first order. */
function encodeCursor(position: Position): string {
  return Buffer.from(
    JSON.stringify([
      position.launchedAt?.toISOString() ?? null,
      position.awsInstanceId,
      position.awsRegion,
    ]),
  ).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 3) {
      const [launchedAt, awsInstanceId, awsRegion] = decoded as unknown[];
      const date = typeof launchedAt === 'string' ? new Date(launchedAt) : null;
      if (
        (launchedAt === null || (date !== null && !Number.isNaN(date.getTime()))) &&
        typeof awsInstanceId === 'string' &&
        /^i-[0-9a-f]+$/.test(awsInstanceId) &&
        typeof awsRegion === 'string' &&
        AWS_REGION_PATTERN.test(awsRegion)
      ) {
        return { launchedAt: date, awsInstanceId, awsRegion };
      }
    }
  } catch {
    // Falls through to the error below: any undecodable cursor is the same mistake.
  }
  throw badInput('after', 'after is not a cursor returned by this API');
}

function alreadyRegistered({ awsRegion, awsInstanceId }: InstanceKey): DomainError {
  return conflict(
    `instance ${awsInstanceId} in ${awsRegion} is already registered`,
    'awsInstanceId',
  );
}

function givenTwice({ awsRegion, awsInstanceId }: InstanceKey): DomainError {
  return conflict(
    `instance ${awsInstanceId} in ${awsRegion} is given more than once; it is imported once`,
    'awsInstanceId',
  );
}

function unknownInstance({ awsRegion, awsInstanceId }: InstanceKey): DomainError {
  return notFound(`EC2 has no instance ${awsInstanceId} in ${awsRegion}`, 'awsInstanceId');
}

function terminated({ awsInstanceId }: InstanceKey): DomainError {
  return conflict(
    `instance ${awsInstanceId} is terminated and cannot be registered`,
    'awsInstanceId',
  );
}
