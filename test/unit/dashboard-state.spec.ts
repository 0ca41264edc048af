import type { AlertRowFragment, WorkerRowFragment } from '../../web/src/generated/graphql';
import type { LiveSample } from '../../web/src/state/cml';
import {
  applySample,
  applyStatusChange,
  firingAlerts,
  setAlertsOfState,
  setWorkerIds,
  SPARKLINE_WINDOW_MS,
  upsertWorkers,
  workerSignal,
} from '../../web/src/state/fleet';
import {
  nameFilter,
  regionFilter,
  showTerminated,
  shownWorkerIds,
  sortBy,
  sortDescending,
  sortKey,
  statusFilter,
  summary,
} from '../../web/src/state/fleet-view';

function worker(id: string, overrides: Partial<WorkerRowFragment> = {}): WorkerRowFragment {
  return {
    id,
    name: id,
    awsRegion: 'eu-west-1',
    awsInstanceId: `i-${id}`,
    instanceType: 't3.medium',
    status: 'RUNNING',
    statusChecks: { system: 'OK', instance: 'OK' },
    cpuUtilization: 10,
    memoryUtilization: 20,
    thresholds: { cpu: 90, memory: 90 },
    monitoringEnabled: true,
    lastPolledAt: null,
    lastTransitionAt: null,
    pollError: null,
    cml: { status: 'AVAILABLE', error: null, labsRunning: 0, nodesRunning: 0 },
    ...overrides,
  };
}

function alert(id: string, overrides: Partial<AlertRowFragment> = {}): AlertRowFragment {
  return {
    id,
    workerId: 'a',
    worker: null,
    kind: 'CPU_HIGH',
    state: 'FIRING',
    severity: 'WARNING',
    value: 95,
    threshold: 90,
    message: 'hot',
    resolution: null,
    resolvedValue: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    resolvedAt: null,
    acknowledgedAt: null,
    silenced: false,
    ...overrides,
  };
}

function load(rows: WorkerRowFragment[]): void {
  upsertWorkers(rows);
  setWorkerIds(rows.map((row) => row.id));
}

const sample = (
  workerId: string,
  at: number,
  cpu: number,
  cml: Partial<Pick<LiveSample, 'cmlStatus' | 'labsRunning' | 'nodesRunning'>> = {},
): LiveSample => ({
  workerId,
  status: 'RUNNING',
  statusChecks: { system: 'OK', instance: 'OK' },
  cpuUtilization: cpu,
  memoryUtilization: 30,
  cmlStatus: 'AVAILABLE',
  labsRunning: 0,
  nodesRunning: 0,
  collectedAt: new Date(at).toISOString(),
  ...cml,
});

