import type { Alert } from '../../entities/alert.entity';
import { AlertKind, AlertSeverity, WorkerAction } from '../../entities/alert.enums';
import { CmlServiceStatus } from '../../entities/cml.types';
import { CheckStatus, WorkerStatus } from '../../entities/worker-status.enum';

/** The rules as configured (see README, "Alerts"). */
export interface AlertRules {
  /** Consecutive samples above the threshold before CPU_HIGH / MEMORY_HIGH fire. */
  forSamples: number;
  /** A firing value alert resolves below its threshold minus this many points. */
  hysteresis: number;
  /** CPU at or above this (percent) counts as activity; below it, a worker is idle. */
  idleCpuThreshold: number;
  /** How long a running worker must stay idle to raise IDLE; undefined: never. */
  idleAfterMs: number | undefined;
  /** A lifecycle call older than this no longer explains a transition. */
  requestTtlMs: number;
  /** A valid CML license expiring within this raises LICENSE_EXPIRING. */
  licenseWarningMs: number;
}

/** What the evaluator keeps per worker between samples. */
export interface WorkerAlertState {
  cpuHighStreak: number;
  memoryHighStreak: number;
  /** Consecutive polls of a running instance with passing checks whose controller failed. */
  cmlFailureStreak: number;
  lastActivityAt: Date | null;
}

/** What a poll knows of the worker's CML controller. */
export interface CmlFacts {
  status: CmlServiceStatus;
  error: string | null;
  /** This poll's counts; null when the controller was not read. */
  labsRunning: number | null;
  nodesRunning: number | null;
  /** A lab was added, removed, or changed state or content since the last poll that read them. */
  labsChanged: boolean;
  /** The newest license known, read by this poll or an earlier one. */
  license: {
    valid: boolean;
    expiresAt: Date | null;
    registrationStatus: string | null;
    authorizationStatus: string | null;
  } | null;
}

/** No controller was asked (a lifecycle change the registry made, a test's sample). */
export const NO_CML: CmlFacts = {
  status: CmlServiceStatus.UNKNOWN,
  error: null,
  labsRunning: null,
  nodesRunning: null,
  labsChanged: false,
  license: null,
};

export interface OpenAlert {
  id: string;
  kind: AlertKind;
  threshold: number | null;
}

/** One sample of one worker, with what was known of the worker just before it. */
export interface Observation {
  previousStatus: WorkerStatus;
  status: WorkerStatus;
  /**
   * When the worker entered its previous status, or was registered if no transition was seen
   * since: the start of its running time.
   */
  previousTransitionAt: Date | null;
  requested: { action: WorkerAction; at: Date } | null;
  thresholds: { cpu: number; memory: number };
  cpu: number | null;
  memory: number | null;
  systemCheck: CheckStatus | null;
  instanceCheck: CheckStatus | null;
  collectedAt: Date;
  open: readonly OpenAlert[];
  cml: CmlFacts;
}

export interface FireDecision {
  kind: AlertKind;
  severity: AlertSeverity;
  value: number | null;
  threshold: number | null;
  message: string;
  /**
   * Set for a fact rather than a condition: the alert is stored already resolved, with this as
   * its resolution, so it is notified once and is never reminded of nor counted as firing.
   */
  resolution?: string;
}

export interface ResolveDecision {
  alertId: string;
  kind: AlertKind;
  value: number | null;
  reason: string;
}

export interface Decisions {
  fire: FireDecision[];
  resolve: ResolveDecision[];
}

/** States in which a worker's utilization and status checks no longer mean anything. */
const HALTED = new Set([WorkerStatus.STOPPED, WorkerStatus.TERMINATED]);
/** States from which reaching STOPPED means someone stopped the machine. */
const UP = new Set([WorkerStatus.PENDING, WorkerStatus.RUNNING, WorkerStatus.STOPPING]);

const CML_FAILING = new Set([CmlServiceStatus.UNAVAILABLE, CmlServiceStatus.ERROR]);

