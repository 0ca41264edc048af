import { computed, signal } from '@preact/signals';
import type { WorkerStatus } from '../generated/graphql';
import { firingByWorker, workerIds, workerSignal, type WorkerView } from './fleet';

export type SortKey = 'name' | 'cpu' | 'memory' | 'status';

export const statusFilter = signal<WorkerStatus | ''>('');
export const regionFilter = signal('');
export const nameFilter = signal('');
/** Terminated workers are history, not fleet: listed only when asked for. */
export const showTerminated = signal(false);
export const sortKey = signal<SortKey>('name');
export const sortDescending = signal(false);

/** The order a fleet operator reads statuses in: what needs a look first. */
const STATUS_ORDER: Record<WorkerStatus, number> = {
  UNKNOWN: 0,
  STOPPING: 1,
  SHUTTING_DOWN: 2,
  PENDING: 3,
  STOPPED: 4,
  RUNNING: 5,
  TERMINATED: 6,
};

/**
 * Names as people count them (worker-2 before worker-10). One collator for every comparison:
 * localeCompare with options builds one per call, 200 ms a sort of 1,000 workers.
 */
const collator = new Intl.Collator(undefined, { numeric: true });

const byName = (a: WorkerView, b: WorkerView) =>
  collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Unknown values sort last whichever the direction. */
function byNumber(value: (worker: WorkerView) => number | null | undefined, descending: boolean) {
  return (a: WorkerView, b: WorkerView) => {
    const left = value(a);
    const right = value(b);
    if (left === right || (left == null && right == null)) {
      return byName(a, b);
    }
    if (left == null) {
      return 1;
    }
    if (right == null) {
      return -1;
    }
    return descending ? right - left : left - right;
  };
}

function comparator(key: SortKey, descending: boolean) {
  switch (key) {
    case 'name':
      return descending ? (a: WorkerView, b: WorkerView) => byName(b, a) : byName;
    case 'cpu':
      return byNumber((worker) => worker.cpuUtilization, descending);
    case 'memory':
      return byNumber((worker) => worker.memoryUtilization, descending);
    case 'status':
      return byNumber((worker) => STATUS_ORDER[worker.status], descending);
  }
}

const allWorkers = computed(() =>
  workerIds.value.flatMap((id) => {
    const worker = workerSignal(id)?.value;
    return worker ? [worker] : [];
  }),
);

let lastRegions: readonly string[] = [];

/** The regions of the fleet; the same array while they stay, so the filters do not re-render. */
export const regions = computed(() => {
  const current = [...new Set(allWorkers.value.map((worker) => worker.awsRegion))].sort();
  if (
    current.length !== lastRegions.length ||
    current.some((region, i) => region !== lastRegions[i])
  ) {
    lastRegions = current;
  }
  return lastRegions;
});

let lastShown: readonly string[] = [];

/**
 * The ids to list, filtered and sorted. The same array comes back while the order stays, so the
 * list re-renders only when rows move; each row follows its own worker's signal.
 */
export const shownWorkerIds = computed(() => {
  const status = statusFilter.value;
  const region = regionFilter.value;
  const name = nameFilter.value.trim().toLowerCase();
  // Asking for the TERMINATED status asks for them too.
  const terminated = showTerminated.value || status === 'TERMINATED';
  const matching = allWorkers.value.filter(
    (worker) =>
      (terminated || worker.status !== 'TERMINATED') &&
      (status === '' || worker.status === status) &&
      (region === '' || worker.awsRegion === region) &&
      (name === '' || worker.name.toLowerCase().includes(name)),
  );
  const compare = comparator(sortKey.value, sortDescending.value);
  // Most updates move no row: checking the last order costs n comparisons, sorting n log n.
  if (stillInOrder(matching, compare)) {
    return lastShown;
  }
  lastShown = matching.sort(compare).map((worker) => worker.id);
  return lastShown;
});

/** Whether `workers` are exactly the ones last shown, and still in the order shown. */
function stillInOrder(
  workers: readonly WorkerView[],
  compare: (a: WorkerView, b: WorkerView) => number,
): boolean {
  if (workers.length !== lastShown.length) {
    return false;
  }
  const byId = new Map(workers.map((worker) => [worker.id, worker]));
  let previous: WorkerView | undefined;
  for (const id of lastShown) {
    const worker = byId.get(id);
    if (!worker || (previous && compare(previous, worker) > 0)) {
      return false;
    }
    previous = worker;
  }
  return true;
}

/** The fleet's counters; terminated workers are only counted, in `terminated`. */
export const summary = computed(() => {
  const counts = { total: 0, running: 0, stopped: 0, alerting: 0, pollErrors: 0, terminated: 0 };
  const alerting = firingByWorker.value;
  for (const worker of allWorkers.value) {
    if (worker.status === 'TERMINATED') {
      counts.terminated += 1;
      continue;
    }
    counts.total += 1;
    counts.running += worker.status === 'RUNNING' ? 1 : 0;
    counts.stopped += worker.status === 'STOPPED' ? 1 : 0;
    counts.alerting += alerting.has(worker.id) ? 1 : 0;
    counts.pollErrors += worker.pollError ? 1 : 0;
  }
  return counts;
});

/** Apart from `summary`, so that the filters re-render only when this number changes. */
export const terminatedCount = computed(() => summary.value.terminated);

export function sortBy(key: SortKey): void {
  if (sortKey.value === key) {
    sortDescending.value = !sortDescending.value;
  } else {
    sortKey.value = key;
    // Names read A to Z; loads and statuses worst first.
    sortDescending.value = key === 'cpu' || key === 'memory';
  }
}
