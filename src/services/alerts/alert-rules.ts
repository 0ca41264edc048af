import type { Alert } from '../../entities/alert.entity';
import { AlertKind, AlertSeverity, WorkerAction } from '../../entities/alert.enums';
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
}

/** What the evaluator keeps per worker between samples. */
export interface WorkerAlertState {
  cpuHighStreak: number;
  memoryHighStreak: number;
  lastActivityAt: Date | null;
}

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

/** The streaks and last activity after this sample. Missing values leave them as they were. */
export function nextAlertState(
  previous: WorkerAlertState,
  sample: Pick<Observation, 'status' | 'cpu' | 'memory' | 'thresholds' | 'collectedAt'>,
  rules: Pick<AlertRules, 'idleCpuThreshold'>,
): WorkerAlertState {
  if (sample.status !== WorkerStatus.RUNNING) {
    return { cpuHighStreak: 0, memoryHighStreak: 0, lastActivityAt: previous.lastActivityAt };
  }
  const streak = (current: number, value: number | null, threshold: number) =>
    value === null ? current : value > threshold ? current + 1 : 0;
  const active = sample.cpu !== null && sample.cpu >= rules.idleCpuThreshold;
  return {
    cpuHighStreak: streak(previous.cpuHighStreak, sample.cpu, sample.thresholds.cpu),
    memoryHighStreak: streak(previous.memoryHighStreak, sample.memory, sample.thresholds.memory),
    lastActivityAt: active ? sample.collectedAt : previous.lastActivityAt,
  };
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
    ]) {
      resolve(kind, null, reason);
    }
    return decisions;
  }
  const { thresholds, cpu, memory } = observation;
  evaluateValue(AlertKind.CPU_HIGH, 'CPU', cpu, thresholds.cpu, state.cpuHighStreak);
  evaluateValue(AlertKind.MEMORY_HIGH, 'Memory', memory, thresholds.memory, state.memoryHighStreak);
  evaluateChecks(observation, fire, resolve);
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

function evaluateIdle(
  observation: Observation,
  state: WorkerAlertState,
  fire: (decision: FireDecision) => void,
  resolve: (kind: AlertKind, value: number | null, reason: string) => void,
  rules: AlertRules,
) {
  const { cpu, status, collectedAt } = observation;
  if (status !== WorkerStatus.RUNNING) {
    if (status === WorkerStatus.STOPPING || status === WorkerStatus.SHUTTING_DOWN) {
      resolve(AlertKind.IDLE, null, `worker is ${status.toLowerCase().replace('_', ' ')}`);
    }
    return;
  }
  if (cpu === null) {
    return;
  }
  if (cpu >= rules.idleCpuThreshold) {
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
    fire({
      kind: AlertKind.IDLE,
      severity: AlertSeverity.INFO,
      value: cpu,
      threshold: rules.idleCpuThreshold,
      message: `Idle: CPU below ${percent(rules.idleCpuThreshold)} for ${describeDuration(idleMs)}`,
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
