import type { MetricCurve } from './metric-curves';

export const INSTANCE_STATES = [
  'pending',
  'running',
  'shutting-down',
  'terminated',
  'stopping',
  'stopped',
] as const;

export type InstanceStateName = (typeof INSTANCE_STATES)[number];

/** The codes EC2 puts next to each state name (the low byte of its 16-bit state code). */
export const STATE_CODES: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** How long the emulated EC2 takes for each transition, in milliseconds. */
export interface EmulatorTiming {
  pendingToRunningMs: number;
  stoppingToStoppedMs: number;
  shuttingDownToTerminatedMs: number;
  /** How long status checks say `initializing` once an instance runs (or reboots). */
  initializingChecksMs: number;
  /** How long a terminated instance stays visible before EC2 forgets it (AWS: about an hour). */
  terminatedVisibleForMs: number;
}

/** Short enough that a demo feels live, long enough that the transient states can be seen. */
export const DEFAULT_TIMING: Readonly<EmulatorTiming> = {
  pendingToRunningMs: 5_000,
  stoppingToStoppedMs: 5_000,
  shuttingDownToTerminatedMs: 5_000,
  initializingChecksMs: 20_000,
  terminatedVisibleForMs: 60 * 60_000,
};

export type CheckStatus =
  'ok' | 'impaired' | 'initializing' | 'insufficient-data' | 'not-applicable';

/** A check result forced through the control API, with the time it was forced. */
export interface ForcedCheck {
  status: 'ok' | 'impaired' | 'insufficient-data';
  since: number;
}

export interface MetricOverride {
  value: number;
  since: number;
}

export interface StateReason {
  code: string;
  message: string;
}

/** One span of time the instance spent running; `to` is undefined while it still runs. */
export interface RunningInterval {
  from: number;
  to: number | undefined;
}

/** The emulator's record of one instance. States advance lazily, from timestamps. */
export interface EmulatedInstance {
  readonly instanceId: string;
  readonly region: string;
  /** Creation order, which listing and pagination follow. */
  readonly sequence: number;
  readonly reservationId: string;
  readonly imageId: string;
  readonly instanceType: string;
  readonly launchIndex: number;
  readonly availabilityZone: string;
  readonly privateIpAddress: string;
  readonly clientToken: string | undefined;
  readonly subnetId: string | undefined;
  readonly keyName: string | undefined;
  readonly tags: Map<string, string>;
  readonly seed: number;
  readonly curves: { cpu: MetricCurve; memory: MetricCurve };
  /** When EC2 first launched it; `launchTime` moves on with every start. */
  readonly createdAt: number;
  launchTime: number;
  state: InstanceStateName;
  stateSince: number;
  transitionReason: string;
  stateReason: StateReason | undefined;
  runningIntervals: RunningInterval[];
  /** When the status checks last started over (entering running, or a reboot). */
  checksSince: number;
  forcedChecks: { system?: ForcedCheck; instance?: ForcedCheck };
  metricOverrides: { cpu?: MetricOverride; memory?: MetricOverride };
}

const SETTLES_INTO: Partial<
  Record<InstanceStateName, { next: InstanceStateName; after: keyof EmulatorTiming }>
> = {
  pending: { next: 'running', after: 'pendingToRunningMs' },
  stopping: { next: 'stopped', after: 'stoppingToStoppedMs' },
  'shutting-down': { next: 'terminated', after: 'shuttingDownToTerminatedMs' },
};

/** Moves a transient state on if its delay has passed, as of the time it would have happened. */
export function settle(instance: EmulatedInstance, now: number, timing: EmulatorTiming): void {
  const rule = SETTLES_INTO[instance.state];
  if (!rule) {
    return;
  }
  const at = instance.stateSince + timing[rule.after];
  if (now >= at) {
    enterState(instance, rule.next, at);
  }
}

export function enterState(instance: EmulatedInstance, state: InstanceStateName, at: number): void {
  if (instance.state === 'running' && state !== 'running') {
    const current = instance.runningIntervals.at(-1);
    if (current && current.to === undefined) {
      current.to = at;
    }
    instance.forcedChecks = {};
  }
  if (state === 'running' && instance.state !== 'running') {
    instance.runningIntervals.push({ from: at, to: undefined });
    instance.checksSince = at;
    instance.transitionReason = '';
    instance.stateReason = undefined;
  }
  instance.state = state;
  instance.stateSince = at;
}

