import { AwsServiceError } from './aws-error';
import { CallCounter, type CallCounts } from './call-counter';
import type { CmlHost } from './cml/cml-api';
import { type CmlDefaults, EmulatedCml } from './cml/emulated-cml';
import {
  FaultInjector,
  type FaultDecision,
  type FaultRule,
  type FaultSpec,
} from './fault-injection';
import {
  ACTION_VERBS,
  actionOutcome,
  type CheckStatus,
  type EmulatedInstance,
  type EmulatorTiming,
  enterState,
  type InstanceStateName,
  isGone,
  type LifecycleAction,
  settle,
  STATE_CODES,
  transition,
} from './instance-lifecycle';
import { type MetricCurve, type MetricKind, seededCurve } from './metric-curves';
import { hashString, SeededRandom } from './random';
import { type StatusChecks, statusChecks } from './status-checks';

/** The image control-API instances run when none is named; any well-formed AMI id is accepted. */
export const EMULATOR_IMAGE_ID = 'ami-0c0ffee0c0ffee000';
export const EMULATOR_ACCOUNT_ID = '123456789012';
const DEFAULT_INSTANCE_TYPE = 't3.medium';
/** Instances added as already running have been up this long, so they have metric history. */
const DEFAULT_UPTIME_MS = 60 * 60_000;

export interface FleetOptions {
  defaultRegion: string;
  timing: EmulatorTiming;
  seed: number;
  clock: () => number;
  cml: CmlDefaults;
}

/** Instances to create directly, as if they existed before the emulator started. */
export interface AddInstancesRequest {
  count?: number;
  /** Adopts this id (with a count of 1): re-creates an instance known from elsewhere. */
  instanceId?: string;
  region?: string;
  state?: InstanceStateName;
  instanceType?: string;
  /** The `Name` tag, given to every instance created by this request. */
  name?: string;
  imageId?: string;
  tags?: Record<string, string>;
  /** Defaults to an hour ago (now, for `pending`). */
  launchedAt?: Date;
  cpuCurve?: Partial<MetricCurve>;
  memoryCurve?: Partial<MetricCurve>;
}

export type ForcedCheckStatus = 'ok' | 'impaired' | 'insufficient-data';

/** `auto` drops the forced result: the checks follow the instance's lifecycle again. */
export interface StatusChecksRequest {
  system?: ForcedCheckStatus | 'auto';
  instance?: ForcedCheckStatus | 'auto';
}

/** A number (percent) overrides the metric from now on; `null` clears the override. */
export interface NextMetricsRequest {
  cpu?: number | null;
  memory?: number | null;
}

/** An instance as the control API shows it (plain JSON). */
export interface InstanceView {
  instanceId: string;
  region: string;
  state: InstanceStateName;
  stateCode: number;
  instanceType: string;
  imageId: string;
  name: string | null;
  tags: Record<string, string>;
  launchTime: string;
  availabilityZone: string;
  privateIpAddress: string;
  statusChecks: { system: CheckStatus; instance: CheckStatus };
  nextMetrics: { cpu: number | null; memory: number | null };
}

export interface LaunchRequest {
  imageId: string;
  instanceType: string;
  minCount: number;
  maxCount: number;
  tags: ReadonlyMap<string, string>;
  subnetId: string | undefined;
  keyName: string | undefined;
  /** With `fingerprint`, makes the launch idempotent: the same token gives the same instances. */
  clientToken: string | undefined;
  /** Identifies the request's parameters, to detect a token reused for a different launch. */
  fingerprint: string;
}

export interface Launch {
  reservationId: string;
  instances: EmulatedInstance[];
}

export interface StateChange {
  instance: EmulatedInstance;
  previous: InstanceStateName;
  current: InstanceStateName;
}

/** An instance id to adopt that the emulator already has, or with a count above 1 (HTTP 409). */
export class InstanceIdTakenError extends Error {
  override readonly name = 'InstanceIdTakenError';

