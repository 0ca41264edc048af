import { computed, signal, type Signal } from '@preact/signals';
import type {
  AlertRowFragment,
  SamplePointFragment,
  WorkerRowFragment,
  WorkerStatus,
} from '../generated/graphql';
import { cmlAfterSample, type LiveSample } from './cml';

/** One poll of one worker, as the charts draw it. */
export interface Point {
  at: number;
  cpu: number | null;
  memory: number | null;
  status: WorkerStatus;
}

export interface Transition {
  at: number;
  from: WorkerStatus;
  to: WorkerStatus;
}

export interface WorkerView extends WorkerRowFragment {
  /** The last hour of samples, oldest first, for the sparklines. */
  history: readonly Point[];
  /** Status changes announced since the page opened, newest first. */
  transitions: readonly Transition[];
}

export const SPARKLINE_WINDOW_MS = 3_600_000;
const TRANSITIONS_KEPT = 50;

/** One signal per worker, so an event re-renders that worker's row and nothing else. */
const workers = new Map<string, Signal<WorkerView>>();

/** The registered workers, in the order the API lists them. */
export const workerIds = signal<readonly string[]>([]);
const alertsById = signal<ReadonlyMap<string, AlertRowFragment>>(new Map());
export const pollIntervalSeconds = signal(60);

export function workerSignal(id: string): Signal<WorkerView> | undefined {
  return workers.get(id);
}

export const toPoint = (sample: SamplePointFragment): Point => ({
  at: Date.parse(sample.collectedAt),
  cpu: sample.cpuUtilization ?? null,
  memory: sample.memoryUtilization ?? null,
  status: sample.status,
});

/** Puts fetched rows in place, keeping the history and transitions already gathered. */
export function upsertWorkers(rows: readonly WorkerRowFragment[]): void {
  for (const row of rows) {
    const existing = workers.get(row.id);
    if (existing) {
      existing.value = {
        ...row,
        history: existing.value.history,
        transitions: existing.value.transitions,
      };
    } else {
      workers.set(row.id, signal({ ...row, history: [], transitions: [] }));
    }
  }
}

/** The fleet is exactly these workers now: any other was removed meanwhile. */
export function setWorkerIds(ids: readonly string[]): void {
  const kept = new Set(ids);
  for (const id of workers.keys()) {
    if (!kept.has(id)) {
      workers.delete(id);
    }
  }
  workerIds.value = ids;
}

/** Appends the workers not listed yet, while the first pages of a load are arriving. */
export function appendWorkerIds(ids: readonly string[]): void {
  const listed = new Set(workerIds.value);
  const added = ids.filter((id) => !listed.has(id));
  if (added.length > 0) {
    workerIds.value = [...workerIds.value, ...added];
  }
}

/** Workers registered from this page: listed at once, after those listed already. */
export function addWorkers(rows: readonly WorkerRowFragment[]): void {
  upsertWorkers(rows);
  appendWorkerIds(rows.map((row) => row.id));
}

/** A worker removed from this page: no event announces a removal. */
export function forgetWorker(id: string): void {
  setWorkerIds(workerIds.value.filter((listed) => listed !== id));
}

/** Merges fetched samples with those that arrived live while the request was running. */
export function setHistory(workerId: string, samples: readonly SamplePointFragment[]): void {
  const worker = workers.get(workerId);
  if (!worker) {
    return;
  }
  worker.value = {
    ...worker.value,
    history: mergePoints(worker.value.history, samples.map(toPoint)),
  };
}

/** Both sets of points over the last `windowMs`, each poll once, oldest first. */
export function mergePoints(
  current: readonly Point[],
  fetched: readonly Point[],
  windowMs = SPARKLINE_WINDOW_MS,
): Point[] {
  const byTime = new Map<number, Point>();
  for (const point of [...fetched, ...current]) {
    byTime.set(point.at, point);
  }
  const since = Date.now() - windowMs;
  return [...byTime.values()].filter((point) => point.at >= since).sort((a, b) => a.at - b.at);
}

/** A poll's sample: it says the worker was polled, so any earlier poll error is over. */
export function applySample(sample: LiveSample): boolean {
  const worker = workers.get(sample.workerId);
  if (!worker) {
    return false;
  }
  const view = worker.value;
  const point = toPoint(sample);
  // Samples of two processes' polls may arrive out of order: an older one changes nothing.
  if (view.lastPolledAt && Date.parse(view.lastPolledAt) >= point.at) {
    return true;
  }
  const since = point.at - SPARKLINE_WINDOW_MS;
  const history = [...view.history.filter((kept) => kept.at >= since && kept.at < point.at), point];
  worker.value = {
    ...view,
    status: sample.status,
    statusChecks: sample.statusChecks,
    cpuUtilization: sample.cpuUtilization,
    memoryUtilization: sample.memoryUtilization,
    cml: cmlAfterSample(view.cml, sample),
    lastPolledAt: sample.collectedAt,
    pollError: null,
    history,
  };
  return true;
}

export function applyStatusChange(change: {
  workerId: string;
  previousStatus: WorkerStatus;
  status: WorkerStatus;
  changedAt: string;
}): boolean {
  const worker = workers.get(change.workerId);
  if (!worker) {
    return false;
  }
  const at = Date.parse(change.changedAt);
  worker.value = {
    ...worker.value,
    status: change.status,
    lastTransitionAt: change.changedAt,
    transitions: [
      { at, from: change.previousStatus, to: change.status },
      ...worker.value.transitions,
    ].slice(0, TRANSITIONS_KEPT),
  };
  return true;
}

export function applyAlerts(alerts: readonly AlertRowFragment[]): void {
  if (alerts.length === 0) {
    return;
  }
  const next = new Map(alertsById.value);
  for (const alert of alerts) {
    next.set(alert.id, alert);
  }
  alertsById.value = next;
}

/** Replaces every alert in `state` with those fetched; alerts of the other state stay. */
export function setAlertsOfState(
  state: AlertRowFragment['state'],
  alerts: readonly AlertRowFragment[],
): void {
  const next = new Map([...alertsById.value].filter(([, alert]) => alert.state !== state));
  for (const alert of alerts) {
    next.set(alert.id, alert);
  }
  alertsById.value = next;
}

export const firingAlerts = computed(() => {
  const firing = [...alertsById.value.values()].filter((alert) => alert.state === 'FIRING');
  return firing.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      b.startedAt.localeCompare(a.startedAt),
  );
});

export const RESOLVED_SHOWN = 30;

export const resolvedAlerts = computed(() =>
  [...alertsById.value.values()]
    .filter((alert) => alert.state === 'RESOLVED')
    .sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''))
    .slice(0, RESOLVED_SHOWN),
);

export const firingByWorker = computed(() => {
  const byWorker = new Map<string, AlertRowFragment[]>();
  for (const alert of firingAlerts.value) {
    const list = byWorker.get(alert.workerId);
    if (list) {
      list.push(alert);
    } else {
      byWorker.set(alert.workerId, [alert]);
    }
  }
  return byWorker;
});

const SEVERITY_RANK: Record<AlertRowFragment['severity'], number> = {
  INFO: 0,
  WARNING: 1,
  CRITICAL: 2,
};