describe('the dashboard state', () => {
  beforeEach(() => {
    setWorkerIds([]);
    setAlertsOfState('FIRING', []);
    setAlertsOfState('RESOLVED', []);
    statusFilter.value = '';
    regionFilter.value = '';
    nameFilter.value = '';
    showTerminated.value = false;
    sortKey.value = 'name';
    sortDescending.value = false;
  });

  it('should sort names as people count them, and loads worst first with unknown ones last', () => {
    load([
      worker('w10', { cpuUtilization: 50 }),
      worker('w2', { cpuUtilization: null }),
      worker('w1', { cpuUtilization: 80 }),
    ]);
    expect(shownWorkerIds.value).toEqual(['w1', 'w2', 'w10']);

    sortBy('cpu');
    expect(shownWorkerIds.value).toEqual(['w1', 'w10', 'w2']);
    sortBy('cpu');
    expect(shownWorkerIds.value).toEqual(['w10', 'w1', 'w2']);
  });

  it('should put the statuses that need a look first', () => {
    load([worker('a'), worker('b', { status: 'STOPPED' }), worker('c', { status: 'UNKNOWN' })]);

    sortBy('status');

    expect(shownWorkerIds.value).toEqual(['c', 'b', 'a']);
  });

  it('should filter by status, region and a case-insensitive part of the name together', () => {
    load([
      worker('lab-A1'),
      worker('lab-a2', { status: 'STOPPED' }),
      worker('lab-a3', { awsRegion: 'us-east-1' }),
      worker('other'),
    ]);

    nameFilter.value = 'LAB-a';
    expect(shownWorkerIds.value).toEqual(['lab-A1', 'lab-a2', 'lab-a3']);
    statusFilter.value = 'RUNNING';
    expect(shownWorkerIds.value).toEqual(['lab-A1', 'lab-a3']);
    regionFilter.value = 'us-east-1';
    expect(shownWorkerIds.value).toEqual(['lab-a3']);
  });

  it('should keep the same list while a sample moves no row, so the list does not re-render', () => {
    load([worker('a'), worker('b')]);
    const before = shownWorkerIds.value;

    applySample(sample('a', Date.now(), 55));

    expect(shownWorkerIds.value).toBe(before);
    sortBy('cpu');
    expect(shownWorkerIds.value).toEqual(['a', 'b']);
    applySample(sample('b', Date.now(), 70));
    expect(shownWorkerIds.value).toEqual(['b', 'a']);
  });

  it('should count running, stopped, alerting and failing workers', () => {
    load([
      worker('a'),
      worker('b', { status: 'STOPPED' }),
      worker('c', {
        pollError: {
          message: 'throttled',
          occurredAt: '2026-01-01T00:00:00.000Z',
          consecutiveFailures: 2,
        },
      }),
    ]);
    setAlertsOfState('FIRING', [
      alert('1', { workerId: 'a' }),
      alert('2', { workerId: 'a', kind: 'MEMORY_HIGH' }),
    ]);

    expect(summary.value).toEqual({
      total: 3,
      running: 2,
      stopped: 1,
      alerting: 1,
      pollErrors: 1,
      terminated: 0,
    });
  });

  it('should leave terminated workers out of the default view and show them when asked', () => {
    load([
      worker('a'),
      worker('b', { status: 'TERMINATED' }),
      worker('c', { status: 'SHUTTING_DOWN' }),
    ]);

    expect(shownWorkerIds.value).toEqual(['a', 'c']);
    showTerminated.value = true;
    expect(shownWorkerIds.value).toEqual(['a', 'b', 'c']);
    showTerminated.value = false;
    statusFilter.value = 'TERMINATED';
    expect(shownWorkerIds.value).toEqual(['b']);
  });

  it('should count terminated workers apart from the fleet, never as alerting', () => {
    load([worker('a'), worker('b', { status: 'TERMINATED' })]);
    // As recorded before terminations became events: still firing.
    setAlertsOfState('FIRING', [
      alert('1', { workerId: 'b', kind: 'TERMINATED', severity: 'CRITICAL' }),
    ]);

    expect(summary.value).toEqual({
      total: 1,
      running: 1,
      stopped: 0,
      alerting: 0,
      pollErrors: 0,
      terminated: 1,
    });
  });

  it('should apply a sample: values, history of the last hour, the end of a poll error, and no older one', () => {
    const now = Date.now();
    load([
      worker('a', {
        pollError: { message: 'x', occurredAt: '2026-01-01T00:00:00.000Z', consecutiveFailures: 1 },
      }),
    ]);
    applySample(sample('a', now - SPARKLINE_WINDOW_MS - 60_000, 5));
    applySample(sample('a', now - 60_000, 40));

    expect(applySample(sample('a', now, 60))).toBe(true);
    applySample(sample('a', now - 30_000, 99));

    const view = workerSignal('a')?.value;
    expect(view?.cpuUtilization).toBe(60);
    expect(view?.pollError).toBeNull();
    expect(view?.history.map((point) => point.cpu)).toEqual([40, 60]);
    expect(applySample(sample('unknown', now, 1))).toBe(false);
  });

  it("should follow a worker's CML status and running labs from its samples, as the service stores them", () => {
    const now = Date.now();
    load([
      worker('a', {
        cml: { status: 'ERROR', error: 'credentials refused', labsRunning: 2, nodesRunning: 9 },
      }),
    ]);
    const cml = () => workerSignal('a')?.value.cml;

    applySample(
      sample('a', now - 3_000, 10, { cmlStatus: 'ERROR', labsRunning: null, nodesRunning: null }),
    );
    expect(cml()).toEqual({
      status: 'ERROR',
      error: 'credentials refused',
      labsRunning: 2,
      nodesRunning: 9,
    });
    applySample(sample('a', now - 2_000, 10, { labsRunning: 1, nodesRunning: 8 }));
    expect(cml()).toEqual({ status: 'AVAILABLE', error: null, labsRunning: 1, nodesRunning: 8 });
    applySample(
      sample('a', now - 1_000, 10, {
        cmlStatus: 'NOT_APPLICABLE',
        labsRunning: null,
        nodesRunning: null,
      }),
    );
    expect(cml()).toEqual({
      status: 'NOT_APPLICABLE',
      error: null,
      labsRunning: null,
      nodesRunning: null,
    });
  });

  it('should record status changes newest first and forget removed workers', () => {
    load([worker('a'), worker('b')]);
    applyStatusChange({
      workerId: 'a',
      previousStatus: 'RUNNING',
      status: 'STOPPING',
      changedAt: '2026-01-01T00:00:00.000Z',
    });
    applyStatusChange({
      workerId: 'a',
      previousStatus: 'STOPPING',
      status: 'STOPPED',
      changedAt: '2026-01-01T00:00:05.000Z',
    });

    expect(workerSignal('a')?.value.status).toBe('STOPPED');
    expect(workerSignal('a')?.value.transitions.map((change) => change.to)).toEqual([
      'STOPPED',
      'STOPPING',
    ]);
    setWorkerIds(['b']);
    expect(workerSignal('a')).toBeUndefined();
    expect(shownWorkerIds.value).toEqual(['b']);
  });

  it('should list firing alerts by severity, then newest first', () => {
    setAlertsOfState('FIRING', [
      alert('old-warning', { startedAt: '2026-01-01T00:00:00.000Z' }),
      alert('critical', { severity: 'CRITICAL', startedAt: '2026-01-01T00:00:00.000Z' }),
      alert('new-warning', { startedAt: '2026-01-01T00:05:00.000Z' }),
      alert('info', { severity: 'INFO', startedAt: '2026-01-01T00:09:00.000Z' }),
    ]);

    expect(firingAlerts.value.map((firing) => firing.id)).toEqual([
      'critical',
      'new-warning',
      'old-warning',
      'info',
    ]);
  });
});