  constructor(readonly instanceId: string) {
    super(`Instance ${instanceId} exists already, or cannot be given to several instances`);
  }
}

/** A control-API request naming an instance the emulator does not know (HTTP 404). */
export class UnknownInstanceError extends Error {
  override readonly name = 'UnknownInstanceError';

  constructor(readonly instanceId: string) {
    super(`No instance ${instanceId}`);
  }
}

interface RegionState {
  instances: Map<string, EmulatedInstance>;
  clientTokens: Map<string, { fingerprint: string; reservationId: string; instanceIds: string[] }>;
}

const INSTANCE_LIMIT_PER_LAUNCH = 1000;

/**
 * The emulated AWS account: instances per region, their lifecycle, forced check results and
 * metric overrides, their CML controllers, injected faults and call counts. States advance
 * lazily from timestamps whenever an instance is looked at, so an idle fleet costs nothing.
 */
export class EmulatedFleet {
  private readonly regions = new Map<string, RegionState>();
  private readonly byId = new Map<string, EmulatedInstance>();
  private readonly faultInjector: FaultInjector;
  private readonly calls = new CallCounter();
  private readonly controllers = new Map<string, EmulatedCml>();
  private random: SeededRandom;
  private sequence = 0;

  constructor(private readonly options: FleetOptions) {
    this.random = new SeededRandom(options.seed);
    this.faultInjector = new FaultInjector(options.seed);
  }

  get defaultRegion(): string {
    return this.options.defaultRegion;
  }

  get timing(): Readonly<EmulatorTiming> {
    return this.options.timing;
  }

  now(): number {
    return this.options.clock();
  }

  addInstances(request: AddInstancesRequest = {}): InstanceView[] {
    const now = this.now();
    const region = request.region ?? this.options.defaultRegion;
    const state = request.state ?? 'running';
    const launchedAt =
      request.launchedAt?.getTime() ?? (state === 'pending' ? now : now - DEFAULT_UPTIME_MS);
    const tags = new Map(Object.entries(request.tags ?? {}));
    if (request.name !== undefined) {
      tags.set('Name', request.name);
    }
    if (
      request.instanceId !== undefined &&
      ((request.count ?? 1) !== 1 || this.byId.has(request.instanceId))
    ) {
      throw new InstanceIdTakenError(request.instanceId);
    }
    const reservationId = `r-${this.random.hex(17)}`;
    const views: InstanceView[] = [];
    for (let index = 0; index < (request.count ?? 1); index += 1) {
      const instance = this.createInstance(region, {
        instanceId: request.instanceId,
        reservationId,
        launchIndex: index,
        imageId: request.imageId ?? EMULATOR_IMAGE_ID,
        instanceType: request.instanceType ?? DEFAULT_INSTANCE_TYPE,
        tags: new Map(tags),
        clientToken: undefined,
        subnetId: undefined,
        keyName: undefined,
        launchTime: launchedAt,
        curves: { cpu: request.cpuCurve, memory: request.memoryCurve },
      });
      if (state === 'running') {
        enterState(instance, 'running', launchedAt);
      } else if (state !== 'pending') {
        transition(instance, state, now, 'forced');
      }
      views.push(this.view(instance));
    }
    return views;
  }

  getInstance(instanceId: string): InstanceView | undefined {
    const instance = this.lookup(instanceId);
    return instance && this.view(instance);
  }

  listInstances(filter: { region?: string; state?: InstanceStateName } = {}): InstanceView[] {
    const regions = filter.region === undefined ? [...this.regions.keys()] : [filter.region];
    return regions
      .flatMap((region) => this.instancesIn(region))
      .filter((instance) => filter.state === undefined || instance.state === filter.state)
      .map((instance) => this.view(instance));
  }

  /** Puts the instance in `state` now, as if AWS did it (a transient state then moves on). */
  setState(instanceId: string, state: InstanceStateName): InstanceView {
    const instance = this.require(instanceId);
    if (instance.state !== state) {
      transition(instance, state, this.now(), 'forced');
    }
    return this.view(instance);
  }

