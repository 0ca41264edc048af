import { z } from 'zod';
import {
  IMAGE_ID_PATTERN,
  INSTANCE_ID_PATTERN,
  INSTANCE_TYPE_PATTERN,
  REGION_PATTERN,
} from './aws-identifiers';
import {
  CREDENTIAL_MODES,
  type EmulatedCml,
  LAB_STATES,
  LICENSE_STATES,
  UnknownLabError,
} from './cml/emulated-cml';
import { ANY_ACTION } from './fault-injection';
import { type EmulatedFleet, InstanceIdTakenError, UnknownInstanceError } from './fleet.state';
import { INSTANCE_STATES } from './instance-lifecycle';

/** Every control route lives under this prefix, out of the way of the AWS protocols' `POST /`. */
export const CONTROL_PREFIX = '/_emulator/';

export interface ControlResponse {
  status: number;
  body?: unknown;
}

const percent = z.number().min(0).max(100);
const curve = z.strictObject({
  base: percent.optional(),
  amplitude: z.number().min(0).max(100).optional(),
  periodMinutes: z.number().positive().optional(),
  phase: z.number().min(0).max(1).optional(),
  noise: z.number().min(0).max(50).optional(),
  spike: z
    .strictObject({
      everyMinutes: z.int().positive(),
      forMinutes: z.int().min(0),
      level: percent,
    })
    .optional(),
});

const addInstancesBody = z.strictObject({
  count: z.int().min(1).max(10_000).optional(),
  instanceId: z
    .string()
    .regex(INSTANCE_ID_PATTERN, 'an instance id such as i-0123456789abcdef0')
    .optional(),
  region: z.string().regex(REGION_PATTERN, 'an AWS region such as eu-west-1').optional(),
  state: z.enum(INSTANCE_STATES).optional(),
  instanceType: z
    .string()
    .regex(INSTANCE_TYPE_PATTERN, 'an instance type such as t3.medium')
    .optional(),
  name: z.string().min(1).max(256).optional(),
  imageId: z.string().regex(IMAGE_ID_PATTERN, 'an AMI id such as ami-0c0ffee0c0ffee000').optional(),
  tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
  launchedAt: z.iso.datetime({ offset: true }).optional(),
  cpuCurve: curve.optional(),
  memoryCurve: curve.optional(),
});

const stateBody = z.strictObject({ state: z.enum(INSTANCE_STATES) });

const checkStatus = z.enum(['ok', 'impaired', 'insufficient-data', 'auto']);
const statusChecksBody = z
  .strictObject({ system: checkStatus.optional(), instance: checkStatus.optional() })
  .refine((body) => body.system !== undefined || body.instance !== undefined, {
    message: 'name at least one of system, instance',
  });

const metricsBody = z
  .strictObject({ cpu: percent.nullable().optional(), memory: percent.nullable().optional() })
  .refine((body) => body.cpu !== undefined || body.memory !== undefined, {
    message: 'name at least one of cpu, memory',
  });

const faultBody = z.strictObject({
  action: z
    .string()
    .regex(
      /^(\*|[A-Z][A-Za-z0-9]+)$/,
      `an action name such as DescribeInstanceStatus, or ${ANY_ACTION}`,
    ),
  latencyMs: z.int().min(0).max(60_000).optional(),
  throttleRate: z.number().min(0).max(1).optional(),
  serverErrorRate: z.number().min(0).max(1).optional(),
  serverErrorStatus: z.union([z.literal(500), z.literal(503)]).optional(),
  newInstanceNotFoundMs: z.int().min(0).max(3_600_000).optional(),
});

const addLabBody = z.strictObject({
  title: z.string().min(1).max(64),
  nodes: z.int().min(0).max(500),
  state: z.enum(LAB_STATES).optional(),
  owner: z
    .string()
    .regex(/^[\w.@+-]{1,32}$/, 'a CML user name such as student07')
    .optional(),
});

const labStateBody = z.strictObject({ state: z.enum(LAB_STATES) });

