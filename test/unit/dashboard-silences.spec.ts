import type { AlertRowFragment } from '../../web/src/generated/graphql';
import {
  DURATIONS,
  draftMatchers,
  endsAtAfter,
  silenceInput,
  targetName,
  widenableRegion,
  type SilenceTarget,
} from '../../web/src/state/silence-draft';
import {
  describeMatchers,
  EXPIRED_SHOWN,
  putSilence,
  silences,
  silencesInOrder,
  silenceWhen,
  stateAt,
  type Silence,
} from '../../web/src/state/silences';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const minutes = (count: number) => new Date(NOW + count * 60_000).toISOString();

function silence(id: string, overrides: Partial<Silence> = {}): Silence {
  return {
    id,
    matchers: {
      workerIds: null,
      nameContains: null,
      awsRegion: null,
      kinds: null,
      severities: null,
    },
    startsAt: minutes(-15),
    endsAt: minutes(45),
    comment: 'maintenance',
    createdBy: 'ops',
    createdAt: minutes(-15),
    state: 'ACTIVE',
    ...overrides,
  };
}

const names: Record<string, string> = {
  w1: 'cml-worker-01',
  w2: 'cml-worker-02',
  w3: 'cml-worker-03',
  w4: 'cml-worker-04',
};
const nameOf = (id: string): string | undefined => names[id];

const alertTarget = (worker: AlertRowFragment['worker']): SilenceTarget => ({
  from: 'alert',
  alert: { workerId: 'w1', kind: 'CPU_HIGH', worker },
});
const onWorker01 = alertTarget({ id: 'w1', name: 'cml-worker-01', awsRegion: 'us-east-1' });

