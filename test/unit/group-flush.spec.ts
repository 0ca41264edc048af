import type { MemberRow } from '../../src/repositories/notification-group.repository';
import {
  decideFlush,
  type FlushInput,
  groupOf,
  type MutingSilence,
} from '../../src/services/notifications/group-flush';
import { NOTICE_ALERTS_MAX } from '../../src/services/notifications/group-notice';

const NOW = new Date('2026-06-01T09:00:00.000Z');
const MINUTE = 60_000;
const GROUP_ID = '11111111-1111-4111-8111-111111111111';

let next = 0;
const member = (
  overrides: { notified?: boolean; alert?: Partial<MemberRow['alert']> } = {},
): MemberRow => {
  next += 1;
  const id = `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
  return {
    groupId: GROUP_ID,
    alertId: id,
    notified: overrides.notified ?? false,
    mutedUntil: null,
    workerName: `lab-${next}`,
    awsRegion: 'eu-west-1',
    alert: {
      id,
      workerId: `worker-${next}`,
      kind: 'CPU_HIGH',
      state: 'FIRING',
      severity: 'WARNING',
      value: 97,
      threshold: 90,
      resolvedValue: null,
      message: 'CPU 97 % above 90 %',
      resolution: null,
      startedAt: '2026-06-01 08:00:00+00',
      resolvedAt: null,
      acknowledgedAt: null,
      ...overrides.alert,
    },
    worker: {
      id: `worker-${next}`,
      name: `lab-${next}`,
      awsInstanceId: `i-${next}`,
      awsRegion: 'eu-west-1',
    },
  };
};

const flush = (members: MemberRow[], overrides: Partial<FlushInput> = {}) =>
  decideFlush({
    group: {
      id: GROUP_ID,
      groupKey: 'kind=CPU_HIGH,region=eu-west-1,severity=WARNING',
      labels: { kind: 'CPU_HIGH', region: 'eu-west-1', severity: 'WARNING' },
      sequence: 0,
      flushAt: NOW,
      remindAt: null,
      lastFlushAt: null,
    },
    members,
    silences: [],
    now: NOW,
    repeatIntervalMs: 4 * 60 * MINUTE,
    publicUrl: undefined,
    ...overrides,
  });

const silenceUntil = (endsAt: Date, matches: MutingSilence['matches'] = () => true) => ({
  endsAt,
  matches,
});

describe(decideFlush.name, () => {
  it('should tell of new alerts first, then of those it told before, and count them', () => {
    const told = member({ notified: true });
    const fresh = member();

    const { notice, outcome, alertIds } = flush([told, fresh], {
      group: {
        id: GROUP_ID,
        groupKey: 'k',
        labels: {},
        sequence: 3,
        flushAt: NOW,
        remindAt: null,
        lastFlushAt: new Date(NOW.getTime() - 10 * MINUTE),
      },
    });

    expect(notice).toMatchObject({
      eventId: `${GROUP_ID}:4`,
      type: 'FIRING',
      firingCount: 2,
      groupResolved: false,
      group: { dedupKey: `cml-worker-monitor:${GROUP_ID}` },
    });
    expect(notice?.firing.map((alert) => [alert.id, alert.isNew])).toEqual([
      [fresh.alertId, true],
      [told.alertId, false],
    ]);
    expect(notice?.firing[0].startedAt).toBe('2026-06-01T08:00:00.000Z');
    expect(alertIds).toEqual([fresh.alertId, told.alertId]);
    expect(outcome).toMatchObject({
      notifiedAlertIds: [fresh.alertId],
      next: {
        sequence: 4,
        lastFlushAt: NOW,
        flushAt: null,
        remindAt: new Date(NOW.getTime() + 240 * MINUTE),
      },
    });
  });

  it('should resolve the group once nothing it told of fires, and let the group go', () => {
    const resolved = member({
      notified: true,
      alert: { state: 'RESOLVED', resolvedAt: '2026-06-01 08:30:00+00', resolvedValue: 10 },
    });
    const unheard = member({ alert: { state: 'RESOLVED', resolvedAt: '2026-06-01 08:40:00+00' } });

    const { notice, outcome } = flush([resolved, unheard]);

    expect(notice).toMatchObject({ type: 'RESOLVED', resolvedCount: 1, groupResolved: true });
    expect(notice?.resolved.map((alert) => alert.id)).toEqual([resolved.alertId]);
    expect(outcome.next).toBeNull();
    expect(outcome.removedAlertIds).toEqual([resolved.alertId, unheard.alertId]);
  });

  it('should say nothing of an alert that resolved before anyone was told', () => {
    const { notice, outcome } = flush([
      member({ alert: { state: 'RESOLVED', resolvedAt: '2026-06-01 08:40:00+00' } }),
    ]);

    expect(notice).toBeNull();
    expect(outcome.next).toBeNull();
  });

  it('should tell of an event (stored resolved) once, as firing', () => {
    const event = member({
      alert: {
        kind: 'TERMINATED',
        severity: 'CRITICAL',
        state: 'RESOLVED',
        resolvedAt: '2026-06-01 08:00:00+00',
      },
    });

    const { notice, outcome } = flush([event]);

    expect(notice).toMatchObject({ type: 'FIRING', firingCount: 1 });
    expect(notice?.firing[0]).toMatchObject({ id: event.alertId, isNew: true, state: 'RESOLVED' });
    expect(outcome.next).toBeNull();
  });

  it('should hold back silenced alerts until the latest matching silence ends, the group unresolved', () => {
    const told = member({ notified: true });
    const fresh = member();
    const soon = new Date(NOW.getTime() + 30 * MINUTE);
    const later = new Date(NOW.getTime() + 60 * MINUTE);

    const { notice, outcome } = flush([told, fresh], {
      silences: [silenceUntil(soon), silenceUntil(later), silenceUntil(NOW, () => false)],
    });

    expect(notice).toBeNull();
    expect(outcome.muted).toEqual([{ alertId: fresh.alertId, until: later }]);
    expect(outcome.next).toMatchObject({ flushAt: later, sequence: 0 });
  });

  it('should still tell of a resolution while a silence matches: its incident should close', () => {
    const resolved = member({
      notified: true,
      alert: { state: 'RESOLVED', resolvedAt: '2026-06-01 08:30:00+00' },
    });

    const { notice } = flush([resolved], {
      silences: [silenceUntil(new Date(NOW.getTime() + MINUTE))],
    });

    expect(notice).toMatchObject({ type: 'RESOLVED', groupResolved: true });
  });

  it('should match silences on the worker as it is, or as it was once removed', () => {
    const removed = { ...member(), worker: null, workerName: 'gone-lab', awsRegion: 'us-east-1' };
    const seen: unknown[] = [];

    flush([removed], {
      silences: [silenceUntil(new Date(NOW.getTime() + MINUTE), (facts) => !!seen.push(facts))],
    });

    expect(seen).toEqual([
      {
        workerId: removed.alert.workerId,
        workerName: 'gone-lab',
        awsRegion: 'us-east-1',
        kind: 'CPU_HIGH',
        severity: 'WARNING',
      },
    ]);
  });

  it('should remind only when due, of a group with unacknowledged WARNING or CRITICAL alerts', () => {
    const due = { ...flushGroup(), remindAt: NOW, flushAt: null };
    const acknowledged = member({
      notified: true,
      alert: { acknowledgedAt: '2026-06-01 08:10:00+00' },
    });
    const info = member({ notified: true, alert: { severity: 'INFO', kind: 'IDLE' } });
    const warning = member({ notified: true });

    const reminder = flush([acknowledged, info, warning], { group: due });
    const quiet = flush([acknowledged, info], { group: due });
    const notYet = flush([warning], { group: { ...due, remindAt: new Date(NOW.getTime() + 1) } });

    expect(reminder.notice).toMatchObject({ type: 'REMINDER', firingCount: 3 });
    expect(reminder.reminded).toEqual([warning.alertId]);
    expect(quiet.notice).toBeNull();
    expect(quiet.outcome.next?.remindAt).toEqual(new Date(NOW.getTime() + 240 * MINUTE));
    expect(notYet.notice).toBeNull();
    expect(notYet.outcome.next?.remindAt).toEqual(new Date(NOW.getTime() + 1));
  });

  it('should list at most NOTICE_ALERTS_MAX alerts and count them all', () => {
    const members = Array.from({ length: NOTICE_ALERTS_MAX + 20 }, () => member());

    const { notice, alertIds } = flush(members);

    expect(notice?.firing).toHaveLength(NOTICE_ALERTS_MAX);
    expect(notice?.firingCount).toBe(NOTICE_ALERTS_MAX + 20);
    expect(alertIds).toHaveLength(NOTICE_ALERTS_MAX + 20);
  });

  it('should link to the worker of a one-worker notice, and to the dashboard otherwise', () => {
    const one = member();
    const single = flush([one], { publicUrl: 'https://cwm.example.org' });
    const many = flush([member(), member()], { publicUrl: 'https://cwm.example.org' });

    expect(single.notice?.link).toBe(`https://cwm.example.org/#/workers/${one.alert.workerId}`);
    expect(single.notice?.firing[0].link).toBe(single.notice?.link);
    expect(many.notice?.link).toBe('https://cwm.example.org/');
    expect(flush([member()]).notice?.link).toBeNull();
  });
});

describe(groupOf.name, () => {
  const alert = { workerId: 'w-1', kind: 'CPU_HIGH', severity: 'CRITICAL' };

  it('should key a group by its labels in name order', () => {
    expect(groupOf(['severity', 'region', 'kind'], alert, 'us-east-1')).toEqual({
      key: 'kind=CPU_HIGH,region=us-east-1,severity=CRITICAL',
      labels: { kind: 'CPU_HIGH', region: 'us-east-1', severity: 'CRITICAL' },
    });
  });

  it('should group per worker when asked, and put a removed worker in region unknown', () => {
    expect(groupOf(['worker'], alert, 'us-east-1').key).toBe('worker=w-1');
    expect(groupOf(['region'], alert, null).key).toBe('region=unknown');
  });
});

function flushGroup(): FlushInput['group'] {
  return {
    id: GROUP_ID,
    groupKey: 'k',
    labels: {},
    sequence: 1,
    flushAt: NOW,
    remindAt: null,
    lastFlushAt: new Date(NOW.getTime() - 60 * MINUTE),
  };
}
