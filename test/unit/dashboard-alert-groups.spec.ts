import type { AlertRowFragment } from '../../web/src/generated/graphql';
import {
  COLLAPSED_OVER,
  firingEntries,
  GROUP_PAGE,
  groupAlerts,
  groupHeading,
  type FiringEntry,
} from '../../web/src/state/alert-groups';

function alert(id: string, overrides: Partial<AlertRowFragment> = {}): AlertRowFragment {
  return {
    id,
    workerId: `worker-${id}`,
    worker: { id: `worker-${id}`, name: `cml-${id}`, awsRegion: 'us-east-1' },
    kind: 'CPU_HIGH',
    state: 'FIRING',
    severity: 'WARNING',
    silenced: false,
    value: 95,
    threshold: 90,
    message: 'hot',
    resolution: null,
    resolvedValue: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    resolvedAt: null,
    acknowledgedAt: null,
    ...overrides,
  };
}

const many = (count: number, overrides: Partial<AlertRowFragment> = {}) =>
  Array.from({ length: count }, (_, index) =>
    alert(`${overrides.kind ?? 'cpu'}-${index}`, overrides),
  );

const ids = (alerts: readonly AlertRowFragment[]) => alerts.map((entry) => entry.id);

type GroupEntry = Extract<FiringEntry, { kind: 'group' }>;

function groupEntry(entries: FiringEntry[], index: number): GroupEntry {
  const entry = entries[index];
  if (entry?.kind !== 'group') {
    throw new TypeError(`entry ${index} is not a group: ${JSON.stringify(entry)}`);
  }
  return entry;
}

describe('the dashboard alert groups', () => {
  it('should group firing alerts by kind, severity and the region of their worker', () => {
    const groups = groupAlerts([
      alert('a'),
      alert('b', { worker: { id: 'worker-b', name: 'cml-b', awsRegion: 'eu-west-1' } }),
      alert('c'),
      alert('d', { severity: 'CRITICAL' }),
      alert('e', { kind: 'MEMORY_HIGH' }),
      alert('f', { worker: null }),
    ]);

    expect(groups.map((group) => [group.key, ids(group.alerts)])).toEqual([
      ['CPU_HIGH/WARNING/us-east-1', ['a', 'c']],
      ['CPU_HIGH/WARNING/eu-west-1', ['b']],
      ['CPU_HIGH/CRITICAL/us-east-1', ['d']],
      ['MEMORY_HIGH/WARNING/us-east-1', ['e']],
      ['CPU_HIGH/WARNING/', ['f']],
    ]);
    expect(groups[4]?.region).toBeNull();
  });

  it('should count the silenced alerts of a group and list them after the others', () => {
    const [group] = groupAlerts([
      alert('a', { silenced: true }),
      alert('b'),
      alert('c', { silenced: true }),
      alert('d'),
    ]);

    expect(ids(group?.alerts ?? [])).toEqual(['b', 'd', 'a', 'c']);
    expect(group?.silenced).toBe(2);
  });

  it('should head a group with its kind, severity, region, workers and silenced ones', () => {
    const [cpu, removed] = groupAlerts([
      ...many(100),
      alert('gone', { worker: null, kind: 'STATUS_CHECK_FAILED', severity: 'CRITICAL' }),
    ]);
    const [silenced] = groupAlerts([alert('a', { silenced: true }), alert('b')]);

    expect(cpu && groupHeading(cpu)).toEqual({
      title: 'CPU high · WARNING · us-east-1',
      count: '100 workers',
      silenced: null,
    });
    expect(removed && groupHeading(removed)).toEqual({
      title: 'Status check failed · CRITICAL · removed workers',
      count: '1 worker',
      silenced: null,
    });
    expect(silenced && groupHeading(silenced).silenced).toBe('1 silenced');
  });

  it('should show a lone alert as a plain row, a small group open and a big one closed', () => {
    const entries = firingEntries(
      groupAlerts([
        alert('lone', { kind: 'IDLE', severity: 'INFO' }),
        ...many(COLLAPSED_OVER, { kind: 'MEMORY_HIGH' }),
        ...many(COLLAPSED_OVER + 1),
      ]),
      new Map(),
      new Map(),
    );

    expect(entries[0]).toEqual({ kind: 'alert', alert: expect.objectContaining({ id: 'lone' }) });
    const small = groupEntry(entries, 1);
    expect([small.open, small.shown.length, small.hidden]).toEqual([true, COLLAPSED_OVER, 0]);
    const big = groupEntry(entries, 2);
    expect([big.open, big.shown.length, big.hidden]).toEqual([false, 0, COLLAPSED_OVER + 1]);
  });

  it('should follow a group opened or closed by hand, and show an open one a page at a time', () => {
    const groups = groupAlerts([...many(GROUP_PAGE * 2 + 5), ...many(2, { kind: 'IDLE' })]);
    const opened = new Map([
      ['CPU_HIGH/WARNING/us-east-1', true],
      ['IDLE/WARNING/us-east-1', false],
    ]);

    const first = firingEntries(groups, opened, new Map());
    expect([groupEntry(first, 0).shown.length, groupEntry(first, 0).hidden]).toEqual([
      GROUP_PAGE,
      GROUP_PAGE + 5,
    ]);
    expect(groupEntry(first, 1).open).toBe(false);

    const more = firingEntries(groups, opened, new Map([['CPU_HIGH/WARNING/us-east-1', 3]]));
    expect([groupEntry(more, 0).shown.length, groupEntry(more, 0).hidden]).toEqual([
      GROUP_PAGE * 2 + 5,
      0,
    ]);
  });
});
