import {
  AwsServiceError,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
} from './aws-error';
import {
  EMULATOR_ACCOUNT_ID,
  type EmulatedFleet,
  type LaunchRequest,
  type StateChange,
} from './fleet.state';
import {
  type EmulatedInstance,
  type InstanceStateName,
  type LifecycleAction,
  STATE_CODES,
} from './instance-lifecycle';
import { IMAGE_ID_PATTERN, INSTANCE_ID_PATTERN, INSTANCE_TYPE_PATTERN } from './aws-identifiers';
import { INSTANCE_FILTERS, matchesAll, parseFilters, STATUS_FILTERS } from './ec2-filters';
import type { QueryParams } from './query-params';
import { renderXmlDocument, type XmlObject, type XmlValue } from './xml';
import { groupBy } from '../lib/maps';

const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const STATUS_ID_LIMIT = 100;

export interface Ec2Call {
  fleet: EmulatedFleet;
  region: string;
  params: QueryParams;
  /** The injected fault: instances launched less than this long ago are unknown to the call. */
  newInstanceNotFoundMs: number;
}

type Ec2Handler = (call: Ec2Call) => XmlObject;

const HANDLERS: Readonly<Record<string, Ec2Handler>> = {
  DescribeInstances: describeInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  RunInstances: runInstances,
  StartInstances: (call) => ({ instancesSet: changeItems(lifecycle(call, 'start')) }),
  StopInstances: (call) => ({ instancesSet: changeItems(lifecycle(call, 'stop')) }),
  TerminateInstances: (call) => ({ instancesSet: changeItems(lifecycle(call, 'terminate')) }),
  RebootInstances: (call) => {
    lifecycle(call, 'reboot');
    return { return: true };
  },
};

/** Runs one EC2 action and renders its XML answer; AWS-level failures throw AwsServiceError. */
export function handleEc2Action(action: string, call: Ec2Call, requestId: string): string {
  const handler = Object.hasOwn(HANDLERS, action) ? HANDLERS[action] : undefined;
  if (!handler) {
    throw new AwsServiceError(
      'InvalidAction',
      `The action ${action} is not valid for this web service.`,
    );
  }
  if (call.params.string('DryRun') === 'true') {
    throw new AwsServiceError(
      'DryRunOperation',
      'Request would have succeeded, but DryRun flag is set.',
      412,
    );
  }
  return renderXmlDocument(
    `${action}Response`,
    EC2_NAMESPACE,
    { requestId, ...handler(call) },
    'item',
  );
}

export function renderEc2Error(error: AwsServiceError, requestId: string): string {
  return renderXmlDocument(
    'Response',
    undefined,
    { Errors: { Error: { Code: error.code, Message: error.message } }, RequestID: requestId },
    'item',
  );
}

function describeInstances(call: Ec2Call): XmlObject {
  const { fleet, params } = call;
  const ids = instanceIds(params);
  const filters = parseFilters(params, INSTANCE_FILTERS);
  const maxResults = pageSize(params, ids);
  const candidates = knownInstances(call, ids);
  const matching = candidates.filter((instance) => matchesAll(filters, instance, fleet));
  const page = paginate(matching, params.string('NextToken'), maxResults);
  return {
    reservationSet: [...groupBy(page.items, (instance) => instance.reservationId).values()].map(
      (instances) => {
        const first = instances[0];
        return {
          reservationId: first?.reservationId,
          ownerId: EMULATOR_ACCOUNT_ID,
          groupSet: [],
          instancesSet: instances.map(instanceItem),
        };
      },
    ),
    nextToken: page.nextToken,
  };
}

function describeInstanceStatus(call: Ec2Call): XmlObject {
  const { fleet, params } = call;
  const ids = instanceIds(params);
  if (ids.length > STATUS_ID_LIMIT) {
    throw new AwsServiceError(
      'InvalidRequest',
      `${ids.length} exceeds the maximum number of instance IDs that can be specified (${STATUS_ID_LIMIT}). Please specify fewer than ${STATUS_ID_LIMIT} instance IDs.`,
    );
  }
  const filters = parseFilters(params, STATUS_FILTERS);
  const maxResults = pageSize(params, ids);
  const includeAll = params.string('IncludeAllInstances') === 'true';
  const candidates = knownInstances(call, ids);
  const matching = candidates.filter(
    (instance) =>
      (includeAll || instance.state === 'running') && matchesAll(filters, instance, fleet),
  );
  const page = paginate(matching, params.string('NextToken'), maxResults);
  return {
    instanceStatusSet: page.items.map((instance) => statusItem(fleet, instance)),
    nextToken: page.nextToken,
  };
}

