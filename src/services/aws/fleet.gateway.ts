import {
  DescribeInstancesCommand,
  EC2Client,
  Instance,
  InstanceStateChange as Ec2StateChange,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { WorkerStatus } from '../../entities/worker-status.enum';
import { toDomainError } from './aws-error.mapper';

export interface FleetInstance {
  instanceId: string;
  region: string;
  status: WorkerStatus;
  instanceType: string | null;
  /** The instance's `Name` tag. */
  name: string | null;
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
  launchInstance(request: LaunchRequest): Promise<FleetInstance>;
  startInstance(region: string, instanceId: string): Promise<WorkerStatus>;
  stopInstance(region: string, instanceId: string): Promise<WorkerStatus>;
  terminateInstance(region: string, instanceId: string): Promise<WorkerStatus>;
}

export const MANAGED_BY_TAG = { Key: 'managed-by', Value: 'cml-worker-monitor' };

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
  };
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
