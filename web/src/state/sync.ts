import { signal } from '@preact/signals';
import type { Client } from 'graphql-ws';
import { ApiError, messageOf, pages, request } from '../api/graphql';
import { openLiveConnection, subscribe } from '../api/live';
import {
  DashboardAlertsDocument,
  DashboardFleetDocument,
  DashboardMonitoringStatusDocument,
  DashboardSilencesDocument,
  DashboardSparklinesDocument,
  DashboardThresholdAlertDocument,
  DashboardViewerDocument,
  DashboardWorkerMetricsDocument,
  DashboardWorkerPollFailedDocument,
  DashboardWorkerStatusDocument,
  type AlertRowFragment,
  type DashboardViewerQuery,
  type MonitoringHealthFragment,
} from '../generated/graphql';
import { applyOnNextFrame } from './frame-batch';
import {
  appendWorkerIds,
  applyAlerts,
  applySample,
  applyStatusChange,
  pollIntervalSeconds,
  setAlertsOfState,
  setHistory,
  setWorkerIds,
  SPARKLINE_WINDOW_MS,
  upsertWorkers,
  RESOLVED_SHOWN,
} from './fleet';
import { detailEvents } from './detail';
import { monitoring, monitoringRefetchMs, nextLook } from './monitoring';
import { applyPollFailure } from './poll-failures';
import { silences } from './silences';

export type Viewer = DashboardViewerQuery['viewer'];

export type Phase =
  | { kind: 'loading' }
  | { kind: 'needs-key'; refused?: string }
  | { kind: 'ready'; viewer: Viewer }
  | { kind: 'failed'; message: string };

export const phase = signal<Phase>({ kind: 'loading' });
/** The last background load that failed; cleared by the next one that works. */
export const syncError = signal<string | null>(null);

const PAGE_SIZE = 500;
/** A screenful and more: the page shows it while the rest of a big fleet is on its way. */
const FIRST_PAGE_SIZE = 100;
/** Points a sparkline can show at its width; more would only cost bytes. */
const SPARKLINE_POINTS_MAX = 240;
/** Keeps a sparkline page's cost (workers times samples) well under the API's limit. */
const SPARKLINE_SAMPLES_PER_REQUEST = 24_000;
/** Catches what no event announces (poll errors, workers registered elsewhere). */
const RESYNC_EVERY_MS = 60_000;

let live: Client | undefined;
let resyncTimer: ReturnType<typeof setInterval> | undefined;
let monitoringTimer: ReturnType<typeof setInterval> | undefined;
let pendingResync: ReturnType<typeof setTimeout> | undefined;
/**
 * Loads run side by side (a resync, the reload after a silence): one that started before the
 * last to start would put back what that one fetched newer, so it is dropped.
 */
let alertLoads = 0;
let silenceLoads = 0;

export const canAct = (viewer: Viewer) => viewer.roles.includes('OPERATOR');

/** Learns who the page speaks for, then loads the fleet and goes live. */
export async function start(): Promise<void> {
  phase.value = { kind: 'loading' };
  let viewer: Viewer;
  try {
    const answer = await request(DashboardViewerDocument, {});
    viewer = answer.viewer;
    applyMonitoringStatus(answer.monitoringStatus);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
      phase.value = { kind: 'needs-key', refused: refusalOf(error) };
      return;
    }
    phase.value = { kind: 'failed', message: messageOf(error) };
    return;
  }
  phase.value = { kind: 'ready', viewer };
  goLive();
  await resync();
  resyncTimer ??= setInterval(() => void resync(), RESYNC_EVERY_MS);
  monitoringTimer ??= setInterval(
    () => void loadMonitoring(),
    monitoringRefetchMs(pollIntervalSeconds.value),
  );
}

/** A key was sent and refused: say so. Without one, the prompt needs no reproach. */
function refusalOf(error: ApiError): string | undefined {
  return /missing|required/i.test(error.message) ? undefined : error.message;
}

export function stop(): void {
  clearInterval(resyncTimer);
  resyncTimer = undefined;
  clearInterval(monitoringTimer);
  monitoringTimer = undefined;
  void live?.dispose();
  live = undefined;
}

/** Fleet, alerts, silences and sparklines again: at start, after a reconnect, and now and then. */
async function resync(): Promise<void> {
  try {
    await loadFleet();
    await loadAlerts();
    await loadSilences();
    syncError.value = null;
    await loadSparklines();
  } catch (error) {
    syncError.value = messageOf(error);
  }
}

function applyMonitoringStatus(status: MonitoringHealthFragment): void {
  monitoring.value = nextLook(monitoring.value, status, Date.now());
  pollIntervalSeconds.value = status.pollIntervalSeconds;
}

/**
 * Whether polling runs, for the header: no event says that monitoring is off or that no process
 * claims the poll jobs. A failed look keeps the last one; the banner says why.
 */