/** The streaks and last activity after this sample. Missing values leave them as they were. */
export function nextAlertState(
  previous: WorkerAlertState,
  sample: Pick<
    Observation,
    | 'status'
    | 'cpu'
    | 'memory'
    | 'thresholds'
    | 'collectedAt'
    | 'systemCheck'
    | 'instanceCheck'
    | 'cml'
  >,
  rules: Pick<AlertRules, 'idleCpuThreshold'>,
): WorkerAlertState {
  if (sample.status !== WorkerStatus.RUNNING) {
    return {
      cpuHighStreak: 0,
      memoryHighStreak: 0,
      cmlFailureStreak: 0,
      lastActivityAt: previous.lastActivityAt,
    };
  }
  const streak = (current: number, value: number | null, threshold: number) =>
    value === null ? current : value > threshold ? current + 1 : 0;
  const { cml } = sample;
  const checksPass =
    sample.systemCheck === CheckStatus.OK && sample.instanceCheck === CheckStatus.OK;
  const busyCpu = sample.cpu !== null && sample.cpu >= rules.idleCpuThreshold;
  const busyLabs = cml.status === CmlServiceStatus.AVAILABLE && (labsInUse(cml) || cml.labsChanged);
  return {
    cpuHighStreak: streak(previous.cpuHighStreak, sample.cpu, sample.thresholds.cpu),
    memoryHighStreak: streak(previous.memoryHighStreak, sample.memory, sample.thresholds.memory),
    // A booting instance's controller is not up yet: only a healthy machine's failure counts.
    cmlFailureStreak: CML_FAILING.has(cml.status) && checksPass ? previous.cmlFailureStreak + 1 : 0,
    lastActivityAt: busyCpu || busyLabs ? sample.collectedAt : previous.lastActivityAt,
  };
}

function labsInUse(cml: CmlFacts): boolean {
  return (cml.labsRunning ?? 0) > 0 || (cml.nodesRunning ?? 0) > 0;
}

/**
 * Which alerts a sample fires and which it resolves. `state` is the worker's state after this
 * sample (from `nextAlertState`). Pure: the caller stores, publishes and notifies.
 */
export function evaluate(
  observation: Observation,
  state: WorkerAlertState,
  rules: AlertRules,
): Decisions {
  const decisions: Decisions = { fire: [], resolve: [] };
  const open = new Map(observation.open.map((alert) => [alert.kind, alert]));
  const fire = (decision: FireDecision) => {
    if (!open.has(decision.kind)) {
      decisions.fire.push(decision);
    }
  };
  const resolve = (kind: AlertKind, value: number | null, reason: string) => {
    const alert = open.get(kind);
    if (alert) {
      decisions.resolve.push({ alertId: alert.id, kind, value, reason });
      open.delete(kind);
    }
  };

  evaluateTransition(observation, fire, resolve, rules);
  if (HALTED.has(observation.status)) {
    const reason = `worker is ${observation.status.toLowerCase()}`;
    for (const kind of [
      AlertKind.CPU_HIGH,
      AlertKind.MEMORY_HIGH,
      AlertKind.STATUS_CHECK_FAILED,
      AlertKind.IDLE,
      AlertKind.CML_UNAVAILABLE,
    ]) {
      resolve(kind, null, reason);
    }
    return decisions;
  }
  const { thresholds, cpu, memory } = observation;
  evaluateValue(AlertKind.CPU_HIGH, 'CPU', cpu, thresholds.cpu, state.cpuHighStreak);
  evaluateValue(AlertKind.MEMORY_HIGH, 'Memory', memory, thresholds.memory, state.memoryHighStreak);
  evaluateChecks(observation, fire, resolve);
  evaluateCml(observation, state, fire, resolve, rules);
  evaluateLicense(observation, fire, resolve, rules);
  evaluateIdle(observation, state, fire, resolve, rules);
  return decisions;

  function evaluateValue(
    kind: AlertKind,
    label: string,
    value: number | null,
    threshold: number,
    streak: number,
  ) {
    if (value === null || observation.status !== WorkerStatus.RUNNING) {
      return;
    }
    const firing = open.get(kind);
    if (!firing) {
      if (value > threshold && streak >= rules.forSamples) {
        fire({
          kind,
          severity: AlertSeverity.WARNING,
          value,
          threshold,
          message: `${label} at ${percent(value)}, above the ${percent(threshold)} threshold${
            rules.forSamples > 1 ? ` for ${streak} samples` : ''
          }`,
        });
      }
      return;
    }
    const resolveBelow = threshold - rules.hysteresis;
    if (value < resolveBelow) {
      resolve(kind, value, `${label} at ${percent(value)}, below ${percent(resolveBelow)}`);
    } else if (firing.threshold !== threshold && value <= threshold) {
      resolve(
        kind,
        value,
        `${label} at ${percent(value)}, not above the new ${percent(threshold)} threshold`,
      );
    }
  }
}

