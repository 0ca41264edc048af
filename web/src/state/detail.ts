import { signal } from '@preact/signals';
import { messageOf, request } from '../api/graphql';
import {
  DashboardWorkerDetailDocument,
  DashboardWorkerSeriesDocument,
  type AlertRowFragment,
  type DashboardWorkerDetailQuery,
  type DashboardWorkerStatusSubscription,
} from '../generated/graphql';
import { cmlAfterSample, sameCml, type LiveSample } from './cml';
import { addSample, seriesFromAnswer, type Series, type SeriesSample } from './metric-series';
import { mergeTimeline, type TimelineEntry } from './status-timeline';

export type DetailWorker = NonNullable<DashboardWorkerDetailQuery['worker']>;
export type DetailAlert = DetailWorker['alerts'][number];

const HOUR_MS = 3_600_000;
export const RANGES = {
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 168 * HOUR_MS,
};
export type RangeKey = keyof typeof RANGES;
export const RANGE_LABEL: Record<RangeKey, string> = {
  '1h': '1 h',
  '6h': '6 h',
  '24h': '24 h',
  '7d': '7 d',
};

export interface DetailState {
  workerId: string;
  range: RangeKey;
  loading: boolean;
  error: string | null;
  worker: DetailWorker | null;
  /** The range's buckets, fetched then kept up live; null until the first answer. */
  series: Series | null;
  seriesLoading: boolean;
  seriesError: string | null;
  /** Status changes, newest first: those fetched and those announced since. */
  timeline: readonly TimelineEntry[];
  /** The history fetched reaches the registration: nothing older was cut off. */
  timelineComplete: boolean;
}

export const detail = signal<DetailState | null>(null);

/** Status changes fetched; a worker's page shows its recent story, the audit log the rest. */
export const TIMELINE_LIMIT = 50;
/** Deliveries of a fresh alert are made by a job a moment later; a burst of events is one reload. */
const RELOAD_SETTLE_MS = 1_500;

let loadSequence = 0;
let seriesSequence = 0;
let reloadTimer: ReturnType<typeof setTimeout> | undefined;
/** Samples that arrive while the series is asked: counted once its answer is in. */
let samplesWhileLoading: SeriesSample[] = [];

export async function openDetail(workerId: string): Promise<void> {
  const current = detail.value;
  const sameWorker = current?.workerId === workerId;
  detail.value = {
    workerId,
    range: sameWorker ? current.range : '1h',
    loading: true,
    error: null,
    worker: sameWorker ? current.worker : null,
    series: sameWorker ? current.series : null,
    seriesLoading: true,
    seriesError: null,
    timeline: sameWorker ? current.timeline : [],
    timelineComplete: sameWorker ? current.timelineComplete : false,
  };
  await Promise.all([loadDetail(), loadSeries()]);
}

/** Another range: only the charts are fetched again. */
export async function chooseRange(range: RangeKey): Promise<void> {
  const state = detail.value;
  if (!state || state.range === range) {
    return;
  }
  detail.value = { ...state, range, series: null, seriesLoading: true, seriesError: null };
  await loadSeries();
}

export function closeDetail(): void {
  loadSequence += 1;
  seriesSequence += 1;
  clearTimeout(reloadTimer);
  samplesWhileLoading = [];
  detail.value = null;
}

async function loadDetail(): Promise<void> {
  const state = detail.value;
  if (!state) {
    return;
  }
  const sequence = ++loadSequence;
  try {
    const { worker } = await request(DashboardWorkerDetailDocument, {
      id: state.workerId,
      historyLimit: TIMELINE_LIMIT,
    });
    if (sequence !== loadSequence || !detail.value) {
      return;
    }
    detail.value = {
      ...detail.value,
      loading: false,
      error: worker ? null : 'No such worker: it may have been removed.',
      worker,
      timeline: mergeTimeline(detail.value.timeline, worker?.statusHistory ?? []),
      timelineComplete: (worker?.statusHistory.length ?? 0) < TIMELINE_LIMIT,
    };
  } catch (error) {
    if (sequence === loadSequence && detail.value) {
      detail.value = { ...detail.value, loading: false, error: messageOf(error) };
    }
  }
}

async function loadSeries(): Promise<void> {
  const state = detail.value;
  if (!state) {
    return;
  }
  const sequence = ++seriesSequence;
  samplesWhileLoading = [];
  const windowMs = RANGES[state.range];
  try {
    const { worker } = await request(DashboardWorkerSeriesDocument, {
      id: state.workerId,
      since: new Date(Date.now() - windowMs).toISOString(),
    });
    const current = detail.value;
    if (sequence !== seriesSequence || !current) {
      return;
    }
    const fetched = seriesFromAnswer(
      worker?.metricSeries ?? [],
      worker?.newest[0]?.collectedAt,
      windowMs,
      Date.now(),
    );
    detail.value = {
      ...current,
      seriesLoading: false,
      series: samplesWhileLoading.reduce(addSample, fetched),
    };
    samplesWhileLoading = [];
  } catch (error) {
    if (sequence === seriesSequence && detail.value) {
      detail.value = { ...detail.value, seriesLoading: false, seriesError: messageOf(error) };
    }
  }
}

function reloadSoon(): void {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void loadDetail(), RELOAD_SETTLE_MS);
}

const seriesSample = (sample: LiveSample): SeriesSample => ({
  at: Date.parse(sample.collectedAt),
  cpu: sample.cpuUtilization ?? null,
  memory: sample.memoryUtilization ?? null,
});

/** What the live connection tells the open detail, if it is about its worker. */
export const detailEvents = {
  sample(sample: LiveSample): void {
    const state = detail.value;
    if (state?.workerId !== sample.workerId) {
      return;
    }
    if (state.seriesLoading) {
      samplesWhileLoading.push(seriesSample(sample));
    } else if (state.series) {
      detail.value = { ...state, series: addSample(state.series, seriesSample(sample)) };
    }
    // Samples carry the CML counts only: the labs, version and license behind them are fetched.
    const cml = state.worker?.cml;
    if (cml && !sameCml(cml, cmlAfterSample(cml, sample))) {
      reloadSoon();
    }
  },
  statusChange(change: DashboardWorkerStatusSubscription['workerStatusChanged']): void {
    const state = detail.value;
    if (state?.workerId !== change.workerId) {
      return;
    }
    const { previousStatus, status, changedAt, source, actor } = change;
    detail.value = {
      ...state,
      timeline: mergeTimeline(state.timeline, [
        { previousStatus, status, changedAt, source, actor },
      ]),
    };
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
  /** Events may have been missed while the socket was down: the charts and story are asked again. */
  reconnected(): void {
    if (detail.value) {
      void loadDetail();
      void loadSeries();
    }
  },
};
