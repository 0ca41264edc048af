import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  EC2Client,
  Instance,
  InstanceStateChange as Ec2StateChange,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { WorkerStatus } from '../../entities/worker-status.enum';
import { chunk } from '../../lib/chunk';
import { toDomainError, unknownInstanceIds } from './aws-error.mapper';

export interface FleetInstance {
  instanceId: string;
  region: string;
  status: WorkerStatus;
  instanceType: string | null;
  /** The instance's `Name` tag. */
  name: string | null;
  /** Where its CML controller may be reached (CML_ENDPOINT_FROM); EC2 gives '' for none. */
  addresses: InstanceAddresses;
}

export interface InstanceAddresses {
  privateIpAddress: string | null;
  publicIpAddress: string | null;
  publicDnsName: string | null;
}

export interface InstanceTag {
  key: string;
  value: string;
}

/** An instance as DescribeInstances shows it, with what an owner tells their instances by. */
export interface DescribedInstance extends FleetInstance {
  /** EC2's LaunchTime: when the instance last started. */
  launchedAt: Date | null;
  tags: InstanceTag[];
}

/** A tag an instance must carry: with one of `values`, or with any value when there are none. */
export interface TagMatch {
  key: string;
  values?: readonly string[] | null;
}

export interface LaunchRequest {
  region: string;
  name: string;
  amiId: string;
  instanceType: string;
  subnetId?: string;
  securityGroupIds: string[];
  keyName?: string;
  /** Makes the launch idempotent across the SDK's own retries. */
  clientToken: string;
}

/**
 * The EC2 side of the fleet, one call per operation; AWS failures arrive as DomainErrors.
 * Lifecycle calls resolve with the state EC2 reports right after the call.
 */
export interface FleetGateway {
  describeInstance(region: string, instanceId: string): Promise<FleetInstance>;
  /** Many instances by id, DESCRIBE_INSTANCES_BATCH per call; those EC2 does not know are absent. */
  describeInstances(region: string, instanceIds: readonly string[]): Promise<DescribedInstance[]>;
  /** The region's instances that carry every tag, terminated ones left out: every page. */
  findInstances(region: string, tags: readonly TagMatch[]): Promise<DescribedInstance[]>;
  launchInstance(request: LaunchRequest): Promise<FleetInstance>;
  startInstance(region: string, instanceId: string): Promise<WorkerStatus>;
  stopInstance(region: string, instanceId: string): Promise<WorkerStatus>;
  terminateInstance(region: string, instanceId: string): Promise<WorkerStatus>;
}

export const MANAGED_BY_TAG = { Key: 'managed-by', Value: 'cml-worker-monitor' };

/** EC2 documents no cap on InstanceIds; this many make an answer the size of a full page. */
const DESCRIBE_INSTANCES_BATCH = 1000;
/** The most DescribeInstances answers per page. */
const INSTANCES_PER_PAGE = 1000;
/** Every state but terminated: a terminated instance can be neither registered nor started. */
const LISTED_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

const EC2_STATES: Record<string, WorkerStatus> = {
  pending: WorkerStatus.PENDING,
  running: WorkerStatus.RUNNING,
  stopping: WorkerStatus.STOPPING,
  stopped: WorkerStatus.STOPPED,
  'shutting-down': WorkerStatus.SHUTTING_DOWN,
  terminated: WorkerStatus.TERMINATED,
};

export function toWorkerStatus(ec2StateName: string | undefined): WorkerStatus {
  return (ec2StateName && EC2_STATES[ec2StateName]) || WorkerStatus.UNKNOWN;
}

export class Ec2FleetGateway implements FleetGateway {
  constructor(private readonly clientFor: (region: string) => EC2Client) {}

  async describeInstance(region: string, instanceId: string): Promise<FleetInstance> {
    const output = await this.call(region, instanceId, (ec2) =>
      ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
    );
    const instance = output.Reservations?.flatMap((r) => r.Instances ?? []).find(
      (candidate) => candidate.InstanceId === instanceId,
    );
    if (!instance) {
      throw toDomainError({ name: 'InvalidInstanceID.NotFound' }, { region, instanceId });
    }
    return toFleetInstance(region, instance);
  }

  async describeInstances(
    region: string,
    instanceIds: readonly string[],
  ): Promise<DescribedInstance[]> {
    const described: DescribedInstance[] = [];
    for (const ids of chunk(instanceIds, DESCRIBE_INSTANCES_BATCH)) {
      await this.describeChunk(region, ids, described);
    }
    return described;
  }

  async findInstances(region: string, tags: readonly TagMatch[]): Promise<DescribedInstance[]> {
    const filters = [
      { Name: 'instance-state-name', Values: LISTED_STATES },
      ...tags.map((tag) =>
        tag.values
          ? { Name: `tag:${tag.key}`, Values: tag.values.map(literally) }
          : { Name: 'tag-key', Values: [literally(tag.key)] },
      ),
    ];
    const found: DescribedInstance[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(region, undefined, (ec2) =>
        ec2.send(
          new DescribeInstancesCommand({
            Filters: filters,
            MaxResults: INSTANCES_PER_PAGE,
            NextToken: nextToken,
          }),
        ),
      );
      found.push(...instancesOf(page).map((instance) => toDescribedInstance(region, instance)));
      nextToken = page.NextToken;
    } while (nextToken);
    return found;
  }