function evaluateTransition(
  observation: Observation,
  fire: (decision: FireDecision) => void,
  resolve: (kind: AlertKind, value: number | null, reason: string) => void,
  rules: AlertRules,
) {
  const { previousStatus, status } = observation;
  if (previousStatus === status) {
    return;
  }
  const requested = (action: WorkerAction) =>
    observation.requested?.action === action &&
    observation.collectedAt.getTime() - observation.requested.at.getTime() <= rules.requestTtlMs;

  if (status === WorkerStatus.STOPPED && UP.has(previousStatus) && !requested(WorkerAction.STOP)) {
    fire({
      kind: AlertKind.STOPPED_UNEXPECTEDLY,
      severity: AlertSeverity.WARNING,
      value: null,
      threshold: null,
      message: `Stopped without a stop request from this service (was ${previousStatus.toLowerCase()})`,
    });
  }
  if (status === WorkerStatus.RUNNING) {
    resolve(AlertKind.STOPPED_UNEXPECTEDLY, null, 'worker is running again');
  }
  if (status === WorkerStatus.TERMINATED) {
    const ours = requested(WorkerAction.TERMINATE);
    fire({
      kind: AlertKind.TERMINATED,
      severity: ours ? AlertSeverity.INFO : AlertSeverity.CRITICAL,
      value: null,
      threshold: null,
      message: ours
        ? 'Terminated by terminateWorker'
        : 'Terminated without a terminate request from this service',
      resolution: 'an event: a terminated instance does not come back',
    });
    resolve(AlertKind.STOPPED_UNEXPECTEDLY, null, 'worker is terminated');
  }
}

function evaluateChecks(
  { systemCheck, instanceCheck }: Observation,
  fire: (decision: FireDecision) => void,
  resolve: (kind: AlertKind, value: number | null, reason: string) => void,
) {
  const impaired = [
    systemCheck === CheckStatus.IMPAIRED ? 'system' : null,
    instanceCheck === CheckStatus.IMPAIRED ? 'instance' : null,
  ].filter((check): check is string => check !== null);
  if (impaired.length > 0) {
    fire({
      kind: AlertKind.STATUS_CHECK_FAILED,
      severity: AlertSeverity.CRITICAL,
      value: null,
      threshold: null,
      message: `EC2 ${impaired.join(' and ')} status check${impaired.length > 1 ? 's' : ''} impaired`,
    });
  } else if (systemCheck === CheckStatus.OK && instanceCheck === CheckStatus.OK) {
    resolve(AlertKind.STATUS_CHECK_FAILED, null, 'both status checks are OK');
  }
}

function evaluateCml(
  { status, cml }: Observation,
  state: WorkerAlertState,
  fire: (decision: FireDecision) => void,
  resolve: (kind: AlertKind, value: number | null, reason: string) => void,
  rules: AlertRules,
) {
  if (status !== WorkerStatus.RUNNING) {
    return;
  }
  if (cml.status === CmlServiceStatus.AVAILABLE) {
    resolve(AlertKind.CML_UNAVAILABLE, null, 'the CML API answers again');
  } else if (state.cmlFailureStreak >= rules.forSamples) {
    fire({
      kind: AlertKind.CML_UNAVAILABLE,
      severity: AlertSeverity.CRITICAL,
      value: null,
      threshold: null,
      message: `CML API ${cml.status === CmlServiceStatus.ERROR ? 'failing' : 'not answering'} for ${
        state.cmlFailureStreak
      } poll${state.cmlFailureStreak > 1 ? 's' : ''} while EC2 runs the instance: ${cml.error ?? 'no reason given'}`,
    });
  }
}