describe('the dashboard silences', () => {
  describe('in words', () => {
    it("should name the kinds, severities, workers and region a silence's matchers hold", () => {
      expect(describeMatchers({ workerIds: ['w1'], kinds: ['CPU_HIGH'] }, nameOf)).toBe(
        'CPU high alerts of cml-worker-01',
      );
      expect(describeMatchers({ workerIds: ['w1'] }, nameOf)).toBe('Every alert of cml-worker-01');
      expect(describeMatchers({ awsRegion: 'us-east-1', severities: ['CRITICAL'] }, nameOf)).toBe(
        'Critical alerts in us-east-1',
      );
      expect(
        describeMatchers(
          { kinds: ['CPU_HIGH', 'MEMORY_HIGH'], severities: ['WARNING'], nameContains: 'lab' },
          nameOf,
        ),
      ).toBe('Warning CPU high or Memory high alerts on workers whose name contains "lab"');
    });

    it('should list a few workers by name, count the rest, and name an unknown one by its id', () => {
      expect(describeMatchers({ workerIds: ['w1', 'w2'] }, nameOf)).toBe(
        'Every alert of cml-worker-01 and cml-worker-02',
      );
      expect(describeMatchers({ workerIds: ['w1', 'w2', 'w3'] }, nameOf)).toBe(
        'Every alert of cml-worker-01, cml-worker-02 and cml-worker-03',
      );
      expect(describeMatchers({ workerIds: ['w1', 'w2', 'w3', 'w4'] }, nameOf)).toBe(
        'Every alert of cml-worker-01, cml-worker-02, cml-worker-03 and 1 more worker',
      );
      expect(
        describeMatchers({ workerIds: ['0b7c1f9e-2a4d-4c8e-9f1a-3d5e7b9c1a2f'] }, nameOf),
      ).toBe('Every alert of worker 0b7c1f9e');
    });
  });

  describe('when drafted', () => {
    it("should silence an alert's kind on its worker, or widened to its worker's region", () => {
      expect(draftMatchers(onWorker01, 'worker')).toEqual({
        workerIds: ['w1'],
        kinds: ['CPU_HIGH'],
      });
      expect(draftMatchers(onWorker01, 'region')).toEqual({
        awsRegion: 'us-east-1',
        kinds: ['CPU_HIGH'],
      });
      expect(widenableRegion(onWorker01)).toBe('us-east-1');
    });

    it('should not widen the alert of a removed worker, whose region is not known', () => {
      const orphan = alertTarget(null);

      expect(widenableRegion(orphan)).toBeNull();
      expect(draftMatchers(orphan, 'region')).toEqual({ workerIds: ['w1'], kinds: ['CPU_HIGH'] });
      expect(targetName(orphan)).toBe('w1');
    });

    it('should silence every kind of a worker it is made from', () => {
      const target: SilenceTarget = { from: 'worker', worker: { id: 'w2', name: 'cml-worker-02' } };

      expect(draftMatchers(target, 'region')).toEqual({ workerIds: ['w2'] });
      expect(widenableRegion(target)).toBeNull();
      expect(targetName(target)).toBe('cml-worker-02');
    });

    it('should end each offered duration after now, and send the comment trimmed', () => {
      expect(
        DURATIONS.map((duration) => [duration.label, endsAtAfter(duration.minutes, NOW)]),
      ).toEqual([
        ['30 min', '2026-06-01T12:30:00.000Z'],
        ['1 h', '2026-06-01T13:00:00.000Z'],
        ['2 h', '2026-06-01T14:00:00.000Z'],
        ['4 h', '2026-06-01T16:00:00.000Z'],
        ['1 day', '2026-06-02T12:00:00.000Z'],
      ]);
      expect(silenceInput(onWorker01, 'worker', 30, '  deploying  ', NOW)).toEqual({
        matchers: { workerIds: ['w1'], kinds: ['CPU_HIGH'] },
        endsAt: '2026-06-01T12:30:00.000Z',
        comment: 'deploying',
      });
    });
  });

  describe('as listed', () => {
    beforeEach(() => {
      silences.value = [];
    });

    it('should put active ones ending soonest first, then pending, then the latest expired', () => {
      const listed = [
        silence('active-late', { endsAt: minutes(120) }),
        silence('expired-old', { state: 'EXPIRED', endsAt: minutes(-60) }),
        silence('pending', { state: 'PENDING', startsAt: minutes(30), endsAt: minutes(90) }),
        silence('active-soon', { endsAt: minutes(5) }),
        silence('expired-new', { state: 'EXPIRED', endsAt: minutes(-1) }),
      ];

      const { current, expired } = silencesInOrder(listed, NOW);

      expect(current.map((entry) => entry.silence.id)).toEqual([
        'active-soon',
        'active-late',
        'pending',
      ]);
      expect(expired.map((entry) => entry.silence.id)).toEqual(['expired-new', 'expired-old']);
    });

    it('should show only the last few that expired', () => {
      const listed = Array.from({ length: EXPIRED_SHOWN + 5 }, (_, index) =>
        silence(`expired-${index}`, { state: 'EXPIRED', endsAt: minutes(-index - 1) }),
      );

      const { expired } = silencesInOrder(listed, NOW);

      expect(expired).toHaveLength(EXPIRED_SHOWN);
      expect(expired[0]?.silence.id).toBe('expired-0');
    });

    it('should move a silence on when its time comes, never back behind what the API said', () => {
      const pending = silence('p', {
        state: 'PENDING',
        startsAt: minutes(10),
        endsAt: minutes(20),
      });

      expect(stateAt(pending, NOW)).toBe('PENDING');
      expect(stateAt(pending, NOW + 10 * 60_000)).toBe('ACTIVE');
      expect(stateAt(pending, NOW + 20 * 60_000)).toBe('EXPIRED');
      // Made a moment ago by the API's clock, which is ahead of this page's.
      expect(stateAt(silence('a', { startsAt: minutes(1) }), NOW)).toBe('ACTIVE');
      expect(stateAt(silence('e', { state: 'EXPIRED' }), NOW)).toBe('EXPIRED');
    });

    it('should say when a silence starts and ends, relative to now', () => {
      const active = silence('a');
      const pending = silence('p', {
        state: 'PENDING',
        startsAt: minutes(60),
        endsAt: minutes(180),
      });
      const expired = silence('e', { state: 'EXPIRED', endsAt: minutes(-2) });

      expect(silenceWhen(active, 'ACTIVE', NOW)).toBe('started 15 min ago · ends in 45 min');
      expect(silenceWhen(pending, 'PENDING', NOW)).toBe('starts in 1 h · ends in 3 h');
      expect(silenceWhen(expired, 'EXPIRED', NOW)).toBe('ended 2 min ago');
      // Made and expired by the API a moment ahead of this page's clock.
      expect(silenceWhen(silence('a', { startsAt: minutes(0.05) }), 'ACTIVE', NOW)).toBe(
        'started 0 s ago · ends in 45 min',
      );
      expect(silenceWhen(silence('e', { endsAt: minutes(0.05) }), 'EXPIRED', NOW)).toBe(
        'ended 0 s ago',
      );
    });

    it('should list a silence the API just answered with at once, in place of what it was', () => {
      silences.value = [silence('a'), silence('b')];

      putSilence(silence('b', { state: 'EXPIRED', endsAt: minutes(0) }));
      putSilence(silence('c'));

      expect(silences.value.map((entry) => [entry.id, entry.state])).toEqual([
        ['c', 'ACTIVE'],
        ['b', 'EXPIRED'],
        ['a', 'ACTIVE'],
      ]);
    });
  });
});