export function isGone(instance: EmulatedInstance, now: number, timing: EmulatorTiming): boolean {
  return (
    instance.state === 'terminated' && now >= instance.stateSince + timing.terminatedVisibleForMs
  );
}

export function wasRunningAt(instance: EmulatedInstance, time: number): boolean {
  return instance.runningIntervals.some(
    (interval) => interval.from <= time && (interval.to === undefined || time < interval.to),
  );
}

export type LifecycleAction = 'start' | 'stop' | 'reboot' | 'terminate';

/**
 * What each EC2 action does from each state: the state it moves to, `unchanged` when EC2
 * answers without doing anything, or `refused` for `IncorrectInstanceState`.
 */
const ACTION_RULES: Readonly<
  Record<
    LifecycleAction,
    Readonly<Record<InstanceStateName, InstanceStateName | 'unchanged' | 'refused'>>
  >
> = {
  start: {
    pending: 'unchanged',
    running: 'unchanged',
    stopping: 'refused',
    stopped: 'pending',
    'shutting-down': 'refused',
    terminated: 'refused',
  },
  stop: {
    pending: 'refused',
    running: 'stopping',
    stopping: 'unchanged',
    stopped: 'unchanged',
    'shutting-down': 'refused',
    terminated: 'refused',
  },
  reboot: {
    pending: 'refused',
    running: 'unchanged',
    stopping: 'refused',
    stopped: 'refused',
    'shutting-down': 'refused',
    terminated: 'refused',
  },
  terminate: {
    pending: 'shutting-down',
    running: 'shutting-down',
    stopping: 'shutting-down',
    stopped: 'shutting-down',
    'shutting-down': 'unchanged',
    terminated: 'unchanged',
  },
};

export function actionOutcome(
  action: LifecycleAction,
  state: InstanceStateName,
): InstanceStateName | 'unchanged' | 'refused' {
  return ACTION_RULES[action][state];
}

export const ACTION_VERBS: Readonly<Record<LifecycleAction, string>> = {
  start: 'started',
  stop: 'stopped',
  reboot: 'rebooted',
  terminate: 'terminated',
};

/** Who moved the instance: a caller of the EC2 API, or the control API acting as AWS. */
export type Initiator = 'user' | 'forced';

/**
 * Moves the instance to `state` at `at`, recording why the way EC2 does: a start gets a new
 * launch time and forgets why the instance stopped; a stop or termination says who asked.
 */
export function transition(
  instance: EmulatedInstance,
  state: InstanceStateName,
  at: number,
  initiator: Initiator,
): void {
  if (state === 'pending') {
    instance.launchTime = at;
    instance.transitionReason = '';
    instance.stateReason = undefined;
  } else if (state !== 'running') {
    const stamp = new Date(at).toISOString().replace('T', ' ').slice(0, 19);
    instance.transitionReason = `${initiator === 'user' ? 'User' : 'Server'} initiated (${stamp} GMT)`;
    instance.stateReason = initiator === 'user' ? USER_SHUTDOWN : FORCED_REASONS[state];
  }
  enterState(instance, state, at);
}

const USER_SHUTDOWN: StateReason = {
  code: 'Client.UserInitiatedShutdown',
  message: 'Client.UserInitiatedShutdown: User initiated shutdown',
};

const INSTANCE_SHUTDOWN: StateReason = {
  code: 'Client.InstanceInitiatedShutdown',
  message: 'Client.InstanceInitiatedShutdown: Instance initiated shutdown',
};

const INTERNAL_ERROR: StateReason = {
  code: 'Server.InternalError',
  message: 'Server.InternalError: Internal error',
};

/** A forced stop looks like a shutdown from inside the instance; a forced termination, like a host failure. */
const FORCED_REASONS: Readonly<Partial<Record<InstanceStateName, StateReason>>> = {
  stopping: INSTANCE_SHUTDOWN,
  stopped: INSTANCE_SHUTDOWN,
  'shutting-down': INTERNAL_ERROR,
  terminated: INTERNAL_ERROR,
};