function evaluateLicense(
  { cml, collectedAt }: Observation,
  fire: (decision: FireDecision) => void,
  resolve: (kind: AlertKind, value: number | null, reason: string) => void,
  rules: AlertRules,
) {
  const { license } = cml;
  if (!license) {
    return;
  }
  if (!license.valid) {
    fire({
      kind: AlertKind.LICENSE_INVALID,
      severity: AlertSeverity.WARNING,
      value: null,
      threshold: null,
      message: `CML license not valid: registration ${license.registrationStatus ?? 'unknown'}, authorization ${
        license.authorizationStatus ?? 'unknown'
      }`,
    });
    resolve(AlertKind.LICENSE_EXPIRING, null, 'the license is no longer valid (LICENSE_INVALID)');
    return;
  }
  resolve(AlertKind.LICENSE_INVALID, null, 'the CML license is registered and in compliance');
  const leftMs = license.expiresAt ? license.expiresAt.getTime() - collectedAt.getTime() : null;
  const days = leftMs === null ? null : Math.max(0, Math.floor(leftMs / 86_400_000));
  if (leftMs !== null && leftMs <= rules.licenseWarningMs) {
    fire({
      kind: AlertKind.LICENSE_EXPIRING,
      severity: AlertSeverity.WARNING,
      value: days,
      threshold: rules.licenseWarningMs / 86_400_000,
      message: `CML license expires in ${days} day${days === 1 ? '' : 's'} (${license.expiresAt?.toISOString().slice(0, 10)})`,
    });
  } else {
    resolve(
      AlertKind.LICENSE_EXPIRING,
      days,
      days === null ? 'the license no longer expires' : `the license expires in ${days} days`,
    );
  }
}

/**
 * Idle means no lab running and no node for WORKER_IDLE_AFTER, CPU low as a second signal; when
 * the controller cannot be asked, CPU alone decides, and the alert says auto-stop does not act.
 */
function evaluateIdle(
  observation: Observation,
  state: WorkerAlertState,
  fire: (decision: FireDecision) => void,
  resolve: (kind: AlertKind, value: number | null, reason: string) => void,
  rules: AlertRules,
) {
  const { cpu, status, collectedAt, cml } = observation;
  if (status !== WorkerStatus.RUNNING) {
    if (status === WorkerStatus.STOPPING || status === WorkerStatus.SHUTTING_DOWN) {
      resolve(AlertKind.IDLE, null, `worker is ${status.toLowerCase().replace('_', ' ')}`);
    }
    return;
  }
  const asked = cml.status === CmlServiceStatus.AVAILABLE;
  if (asked && labsInUse(cml)) {
    resolve(
      AlertKind.IDLE,
      cpu,
      `${cml.labsRunning ?? 0} lab(s) and ${cml.nodesRunning ?? 0} node(s) running, busy again`,
    );
    return;
  }
  if (cpu === null && !asked) {
    return;
  }
  if (cpu !== null && cpu >= rules.idleCpuThreshold) {
    resolve(AlertKind.IDLE, cpu, `CPU at ${percent(cpu)}, busy again`);
    return;
  }
  if (rules.idleAfterMs === undefined) {
    return;
  }
  const runningSince =
    observation.previousStatus === WorkerStatus.RUNNING
      ? (observation.previousTransitionAt ?? collectedAt)
      : collectedAt;
  const idleSince = Math.max(runningSince.getTime(), state.lastActivityAt?.getTime() ?? 0);
  const idleMs = collectedAt.getTime() - idleSince;
  if (idleMs >= rules.idleAfterMs) {
    const cpuLow = `CPU below ${percent(rules.idleCpuThreshold)}`;
    fire({
      kind: AlertKind.IDLE,
      severity: AlertSeverity.INFO,
      value: cpu,
      threshold: rules.idleCpuThreshold,
      message: asked
        ? `Idle: no lab running and ${cpuLow} for ${describeDuration(idleMs)}`
        : `Idle: ${cpuLow} for ${describeDuration(idleMs)}; CML could not be asked, so auto-stop does not act`,
    });
  }
}

/** Whether the alert records an event (see `FireDecision.resolution`): resolved as it fired. */
export function resolvedAsItFired(alert: Pick<Alert, 'startedAt' | 'resolvedAt'>): boolean {
  return alert.resolvedAt !== null && alert.resolvedAt.getTime() === alert.startedAt.getTime();
}

export function percent(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)} %`;
}

function describeDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) {
    return `${Math.round(ms / 1000)} s`;
  }
  if (minutes < 120) {
    return `${minutes} min`;
  }
  return `${(minutes / 60).toFixed(1)} h`;
}