  setStatusChecks(instanceId: string, checks: StatusChecksRequest): InstanceView {
    const instance = this.require(instanceId);
    const since = this.now();
    for (const kind of ['system', 'instance'] as const) {
      const status = checks[kind];
      if (status === 'auto') {
        delete instance.forcedChecks[kind];
      } else if (status !== undefined) {
        instance.forcedChecks[kind] = { status, since };
      }
    }
    return this.view(instance);
  }

  setNextMetrics(instanceId: string, metrics: NextMetricsRequest): InstanceView {
    const instance = this.require(instanceId);
    const since = this.now();
    for (const kind of ['cpu', 'memory'] as const) {
      const value = metrics[kind];
      if (value === null) {
        delete instance.metricOverrides[kind];
      } else if (value !== undefined) {
        instance.metricOverrides[kind] = { value, since };
      }
    }
    return this.view(instance);
  }

  /** Sets the fault rule of one action (or `*`); returns every rule in force. */
  setFaults(spec: FaultSpec): FaultRule[] {
    return this.faultInjector.set(spec);
  }

  faults(): FaultRule[] {
    return this.faultInjector.list();
  }

  clearFaults(): void {
    this.faultInjector.clear();
  }

  callCounts(): CallCounts {
    return this.calls.snapshot();
  }

  callCount(region: string, action: string): number {
    return this.calls.count(region, action);
  }

  resetCallCounts(): void {
    this.calls.reset();
  }

  /**
   * The CML controller of a known instance, whatever its state, made on first use: what the
   * control API shapes. Its API answers only while the instance runs (see `cmlHost`).
   */
  cml(instanceId: string): EmulatedCml {
    this.require(instanceId);
    let controller = this.controllers.get(instanceId);
    if (!controller) {
      controller = new EmulatedCml(
        instanceId,
        hashString(`${this.options.seed}:cml:${instanceId}`),
        this.options.clock,
        this.options.cml,
      );
      this.controllers.set(instanceId, controller);
    }
    return controller;
  }

  /**
   * The instance with its controller while the controller answers: the instance runs and the
   * control API has not made the controller unavailable.
   */
  cmlHost(instanceId: string): CmlHost | undefined {
    const instance = this.lookup(instanceId);
    if (instance?.state !== 'running') {
      return undefined;
    }
    const controller = this.cml(instanceId);
    return controller.available ? { controller, instance } : undefined;
  }

  /** Forgets every instance, controller, fault and count, and restarts the ids from the seed. */
  reset(): void {
    this.regions.clear();
    this.byId.clear();
    this.controllers.clear();
    this.sequence = 0;
    this.random = new SeededRandom(this.options.seed);
    this.faultInjector.clear();
    this.calls.reset();
  }

  recordCall(region: string, action: string): void {
    this.calls.record(region, action);
  }

  decideFault(action: string): FaultDecision {
    return this.faultInjector.decide(action);
  }

  /** The instance as EC2 in `region` sees it now, or undefined if EC2 there does not know it. */
  find(region: string, instanceId: string): EmulatedInstance | undefined {
    const instance = this.lookup(instanceId);
    return instance?.region === region ? instance : undefined;
  }

  /** Every instance EC2 in `region` still shows, in creation order. */
  instancesIn(region: string): EmulatedInstance[] {
    const state = this.regions.get(region);
    if (!state) {
      return [];
    }
    const now = this.now();
    const visible: EmulatedInstance[] = [];
    for (const instance of state.instances.values()) {
      settle(instance, now, this.options.timing);
      if (isGone(instance, now, this.options.timing)) {
        this.forget(instance);
      } else {
        visible.push(instance);
      }
    }
    return visible;
  }