function runInstances({ fleet, region, params }: Ec2Call): XmlObject {
  const imageId = params.string('ImageId');
  if (imageId === undefined) {
    throw missingParameter('ImageId');
  }
  if (!IMAGE_ID_PATTERN.test(imageId)) {
    throw new AwsServiceError(
      'InvalidAMIID.Malformed',
      `Invalid id: "${imageId}" (expecting "ami-...")`,
    );
  }
  const instanceType = params.string('InstanceType') ?? 'm1.small';
  if (!INSTANCE_TYPE_PATTERN.test(instanceType)) {
    throw invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
  }
  const minCount = positiveCount(params, 'MinCount');
  const maxCount = positiveCount(params, 'MaxCount');
  if (minCount > maxCount) {
    throw invalidParameterValue(
      `MinCount (${minCount}) must be less than or equal to MaxCount (${maxCount}).`,
    );
  }
  const tags = instanceTags(params);
  const request: Omit<LaunchRequest, 'fingerprint'> = {
    imageId,
    instanceType,
    minCount,
    maxCount,
    tags,
    subnetId: params.string('SubnetId'),
    keyName: params.string('KeyName'),
    clientToken: params.string('ClientToken'),
  };
  const fingerprint = JSON.stringify([
    imageId,
    instanceType,
    minCount,
    maxCount,
    [...tags].sort(),
    request.subnetId,
    request.keyName,
  ]);
  const launch = fleet.launch(region, { ...request, fingerprint });
  return {
    reservationId: launch.reservationId,
    ownerId: EMULATOR_ACCOUNT_ID,
    groupSet: [],
    instancesSet: launch.instances.map(instanceItem),
  };
}

function lifecycle(call: Ec2Call, action: LifecycleAction): StateChange[] {
  const ids = instanceIds(call.params);
  if (ids.length === 0) {
    throw missingParameter('InstanceId');
  }
  // Fails the call, as EC2 does, for an instance it does not know yet.
  knownInstances(call, ids);
  return call.fleet.apply(call.region, action, ids);
}

/**
 * The instances named (`InvalidInstanceID.NotFound` for any unknown), or all of the region's
 * when none is. With the eventual-consistency fault, the newest launches are not known yet.
 */
function knownInstances(
  { fleet, region, newInstanceNotFoundMs }: Ec2Call,
  ids: readonly string[],
): EmulatedInstance[] {
  const knownSince = fleet.now() - newInstanceNotFoundMs;
  const known = (instance: EmulatedInstance) =>
    newInstanceNotFoundMs === 0 || instance.createdAt <= knownSince;
  return ids.length > 0
    ? fleet.requireAll(region, ids, known)
    : fleet.instancesIn(region).filter(known);
}

function changeItems(changes: StateChange[]): XmlValue {
  return changes.map((change) => ({
    instanceId: change.instance.instanceId,
    currentState: stateXml(change.current),
    previousState: stateXml(change.previous),
  }));
}

function instanceIds(params: QueryParams): string[] {
  const ids = [...new Set(params.list('InstanceId'))];
  const malformed = ids.find((id) => !INSTANCE_ID_PATTERN.test(id));
  if (malformed !== undefined) {
    throw new AwsServiceError(
      'InvalidInstanceID.Malformed',
      `Invalid id: "${malformed}" (expecting "i-...")`,
    );
  }
  return ids;
}

function positiveCount(params: QueryParams, name: string): number {
  const text = params.string(name);
  if (text === undefined) {
    throw missingParameter(name);
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw invalidParameterValue(
      `Value (${text}) for parameter ${name} is invalid. Expecting a positive integer.`,
    );
  }
  return value;
}