const cmlBody = z
  .strictObject({
    available: z.boolean().optional(),
    latencyMs: z.int().min(0).max(60_000).optional(),
    license: z.enum(LICENSE_STATES).optional(),
    // Negative: a license that expired that many days ago.
    licenseExpiresInDays: z.number().min(-3650).max(3650).optional(),
    credentials: z.enum(CREDENTIAL_MODES).optional(),
    tokenLifetimeSeconds: z
      .int()
      .min(1)
      .max(30 * 24 * 3600)
      .optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message:
      'name at least one of available, latencyMs, license, licenseExpiresInDays, credentials, tokenLifetimeSeconds',
  });

const listQuery = z.strictObject({
  region: z.string().regex(REGION_PATTERN, 'an AWS region such as eu-west-1').optional(),
  state: z.enum(INSTANCE_STATES).optional(),
});

class ControlInputError extends Error {
  override readonly name = 'ControlInputError';
}

class MethodNotAllowedError extends Error {
  override readonly name = 'MethodNotAllowedError';
}

/**
 * The control API: JSON routes under `/_emulator/` to shape the fleet, force states, check
 * results and metric values, inject faults, read call counts, and give the instances' CML
 * controllers labs, faults and license states.
 */
export function handleControlRequest(
  fleet: EmulatedFleet,
  method: string,
  url: URL,
  body: string,
): ControlResponse {
  try {
    return route(fleet, method, url, body) ?? notFound(method, url);
  } catch (error) {
    if (error instanceof ControlInputError) {
      return { status: 400, body: { error: error.message } };
    }
    if (error instanceof UnknownInstanceError || error instanceof UnknownLabError) {
      return { status: 404, body: { error: error.message } };
    }
    if (error instanceof InstanceIdTakenError) {
      return { status: 409, body: { error: error.message } };
    }
    if (error instanceof MethodNotAllowedError) {
      return { status: 405, body: { error: error.message } };
    }
    throw error;
  }
}

function route(
  fleet: EmulatedFleet,
  method: string,
  url: URL,
  body: string,
): ControlResponse | undefined {
  const [resource, instanceId, detail, ...rest] = url.pathname
    .slice(CONTROL_PREFIX.length)
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));
  const allow = (...methods: string[]) => {
    if (!methods.includes(method)) {
      throw new MethodNotAllowedError(
        `${method} is not allowed on ${url.pathname}; use ${methods.join(' or ')}`,
      );
    }
  };
  if (resource !== 'instances' && instanceId !== undefined) {
    return undefined;
  }
  switch (resource) {
    case 'instances':
      if (instanceId === undefined) {
        allow('GET', 'POST');
        return method === 'GET' ? listInstances(fleet, url) : addInstances(fleet, body);
      }
      return instanceRoute(
        fleet,
        method,
        resolveInstanceId(fleet, instanceId),
        detail,
        rest,
        body,
        allow,
      );
    case 'faults':
      allow('GET', 'PUT', 'DELETE');
      if (method === 'PUT') {
        return { status: 200, body: { faults: fleet.setFaults(parse(faultBody, body)) } };
      }
      if (method === 'DELETE') {
        fleet.clearFaults();
      }
      return { status: 200, body: { faults: fleet.faults() } };
    case 'calls':
      allow('GET', 'DELETE');
      if (method === 'DELETE') {
        fleet.resetCallCounts();
      }
      return { status: 200, body: { calls: fleet.callCounts() } };
    case 'reset':
      allow('POST');
      fleet.reset();
      return { status: 204 };
    default:
      return undefined;
  }
}

function notFound(method: string, url: URL): ControlResponse {
  return { status: 404, body: { error: `No control route ${method} ${url.pathname}` } };
}