  /**
   * The instances for `ids`, or `InvalidInstanceID.NotFound` naming every unknown one: those
   * EC2 does not have, and those `known` says it does not know yet.
   */
  requireAll(
    region: string,
    instanceIds: readonly string[],
    known: (instance: EmulatedInstance) => boolean = () => true,
  ): EmulatedInstance[] {
    const found: EmulatedInstance[] = [];
    const missing: string[] = [];
    for (const instanceId of instanceIds) {
      const instance = this.find(region, instanceId);
      if (instance && known(instance)) {
        found.push(instance);
      } else {
        missing.push(instanceId);
      }
    }
    if (missing.length > 0) {
      throw notFound(missing);
    }
    return found;
  }

  launch(region: string, request: LaunchRequest): Launch {
    const tokens = this.regionState(region).clientTokens;
    const previous =
      request.clientToken === undefined ? undefined : tokens.get(request.clientToken);
    if (previous) {
      if (previous.fingerprint !== request.fingerprint) {
        throw new AwsServiceError(
          'IdempotentParameterMismatch',
          `The client token '${request.clientToken ?? ''}' was already used with different parameters.`,
        );
      }
      const instances = previous.instanceIds.flatMap((id) => this.find(region, id) ?? []);
      return { reservationId: previous.reservationId, instances };
    }
    if (request.minCount > INSTANCE_LIMIT_PER_LAUNCH) {
      throw new AwsServiceError(
        'InstanceLimitExceeded',
        `You have requested more instances (${request.minCount}) than your current instance limit of ${INSTANCE_LIMIT_PER_LAUNCH} allows for the specified instance type.`,
      );
    }
    const now = this.now();
    const reservationId = `r-${this.random.hex(17)}`;
    const count = Math.min(request.maxCount, INSTANCE_LIMIT_PER_LAUNCH);
    const instances: EmulatedInstance[] = [];
    for (let index = 0; index < count; index += 1) {
      instances.push(
        this.createInstance(region, {
          reservationId,
          launchIndex: index,
          imageId: request.imageId,
          instanceType: request.instanceType,
          tags: new Map(request.tags),
          clientToken: request.clientToken,
          subnetId: request.subnetId,
          keyName: request.keyName,
          launchTime: now,
          curves: {},
        }),
      );
    }
    if (request.clientToken !== undefined) {
      tokens.set(request.clientToken, {
        fingerprint: request.fingerprint,
        reservationId,
        instanceIds: instances.map((instance) => instance.instanceId),
      });
    }
    return { reservationId, instances };
  }

  /**
   * Applies a lifecycle action to every instance, or to none: like EC2, one instance in a
   * state the action cannot leave fails the whole call with `IncorrectInstanceState`.
   */
  apply(region: string, action: LifecycleAction, instanceIds: readonly string[]): StateChange[] {
    const instances = this.requireAll(region, instanceIds);
    const outcomes = instances.map((instance) => {
      const outcome = actionOutcome(action, instance.state);
      if (outcome === 'refused') {
        throw new AwsServiceError(
          'IncorrectInstanceState',
          `The instance '${instance.instanceId}' is not in a state from which it can be ${ACTION_VERBS[action]}.`,
        );
      }
      return { instance, outcome };
    });
    const now = this.now();
    return outcomes.map(({ instance, outcome }) => {
      const previous = instance.state;
      if (action === 'reboot') {
        instance.checksSince = now;
      } else if (outcome !== 'unchanged') {
        transition(instance, outcome, now, 'user');
      }
      return { instance, previous, current: instance.state };
    });
  }

  statusChecks(instance: EmulatedInstance): StatusChecks {
    return statusChecks(instance, this.now(), this.options.timing);
  }

  private lookup(instanceId: string): EmulatedInstance | undefined {
    const instance = this.byId.get(instanceId);
    if (!instance) {
      return undefined;
    }
    const now = this.now();
    settle(instance, now, this.options.timing);
    if (isGone(instance, now, this.options.timing)) {
      this.forget(instance);
      return undefined;
    }
    return instance;
  }

