import { computed, signal } from '@preact/signals';
import type { WorkerStatus } from '../generated/graphql';
import { firingByWorker, workerIds, workerSignal, type WorkerView } from './fleet';

export type SortKey = 'name' | 'cpu' | 'memory' | 'status';

export const statusFilter = signal<WorkerStatus | ''>('');
export const regionFilter = signal('');
export const nameFilter = signal('');
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

const byName = (a: WorkerView, b: WorkerView) =>
  a.name.localeCompare(b.name, undefined, { numeric: true }) || a.id.localeCompare(b.id);

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

export const regions = computed(() =>
  [...new Set(allWorkers.value.map((w) => w.awsRegion))].sort(),
);

let lastShown: readonly string[] = [];

/**
 * The ids to list, filtered and sorted. The same array comes back while the order stays, so the
 * list re-renders only when rows move; each row follows its own worker's signal.
 */
export const shownWorkerIds = computed(() => {
  const status = statusFilter.value;
  const region = regionFilter.value;
  const name = nameFilter.value.trim().toLowerCase();
  const shown = allWorkers.value
    .filter(
      (worker) =>
        (status === '' || worker.status === status) &&
        (region === '' || worker.awsRegion === region) &&
        (name === '' || worker.name.toLowerCase().includes(name)),
    )
    .sort(comparator(sortKey.value, sortDescending.value))
    .map((worker) => worker.id);
  if (shown.length === lastShown.length && shown.every((id, index) => id === lastShown[index])) {
    return lastShown;
  }
  lastShown = shown;
  return shown;
});

export const summary = computed(() => {
  const counts = { total: 0, running: 0, stopped: 0, alerting: 0, pollErrors: 0 };
  const alerting = firingByWorker.value;
  for (const worker of allWorkers.value) {
    counts.total += 1;
    counts.running += worker.status === 'RUNNING' ? 1 : 0;
    counts.stopped += worker.status === 'STOPPED' ? 1 : 0;
    counts.alerting += alerting.has(worker.id) ? 1 : 0;
    counts.pollErrors += worker.pollError ? 1 : 0;
  }
  return counts;
});

export function sortBy(key: SortKey): void {
  if (sortKey.value === key) {
    sortDescending.value = !sortDescending.value;
  } else {
    sortKey.value = key;
    // Names read A to Z; loads and statuses worst first.
    sortDescending.value = key === 'cpu' || key === 'memory';
  }
}
