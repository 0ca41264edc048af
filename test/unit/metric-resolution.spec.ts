import { DomainError, ErrorCode } from '../../src/errors/domain-error';
import {
  BUCKETS_MAX,
  MetricResolution,
  planSeries,
} from '../../src/services/history/metric-resolution';

const NOW = new Date('2026-12-02T10:03:20.500Z');
const HOUR_MS = 3_600_000;
const before = (ms: number, end = NOW) => new Date(end.getTime() - ms);

function refusal(run: () => unknown): { code: ErrorCode; field?: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) {
      return { code: error.code, field: error.field };
    }
    throw error;
  }
  throw new Error('the window was accepted');
}

describe(planSeries.name, () => {
  it('should choose the finest resolution that gives at most 500 buckets', () => {
    const chosen = (hours: number) => planSeries({ since: before(hours * HOUR_MS) }, NOW);

    expect(chosen(1)).toMatchObject({ resolution: MetricResolution.MINUTE, buckets: 61 });
    expect(chosen(8)).toMatchObject({ resolution: MetricResolution.MINUTE, buckets: 481 });
    expect(chosen(9)).toMatchObject({ resolution: MetricResolution.FIVE_MINUTES, buckets: 109 });
    expect(chosen(24)).toMatchObject({ resolution: MetricResolution.FIVE_MINUTES, buckets: 289 });
    expect(chosen(7 * 24)).toMatchObject({ resolution: MetricResolution.HOUR, buckets: 169 });
    expect(chosen(30 * 24)).toMatchObject({ resolution: MetricResolution.DAY, buckets: 31 });
  });

  it('should count a window on the boundaries without a bucket at either end', () => {
    const since = new Date('2026-12-01T00:00:00.000Z');

    const aligned = (minutes: number) =>
      planSeries({ since, until: new Date(since.getTime() + minutes * 60_000) }, NOW);

    expect(aligned(500)).toMatchObject({ resolution: MetricResolution.MINUTE, buckets: 500 });
    expect(aligned(501)).toMatchObject({ resolution: MetricResolution.FIVE_MINUTES, buckets: 101 });
  });

  it('should widen the window to the whole buckets it overlaps, on boundaries from the epoch', () => {
    const plan = planSeries(
      {
        since: new Date('2026-12-01T10:42:10.000Z'),
        until: new Date('2026-12-02T10:03:20.500Z'),
        resolution: MetricResolution.HOUR,
      },
      NOW,
    );

    expect(plan).toEqual({
      resolution: MetricResolution.HOUR,
      widthMs: HOUR_MS,
      from: new Date('2026-12-01T10:00:00.000Z'),
      to: new Date('2026-12-02T11:00:00.000Z'),
      buckets: 25,
    });
    expect(
      planSeries({ since: before(3 * 86_400_000), resolution: MetricResolution.DAY }, NOW),
    ).toMatchObject({
      from: new Date('2026-11-29T00:00:00.000Z'),
      to: new Date('2026-12-03T00:00:00.000Z'),
      buckets: 4,
    });
  });

  it('should give the same buckets to the same window whenever it is asked', () => {
    const window = { since: before(HOUR_MS), until: NOW };

    expect(planSeries(window, NOW)).toEqual(planSeries(window, before(-HOUR_MS)));
    expect(planSeries({ since: before(HOUR_MS) }, NOW).to).toEqual(
      new Date('2026-12-02T10:04:00.000Z'),
    );
  });

  it('should refuse a since that is not before until, which defaults to now', () => {
    expect(refusal(() => planSeries({ since: NOW }, NOW))).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'since',
    });
    expect(refusal(() => planSeries({ since: before(-1) }, NOW))).toMatchObject({
      field: 'since',
    });
    expect(refusal(() => planSeries({ since: before(1), until: before(2) }, NOW))).toMatchObject({
      field: 'since',
    });
  });

  it('should refuse more than 2,000 buckets, asked or chosen', () => {
    const since = new Date('2026-12-01T00:00:00.000Z');
    const minutes = (count: number) => ({
      since,
      until: new Date(since.getTime() + count * 60_000),
      resolution: MetricResolution.MINUTE,
    });

    expect(planSeries(minutes(BUCKETS_MAX), NOW).buckets).toBe(BUCKETS_MAX);
    expect(refusal(() => planSeries(minutes(BUCKETS_MAX + 1), NOW))).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'resolution',
    });
    expect(planSeries({ since: before(1_000 * 86_400_000) }, NOW)).toMatchObject({
      resolution: MetricResolution.DAY,
      buckets: 1_001,
    });
    expect(refusal(() => planSeries({ since: before(2_001 * 86_400_000) }, NOW))).toMatchObject({
      field: 'resolution',
    });
  });
});
