import { signal } from '@preact/signals';
import { messageOf, request } from '../api/graphql';
import {
  DashboardWorkerDetailDocument,
  type AlertRowFragment,
  type DashboardWorkerDetailQuery,
} from '../generated/graphql';
import { cmlAfterSample, sameCml, type LiveSample } from './cml';
import { mergePoints, toPoint, type Point } from './fleet';

export type DetailWorker = NonNullable<DashboardWorkerDetailQuery['worker']>;
export type DetailAlert = DetailWorker['alerts'][number];

export const RANGES = { '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000 } as const;
export type RangeKey = keyof typeof RANGES;

export interface DetailState {
  workerId: string;
  range: RangeKey;
  loading: boolean;
  error: string | null;
  worker: DetailWorker | null;
  /** Samples over the range, oldest first, fetched then kept up live. */
  points: readonly Point[];
}

export const detail = signal<DetailState | null>(null);

/** Room for a sample per minute over a day, beyond which the charts need no more. */
const SAMPLES_MAX = 1000;
/** Deliveries of a fresh alert are made by a job a moment later; a burst of events is one reload. */
const RELOAD_SETTLE_MS = 1_500;

let loadSequence = 0;
let reloadTimer: ReturnType<typeof setTimeout> | undefined;

export async function openDetail(workerId: string, range: RangeKey = '1h'): Promise<void> {
  const current = detail.value;
  const sameWorker = current?.workerId === workerId;
  detail.value = {
    workerId,
    range,
    loading: true,
    error: null,
    worker: sameWorker ? current.worker : null,
    points: sameWorker && current.range === range ? current.points : [],
  };
  await loadDetail();
}

export function closeDetail(): void {
  loadSequence += 1;
  clearTimeout(reloadTimer);
  detail.value = null;
}

async function loadDetail(): Promise<void> {
  const state = detail.value;
  if (!state) {
    return;
  }
  const sequence = ++loadSequence;
  const since = new Date(Date.now() - RANGES[state.range]).toISOString();
  try {
    const { worker } = await request(DashboardWorkerDetailDocument, {
      id: state.workerId,
      since,
      limit: SAMPLES_MAX,
    });
    if (sequence !== loadSequence || !detail.value) {
      return;
    }
    const fetched = (worker?.metrics ?? []).map(toPoint);
    detail.value = {
      ...detail.value,
      loading: false,
      error: worker ? null : 'No such worker: it may have been removed.',
      worker,
      points: mergePoints(detail.value.points, fetched, RANGES[state.range]),
    };
  } catch (error) {
    if (sequence === loadSequence && detail.value) {
      detail.value = {
        ...detail.value,
        loading: false,
        error: messageOf(error),
      };
    }
  }
}

function reloadSoon(): void {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void loadDetail(), RELOAD_SETTLE_MS);
}

/** What the live connection tells the open detail, if it is about its worker. */
export const detailEvents = {
  sample(sample: LiveSample): void {
    const state = detail.value;
    if (state?.workerId !== sample.workerId) {
      return;
    }
    detail.value = {
      ...state,
      points: mergePoints(state.points, [toPoint(sample)], RANGES[state.range]),
    };
    // Samples carry the CML counts only: the labs, version and license behind them are fetched.
    const cml = state.worker?.cml;
    if (cml && !sameCml(cml, cmlAfterSample(cml, sample))) {
      reloadSoon();
    }
  },
  alert(alert: AlertRowFragment): void {
    const state = detail.value;
    if (state?.workerId !== alert.workerId || !state.worker) {
      return;
    }
    const known = state.worker.alerts.find((existing) => existing.id === alert.id);
    const merged: DetailAlert = { ...alert, deliveries: known?.deliveries ?? [] };
    const alerts = known
      ? state.worker.alerts.map((existing) => (existing.id === alert.id ? merged : existing))
      : [merged, ...state.worker.alerts];
    detail.value = { ...state, worker: { ...state.worker, alerts } };
    reloadSoon();
  },
  /** A silence was made or ended: any of the worker's alerts may be silenced, or no longer. */
  silencesChanged(): void {
    if (detail.value) {
      reloadSoon();
    }
  },
};