  private require(instanceId: string): EmulatedInstance {
    const instance = this.lookup(instanceId);
    if (!instance) {
      throw new UnknownInstanceError(instanceId);
    }
    return instance;
  }

  private forget(instance: EmulatedInstance): void {
    this.byId.delete(instance.instanceId);
    this.controllers.delete(instance.instanceId);
    this.regions.get(instance.region)?.instances.delete(instance.instanceId);
  }

  private regionState(region: string): RegionState {
    let state = this.regions.get(region);
    if (!state) {
      state = { instances: new Map(), clientTokens: new Map() };
      this.regions.set(region, state);
    }
    return state;
  }

  private createInstance(
    region: string,
    fields: {
      reservationId: string;
      launchIndex: number;
      imageId: string;
      instanceType: string;
      tags: Map<string, string>;
      instanceId?: string;
      clientToken: string | undefined;
      subnetId: string | undefined;
      keyName: string | undefined;
      launchTime: number;
      curves: Partial<Record<MetricKind, Partial<MetricCurve> | undefined>>;
    },
  ): EmulatedInstance {
    let instanceId = fields.instanceId ?? `i-${this.random.hex(17)}`;
    while (this.byId.has(instanceId)) {
      instanceId = `i-${this.random.hex(17)}`;
    }
    const sequence = this.sequence++;
    const seed = hashString(`${this.options.seed}:${instanceId}`);
    // AWS keeps the first addresses of a subnet for itself.
    const host = sequence + 4;
    const instance: EmulatedInstance = {
      instanceId,
      region,
      sequence,
      reservationId: fields.reservationId,
      imageId: fields.imageId,
      instanceType: fields.instanceType,
      launchIndex: fields.launchIndex,
      availabilityZone: `${region}${'abc'[seed % 3] ?? 'a'}`,
      privateIpAddress: `10.${(host >> 16) & 255}.${(host >> 8) & 255}.${host & 255}`,
      clientToken: fields.clientToken,
      subnetId: fields.subnetId,
      keyName: fields.keyName,
      tags: fields.tags,
      seed,
      curves: {
        cpu: { ...seededCurve('cpu', seed), ...fields.curves.cpu },
        memory: { ...seededCurve('memory', seed), ...fields.curves.memory },
      },
      createdAt: fields.launchTime,
      launchTime: fields.launchTime,
      state: 'pending',
      stateSince: fields.launchTime,
      transitionReason: '',
      stateReason: undefined,
      runningIntervals: [],
      checksSince: fields.launchTime,
      forcedChecks: {},
      metricOverrides: {},
    };
    this.regionState(region).instances.set(instanceId, instance);
    this.byId.set(instanceId, instance);
    return instance;
  }

  private view(instance: EmulatedInstance): InstanceView {
    const checks = this.statusChecks(instance);
    return {
      instanceId: instance.instanceId,
      region: instance.region,
      state: instance.state,
      stateCode: STATE_CODES[instance.state],
      instanceType: instance.instanceType,
      imageId: instance.imageId,
      name: instance.tags.get('Name') ?? null,
      tags: Object.fromEntries(instance.tags),
      launchTime: new Date(instance.launchTime).toISOString(),
      availabilityZone: instance.availabilityZone,
      privateIpAddress: instance.privateIpAddress,
      statusChecks: { system: checks.system.status, instance: checks.instance.status },
      nextMetrics: {
        cpu: instance.metricOverrides.cpu?.value ?? null,
        memory: instance.metricOverrides.memory?.value ?? null,
      },
    };
  }
}

function notFound(instanceIds: readonly string[]): AwsServiceError {
  const quoted = instanceIds.join(', ');
  return new AwsServiceError(
    'InvalidInstanceID.NotFound',
    instanceIds.length === 1
      ? `The instance ID '${quoted}' does not exist`
      : `The instance IDs '${quoted}' do not exist`,
  );
}