function instanceRoute(
  fleet: EmulatedFleet,
  method: string,
  instanceId: string,
  detail: string | undefined,
  rest: string[],
  body: string,
  allow: (...methods: string[]) => void,
): ControlResponse | undefined {
  if (detail === 'labs') {
    return labsRoute(fleet.cml(instanceId), method, rest, body, allow);
  }
  if (rest.length > 0) {
    return undefined;
  }
  switch (detail) {
    case undefined: {
      allow('GET');
      const instance = fleet.getInstance(instanceId);
      if (!instance) {
        throw new UnknownInstanceError(instanceId);
      }
      return { status: 200, body: instance };
    }
    case 'state':
      allow('POST');
      return { status: 200, body: fleet.setState(instanceId, parse(stateBody, body).state) };
    case 'status-checks':
      allow('POST');
      return {
        status: 200,
        body: fleet.setStatusChecks(instanceId, parse(statusChecksBody, body)),
      };
    case 'metrics':
      allow('POST', 'DELETE');
      return {
        status: 200,
        body: fleet.setNextMetrics(
          instanceId,
          method === 'DELETE' ? { cpu: null, memory: null } : parse(metricsBody, body),
        ),
      };
    case 'cml': {
      allow('GET', 'POST', 'DELETE');
      const controller = fleet.cml(instanceId);
      if (method === 'POST') {
        return { status: 200, body: controller.configure(parse(cmlBody, body)) };
      }
      return {
        status: 200,
        body: method === 'DELETE' ? controller.restoreDefaults() : controller.settings(),
      };
    }
    default:
      return undefined;
  }
}

/** `labs`, `labs/{labId}` and `labs/{labId}/state` of an instance's controller. */
function labsRoute(
  controller: EmulatedCml,
  method: string,
  [labId, action, ...rest]: string[],
  body: string,
  allow: (...methods: string[]) => void,
): ControlResponse | undefined {
  if (labId === undefined) {
    allow('GET', 'POST');
    return method === 'GET'
      ? { status: 200, body: { labs: controller.listLabs() } }
      : { status: 201, body: controller.addLab(parse(addLabBody, body)) };
  }
  if (action === undefined) {
    allow('GET', 'DELETE');
    if (method === 'DELETE') {
      controller.removeLab(labId);
      return { status: 204 };
    }
    return { status: 200, body: controller.getLab(labId) };
  }
  if (action !== 'state' || rest.length > 0) {
    return undefined;
  }
  allow('POST');
  return {
    status: 200,
    body: controller.setLabState(labId, parse(labStateBody, body).state),
  };
}

/** Instance routes take an instance id or, for convenience, a `Name` tag only one instance has. */
function resolveInstanceId(fleet: EmulatedFleet, idOrName: string): string {
  if (INSTANCE_ID_PATTERN.test(idOrName)) {
    return idOrName;
  }
  const named = fleet.listInstances().filter((instance) => instance.name === idOrName);
  if (named.length > 1) {
    throw new ControlInputError(
      `${named.length} instances are named ${idOrName}; name the one you mean by its instance id`,
    );
  }
  const [instance] = named;
  if (!instance) {
    throw new UnknownInstanceError(idOrName);
  }
  return instance.instanceId;
}

function listInstances(fleet: EmulatedFleet, url: URL): ControlResponse {
  const filter = validate(listQuery, Object.fromEntries(url.searchParams));
  return { status: 200, body: { instances: fleet.listInstances(filter) } };
}

function addInstances(fleet: EmulatedFleet, body: string): ControlResponse {
  const { launchedAt, ...request } = parse(addInstancesBody, body);
  const instances = fleet.addInstances({
    ...request,
    launchedAt: launchedAt === undefined ? undefined : new Date(launchedAt),
  });
  return { status: 201, body: { instances } };
}

function parse<T>(schema: z.ZodType<T>, body: string): T {
  let json: unknown = {};
  if (body.trim() !== '') {
    try {
      json = JSON.parse(body);
    } catch {
      throw new ControlInputError('The body is not valid JSON');
    }
  }
  return validate(schema, json);
}

function validate<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ControlInputError(z.prettifyError(result.error));
  }
  return result.data;
}
