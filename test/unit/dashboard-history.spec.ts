import type { SeriesBucketFragment, WorkerRowFragment } from '../../web/src/generated/graphql';
import type { LiveSample } from '../../web/src/state/cml';
import { apiFilter, filterFromQuery, NO_FILTER, queryOf } from '../../web/src/state/audit-filter';
import { applySample, upsertWorkers, workerSignal } from '../../web/src/state/fleet';
import {
  addSample,
  bucketWidth,
  chartColumns,
  isolatedIndices,
  latestAverage,
  seriesFromAnswer,
} from '../../web/src/state/metric-series';
import { applyPollFailure } from '../../web/src/state/poll-failures';
import { mergeTimeline, originOf, type TimelineEntry } from '../../web/src/state/status-timeline';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string) => Date.parse(iso);

function bucket(startsAt: string, overrides: Partial<SeriesBucketFragment> = {}) {
  return {
    startsAt,
    samples: 2,
    cpuMin: 10,
    cpuAvg: 20,
    cpuMax: 30,
    memoryMin: 40,
    memoryAvg: 50,
    memoryMax: 60,
    ...overrides,
  };
}

const EMPTY = {
  samples: 0,
  cpuMin: null,
  cpuAvg: null,
  cpuMax: null,
  memoryMin: null,
  memoryAvg: null,
  memoryMax: null,
};

describe('the dashboard metric series', () => {
  const now = at('2026-12-01T10:02:30Z');
  const answer = [
    bucket('2026-12-01T10:00:00.000Z'),
    bucket('2026-12-01T10:01:00.000Z', EMPTY),
    bucket('2026-12-01T10:02:00.000Z', { samples: 1, cpuMin: 50, cpuAvg: 50, cpuMax: 50 }),
  ];

  it('should take the width from the buckets, else the one the service picks for the window', () => {
    expect(bucketWidth([0, 300_000], 24 * HOUR, now)).toBe(300_000);
    expect(bucketWidth([], HOUR, now)).toBe(MINUTE);
    expect(bucketWidth([], 6 * HOUR, now)).toBe(MINUTE);
    expect(bucketWidth([], 24 * HOUR, now)).toBe(5 * MINUTE);
    expect(bucketWidth([], 7 * 24 * HOUR, now)).toBe(HOUR);
  });

  it('should count a live sample in the bucket it falls in, once', () => {
    const series = seriesFromAnswer(answer, '2026-12-01T10:02:10.000Z', HOUR, now);

    const next = addSample(series, { at: at('2026-12-01T10:02:40Z'), cpu: 80, memory: null });

    expect(next.buckets).toHaveLength(3);
    expect(next.buckets[2]).toEqual({
      startsAt: at('2026-12-01T10:02:00Z'),
      samples: 2,
      cpu: { min: 50, avg: 65, max: 80, values: 2 },
      // A sample without a value counts in the bucket, not in its figures.
      memory: { min: 40, avg: 50, max: 60, values: 1 },
    });
    // Counted by the answer already, or delivered twice.
    expect(addSample(series, { at: at('2026-12-01T10:02:10Z'), cpu: 99, memory: 99 })).toBe(series);
    expect(addSample(next, { at: at('2026-12-01T10:02:40Z'), cpu: 99, memory: 99 })).toBe(next);
  });

  it('should open the next buckets with gaps between, and drop those out of the window', () => {
    const series = seriesFromAnswer(answer, undefined, 3 * MINUTE, now);

    const next = addSample(series, { at: at('2026-12-01T10:05:05Z'), cpu: 70, memory: 30 });

    expect(next.buckets.map((kept) => new Date(kept.startsAt).toISOString())).toEqual([
      '2026-12-01T10:02:00.000Z',
      '2026-12-01T10:03:00.000Z',
      '2026-12-01T10:04:00.000Z',
      '2026-12-01T10:05:00.000Z',
    ]);
    expect(next.buckets.map((kept) => kept.samples)).toEqual([1, 0, 0, 1]);
    expect(next.buckets[3]?.cpu).toEqual({ min: 70, avg: 70, max: 70, values: 1 });
    expect(latestAverage(next, 'memory')).toBe(30);
  });

  it('should draw each bucket at its start and the threshold across the whole window', () => {
    const series = seriesFromAnswer(answer, undefined, HOUR, now);
    const since = at('2026-12-01T09:59:30Z');

    // Polls every 30 s leave no minute empty: the empty one is an outage.
    const columns = chartColumns(series, 'cpu', { since, until: now, spanMs: 30_000 }, 90);

    expect(columns.x).toEqual(
      [since, ...answer.map((kept) => at(kept.startsAt)), now].map((time) => time / 1000),
    );
    expect(columns.min).toEqual([undefined, 10, null, 50, undefined]);
    expect(columns.avg).toEqual([undefined, 20, null, 50, undefined]);
    expect(columns.max).toEqual([undefined, 30, null, 50, undefined]);
    expect(columns.threshold).toEqual([90, 90, 90, 90, 90]);
    expect(chartColumns(null, 'memory', { since, until: now, spanMs: 0 }, 80)).toEqual({
      x: [since / 1000, now / 1000],
      min: [undefined, undefined],
      avg: [undefined, undefined],
      max: [undefined, undefined],
      threshold: [80, 80],
    });
  });

  it('should join across the empty buckets between two polls, and break at a missed poll or a sample without a value', () => {
    const minutes = (count: number, samples: (minute: number) => SeriesBucketFragment) =>
      Array.from({ length: count }, (_unused, minute) => samples(minute));
    const iso = (minute: number) =>
      new Date(at('2026-12-01T10:00:00Z') + minute * MINUTE).toISOString();
    // Polls every five minutes: at 0, 5, then one missed (10), 15, and a stopped worker at 20.
    const polled = new Set([0, 5, 15, 20]);
    const answerOf = minutes(21, (minute) =>
      polled.has(minute)
        ? bucket(iso(minute), minute === 20 ? { ...EMPTY, samples: 1 } : {})
        : bucket(iso(minute), EMPTY),
    );
    const series = seriesFromAnswer(answerOf, undefined, HOUR, now);
    const window = { since: at(iso(0)), until: at(iso(20)), spanMs: 5 * MINUTE };

    const { avg } = chartColumns(series, 'cpu', window, 90);

    expect(avg.slice(0, 6)).toEqual([20, undefined, undefined, undefined, undefined, 20]);
    expect(avg.slice(6, 15)).toEqual(Array(9).fill(null));
    expect(avg.slice(15)).toEqual([20, null, null, null, null, null]);
    expect(isolatedIndices(avg)).toEqual([15]);
    expect(isolatedIndices([undefined, 5, undefined, null, 7, 8, null])).toEqual([1]);
  });
});