  async launchInstance(request: LaunchRequest): Promise<FleetInstance> {
    const output = await this.call(request.region, undefined, (ec2) =>
      ec2.send(
        new RunInstancesCommand({
          ImageId: request.amiId,
          InstanceType: request.instanceType as never,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: request.subnetId,
          SecurityGroupIds:
            request.securityGroupIds.length > 0 ? request.securityGroupIds : undefined,
          KeyName: request.keyName,
          ClientToken: request.clientToken,
          TagSpecifications: [
            {
              ResourceType: 'instance',
              Tags: [{ Key: 'Name', Value: request.name }, MANAGED_BY_TAG],
            },
          ],
        }),
      ),
    );
    const instance = output.Instances?.[0];
    if (!instance?.InstanceId) {
      throw toDomainError(
        { name: 'EmptyResponse', message: 'RunInstances returned no instance', $fault: 'server' },
        { region: request.region },
      );
    }
    return toFleetInstance(request.region, instance);
  }

  async startInstance(region: string, instanceId: string): Promise<WorkerStatus> {
    const output = await this.call(region, instanceId, (ec2) =>
      ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] })),
    );
    return currentStatusOf(region, instanceId, output.StartingInstances);
  }

  async stopInstance(region: string, instanceId: string): Promise<WorkerStatus> {
    const output = await this.call(region, instanceId, (ec2) =>
      ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] })),
    );
    return currentStatusOf(region, instanceId, output.StoppingInstances);
  }

  async terminateInstance(region: string, instanceId: string): Promise<WorkerStatus> {
    const output = await this.call(region, instanceId, (ec2) =>
      ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })),
    );
    return currentStatusOf(region, instanceId, output.TerminatingInstances);
  }

  /**
   * EC2 fails the whole call when one id is unknown, naming every unknown id: the call is made
   * again without them.
   */
  private async describeChunk(
    region: string,
    instanceIds: readonly string[],
    described: DescribedInstance[],
  ): Promise<void> {
    let remaining = [...instanceIds];
    while (remaining.length > 0) {
      try {
        let nextToken: string | undefined;
        do {
          const page = await this.clientFor(region).send(
            new DescribeInstancesCommand({ InstanceIds: remaining, NextToken: nextToken }),
          );
          described.push(
            ...instancesOf(page).map((instance) => toDescribedInstance(region, instance)),
          );
          nextToken = page.NextToken;
        } while (nextToken);
        return;
      } catch (error) {
        const unknown = unknownInstanceIds(error, remaining);
        if (unknown.length === 0) {
          throw toDomainError(error, { region });
        }
        remaining = remaining.filter((id) => !unknown.includes(id));
      }
    }
  }

  private async call<Output>(
    region: string,
    instanceId: string | undefined,
    request: (client: EC2Client) => Promise<Output>,
  ): Promise<Output> {
    try {
      return await request(this.clientFor(region));
    } catch (error) {
      throw toDomainError(error, { region, instanceId });
    }
  }
}

function toFleetInstance(region: string, instance: Instance): FleetInstance {
  return {
    instanceId: instance.InstanceId ?? '',
    region,
    status: toWorkerStatus(instance.State?.Name),
    instanceType: instance.InstanceType ?? null,
    name: instance.Tags?.find((tag) => tag.Key === 'Name')?.Value ?? null,
    addresses: {
      privateIpAddress: instance.PrivateIpAddress || null,
      publicIpAddress: instance.PublicIpAddress || null,
      publicDnsName: instance.PublicDnsName || null,
    },
  };
}

function toDescribedInstance(region: string, instance: Instance): DescribedInstance {
  return {
    ...toFleetInstance(region, instance),
    launchedAt: instance.LaunchTime ?? null,
    tags: (instance.Tags ?? []).map((tag) => ({ key: tag.Key ?? '', value: tag.Value ?? '' })),
  };
}

function instancesOf(output: DescribeInstancesCommandOutput): Instance[] {
  return output.Reservations?.flatMap((reservation) => reservation.Instances ?? []) ?? [];
}

/** EC2 filter values take `*` and `?` as wildcards: a tag is matched as written. */
function literally(value: string): string {
  return value.replace(/[\\*?]/g, (character) => `\\${character}`);
}

function currentStatusOf(
  region: string,
  instanceId: string,
  changes: Ec2StateChange[] | undefined,
): WorkerStatus {
  const change = changes?.find((candidate) => candidate.InstanceId === instanceId);
  if (!change) {
    throw toDomainError({ name: 'InvalidInstanceID.NotFound' }, { region, instanceId });
  }
  return toWorkerStatus(change.CurrentState?.Name);
}