function instanceTags(params: QueryParams): Map<string, string> {
  const tags = new Map<string, string>();
  for (const specification of params.structList('TagSpecification')) {
    const resourceType = specification.string('ResourceType');
    if (resourceType === undefined) {
      throw missingParameter('TagSpecification.N.ResourceType');
    }
    if (resourceType !== 'instance') {
      continue;
    }
    for (const tag of specification.structList('Tag')) {
      const key = tag.string('Key');
      if (key === undefined || key === '') {
        throw invalidParameterValue('Tag keys must not be empty.');
      }
      if (key.startsWith('aws:')) {
        throw invalidParameterValue(`Tag keys starting with 'aws:' are reserved for internal use`);
      }
      tags.set(key, tag.string('Value') ?? '');
    }
  }
  return tags;
}

function pageSize(params: QueryParams, ids: readonly string[]): number | undefined {
  const text = params.string('MaxResults');
  if (text === undefined) {
    return undefined;
  }
  if (ids.length > 0) {
    throw invalidParameterCombination(
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 5 || value > 1000) {
    throw invalidParameterValue(
      `Value ( ${text} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
    );
  }
  return value;
}

interface Page {
  items: EmulatedInstance[];
  nextToken: string | undefined;
}

/** Pages by creation order; the token names the last instance shown, so removals do not shift pages. */
function paginate(
  instances: EmulatedInstance[],
  token: string | undefined,
  maxResults: number | undefined,
): Page {
  let remaining = instances;
  if (token !== undefined) {
    const after = decodeToken(token);
    remaining = instances.filter((instance) => instance.sequence > after);
  }
  if (maxResults === undefined || remaining.length <= maxResults) {
    return { items: remaining, nextToken: undefined };
  }
  const items = remaining.slice(0, maxResults);
  const last = items.at(-1);
  return { items, nextToken: last && encodeToken(last.sequence) };
}

function encodeToken(sequence: number): string {
  return Buffer.from(JSON.stringify({ after: sequence })).toString('base64url');
}

function decodeToken(token: string): number {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      typeof decoded === 'object' &&
      decoded !== null &&
      'after' in decoded &&
      Number.isInteger(decoded.after)
    ) {
      return Number(decoded.after);
    }
  } catch {
    // An undecodable token is reported below like any other invalid one.
  }
  throw invalidParameterValue(`The token '${token}' is invalid.`);
}

function stateXml(state: InstanceStateName): XmlValue {
  return { code: STATE_CODES[state], name: state };
}

function instanceItem(instance: EmulatedInstance): XmlValue {
  const dnsName = `ip-${instance.privateIpAddress.replaceAll('.', '-')}.${instance.region}.compute.internal`;
  return {
    instanceId: instance.instanceId,
    imageId: instance.imageId,
    instanceState: stateXml(instance.state),
    privateDnsName: dnsName,
    dnsName: '',
    reason: instance.transitionReason,
    keyName: instance.keyName,
    amiLaunchIndex: instance.launchIndex,
    instanceType: instance.instanceType,
    launchTime: new Date(instance.launchTime),
    placement: { availabilityZone: instance.availabilityZone, tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: instance.subnetId,
    privateIpAddress: instance.privateIpAddress,
    stateReason: instance.stateReason && {
      code: instance.stateReason.code,
      message: instance.stateReason.message,
    },
    architecture: 'x86_64',
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    virtualizationType: 'hvm',
    clientToken: instance.clientToken,
    tagSet:
      instance.tags.size > 0
        ? [...instance.tags].map(([key, value]) => ({ key, value }))
        : undefined,
    hypervisor: 'xen',
  };
}

const CHECK_DETAIL: Readonly<Record<string, string>> = {
  ok: 'passed',
  impaired: 'failed',
  initializing: 'initializing',
  'insufficient-data': 'insufficient-data',
};

function statusItem(fleet: EmulatedFleet, instance: EmulatedInstance): XmlValue {
  const checks = fleet.statusChecks(instance);
  const summary = (check: typeof checks.system): XmlValue => {
    const detail = CHECK_DETAIL[check.status];
    return {
      status: check.status,
      details: detail && [
        {
          name: 'reachability',
          status: detail,
          impairedSince:
            check.impairedSince === undefined ? undefined : new Date(check.impairedSince),
        },
      ],
    };
  };
  return {
    instanceId: instance.instanceId,
    availabilityZone: instance.availabilityZone,
    instanceState: stateXml(instance.state),
    systemStatus: summary(checks.system),
    instanceStatus: summary(checks.instance),
  };
}