async function loadMonitoring(): Promise<void> {
  try {
    applyMonitoringStatus((await request(DashboardMonitoringStatusDocument, {})).monitoringStatus);
  } catch (error) {
    syncError.value = messageOf(error);
  }
}

/** Several events for unknown workers in a row need only one reload. */
function resyncSoon(): void {
  pendingResync ??= setTimeout(() => {
    pendingResync = undefined;
    void resync();
  }, 500);
}

async function loadFleet(): Promise<void> {
  const ids: string[] = [];
  for await (const workers of pages((after) =>
    request(DashboardFleetDocument, { first: after ? PAGE_SIZE : FIRST_PAGE_SIZE, after }).then(
      (answer) => answer.workers,
    ),
  )) {
    const rows = workers.edges.map((edge) => edge.node);
    upsertWorkers(rows);
    ids.push(...rows.map((row) => row.id));
    // The first page is shown at once; a big fleet's next pages follow it.
    appendWorkerIds(ids);
  }
  setWorkerIds(ids);
}

async function loadAlerts(): Promise<void> {
  const sequence = ++alertLoads;
  const firing: AlertRowFragment[] = [];
  for await (const alerts of pages((after) =>
    request(DashboardAlertsDocument, { state: 'FIRING', first: PAGE_SIZE, after }).then(
      (answer) => answer.alerts,
    ),
  )) {
    firing.push(...alerts.edges.map((edge) => edge.node));
  }
  const { alerts: resolved } = await request(DashboardAlertsDocument, {
    state: 'RESOLVED',
    first: RESOLVED_SHOWN,
  });
  if (sequence !== alertLoads) {
    return;
  }
  setAlertsOfState('FIRING', firing);
  setAlertsOfState(
    'RESOLVED',
    resolved.edges.map((edge) => edge.node),
  );
}

async function loadSilences(): Promise<void> {
  const sequence = ++silenceLoads;
  const { active, pending, expired } = await request(DashboardSilencesDocument, {});
  if (sequence === silenceLoads) {
    silences.value = [...active, ...pending, ...expired];
  }
}

/**
 * After a silence is made or ended: which alerts are silenced has changed, and no event says so.
 * The silence itself is in place already; a failure here is the page's, not the action's.
 */
export async function reloadAfterSilence(): Promise<void> {
  try {
    await Promise.all([loadSilences(), loadAlerts()]);
    syncError.value = null;
  } catch (error) {
    syncError.value = messageOf(error);
  }
  detailEvents.silencesChanged();
}

async function loadSparklines(): Promise<void> {
  const limit = Math.min(
    SPARKLINE_POINTS_MAX,
    Math.ceil(SPARKLINE_WINDOW_MS / 1000 / pollIntervalSeconds.value) + 1,
  );
  const first = Math.max(1, Math.min(PAGE_SIZE, Math.floor(SPARKLINE_SAMPLES_PER_REQUEST / limit)));
  const since = new Date(Date.now() - SPARKLINE_WINDOW_MS).toISOString();
  for await (const workers of pages((after) =>
    request(DashboardSparklinesDocument, { first, after, since, limit }).then(
      (answer) => answer.workers,
    ),
  )) {
    applyOnNextFrame(() => {
      for (const { node } of workers.edges) {
        setHistory(node.id, node.metrics);
      }
    });
  }
}

function goLive(): void {
  live ??= openLiveConnection({
    onReconnected: () => {
      void resync();
      detailEvents.reconnected();
      void loadMonitoring();
    },
  });
  const report = (error: ApiError) => {
    syncError.value = `Live updates: ${error.message}`;
  };
  subscribe(
    live,
    DashboardWorkerMetricsDocument,
    ({ workerMetrics }) =>
      applyOnNextFrame(() => {
        if (!applySample(workerMetrics)) {
          resyncSoon();
        }
        detailEvents.sample(workerMetrics);
      }),
    report,
  );
  subscribe(
    live,
    DashboardWorkerStatusDocument,
    ({ workerStatusChanged }) =>
      applyOnNextFrame(() => {
        if (!applyStatusChange(workerStatusChanged)) {
          resyncSoon();
        }
        detailEvents.statusChange(workerStatusChanged);
      }),
    report,
  );
  subscribe(
    live,
    DashboardWorkerPollFailedDocument,
    ({ workerPollFailed }) =>
      applyOnNextFrame(() => {
        if (!applyPollFailure(workerPollFailed)) {
          resyncSoon();
        }
      }),
    report,
  );
  subscribe(
    live,
    DashboardThresholdAlertDocument,
    ({ thresholdAlert }) =>
      applyOnNextFrame(() => {
        applyAlerts([thresholdAlert]);
        detailEvents.alert(thresholdAlert);
      }),
    report,
  );
}