describe('the dashboard status timeline', () => {
  const entry = (changedAt: string, overrides: Partial<TimelineEntry> = {}): TimelineEntry => ({
    previousStatus: 'RUNNING',
    status: 'STOPPING',
    changedAt,
    source: 'MUTATION',
    actor: 'ops',
    ...overrides,
  });

  it('should list fetched and live changes newest first, each once', () => {
    const live = [entry('2026-12-01T10:05:00.000Z')];
    const fetched = [
      entry('2026-12-01T10:05:00.000Z'),
      entry('2026-12-01T10:00:00.000Z', {
        previousStatus: 'PENDING',
        status: 'RUNNING',
        source: 'POLL',
        actor: null,
      }),
    ];

    const merged = mergeTimeline(live, fetched);

    expect(merged.map((kept) => kept.changedAt)).toEqual([
      '2026-12-01T10:05:00.000Z',
      '2026-12-01T10:00:00.000Z',
    ]);
    expect(
      mergeTimeline(merged, [entry('2026-12-01T10:06:00.000Z', { status: 'STOPPED' })])[0],
    ).toMatchObject({ status: 'STOPPED' });
  });

  it('should say who or what made a change', () => {
    expect(originOf({ source: 'MUTATION', actor: 'dash-operator' })).toBe('asked by dash-operator');
    expect(originOf({ source: 'POLL', actor: null })).toBe('seen by a poll');
    expect(originOf({ source: 'POLICY', actor: null })).toMatch(/^by policy/);
  });
});

describe('the dashboard audit filter', () => {
  it('should carry a filter in the address and back, leaving out what is unset or unknown', () => {
    const filter = {
      actor: 'dash-operator',
      workerId: 'w-1',
      operation: 'stopWorker',
      outcome: 'FAILED' as const,
    };

    expect(filterFromQuery(queryOf(filter))).toEqual(filter);
    expect(queryOf(NO_FILTER)).toBe('');
    expect(filterFromQuery('outcome=MAYBE&actor=%20ops%20')).toEqual({
      ...NO_FILTER,
      actor: 'ops',
    });
  });

  it('should ask the API for the set fields only', () => {
    expect(apiFilter(NO_FILTER)).toEqual({});
    expect(apiFilter({ ...NO_FILTER, operation: 'stopWorker', outcome: 'SUCCEEDED' })).toEqual({
      operations: ['stopWorker'],
      outcome: 'SUCCEEDED',
    });
  });
});

describe('the dashboard poll failures', () => {
  const row: WorkerRowFragment = {
    id: 'failing',
    name: 'failing',
    awsRegion: 'eu-west-1',
    awsInstanceId: 'i-failing',
    instanceType: 't3.medium',
    status: 'RUNNING',
    statusChecks: { system: 'OK', instance: 'OK' },
    cpuUtilization: 10,
    memoryUtilization: 20,
    thresholds: { cpu: 90, memory: 90 },
    monitoringEnabled: true,
    lastPolledAt: '2026-12-01T10:00:00.000Z',
    lastTransitionAt: null,
    pollError: null,
    cml: { status: 'AVAILABLE', error: null, labsRunning: 0, nodesRunning: 0 },
  };
  const failure = (occurredAt: string, consecutiveFailures = 1) => ({
    workerId: 'failing',
    message: 'AWS failed the request',
    consecutiveFailures,
    occurredAt,
  });

  it('should show a failed poll on the worker at once, and clear it with the next sample', () => {
    upsertWorkers([row]);

    expect(applyPollFailure(failure('2026-12-01T09:59:00.000Z'))).toBe(true);
    expect(workerSignal('failing')?.value.pollError).toBeNull();

    applyPollFailure(failure('2026-12-01T10:01:00.000Z', 2));
    expect(workerSignal('failing')?.value.pollError).toEqual({
      message: 'AWS failed the request',
      occurredAt: '2026-12-01T10:01:00.000Z',
      consecutiveFailures: 2,
    });

    const sample: LiveSample = {
      workerId: 'failing',
      status: 'RUNNING',
      statusChecks: { system: 'OK', instance: 'OK' },
      cpuUtilization: 12,
      memoryUtilization: 21,
      collectedAt: '2026-12-01T10:02:00.000Z',
      cmlStatus: 'AVAILABLE',
      labsRunning: 0,
      nodesRunning: 0,
    };
    applySample(sample);
    expect(workerSignal('failing')?.value.pollError).toBeNull();
    expect(applyPollFailure({ ...failure('2026-12-01T10:03:00.000Z'), workerId: 'unknown' })).toBe(
      false,
    );
  });
});
