import type { CmlRowFragment } from '../../web/src/generated/graphql';
import {
  cmlAfterSample,
  cmlCheckedAt,
  labsInOrder,
  labsSummary,
  licenseStanding,
  sameCml,
  type DetailLab,
} from '../../web/src/state/cml';
import {
  importInputs,
  parseTagFilter,
  shownTags,
  toggleAll,
  type DiscoveredInstance,
} from '../../web/src/state/discovery';

const available: CmlRowFragment = {
  status: 'AVAILABLE',
  error: null,
  labsRunning: 2,
  nodesRunning: 14,
};

function lab(title: string, running: boolean): DetailLab {
  return {
    id: title,
    title,
    state: running ? 'STARTED' : 'STOPPED',
    running,
    owner: null,
    nodeCount: 3,
    modifiedAt: null,
  };
}

function instance(id: string, overrides: Partial<DiscoveredInstance> = {}): DiscoveredInstance {
  return {
    awsInstanceId: id,
    awsRegion: 'eu-west-1',
    name: id,
    instanceType: 't3.large',
    status: 'RUNNING',
    launchedAt: null,
    tags: [],
    ...overrides,
  };
}

describe('the dashboard CML state', () => {
  describe('after a sample', () => {
    it('should take the status and counts a successful read brings, and drop the error', () => {
      const failing = { ...available, status: 'ERROR' as const, error: 'refused' };

      expect(
        cmlAfterSample(failing, { cmlStatus: 'AVAILABLE', labsRunning: 1, nodesRunning: 8 }),
      ).toEqual({ status: 'AVAILABLE', error: null, labsRunning: 1, nodesRunning: 8 });
    });

    it('should keep the last counts when the read failed, and the error while the status stays', () => {
      const unavailable = { ...available, status: 'UNAVAILABLE' as const, error: 'timed out' };
      const failed = { labsRunning: null, nodesRunning: null };

      expect(cmlAfterSample(unavailable, { cmlStatus: 'UNAVAILABLE', ...failed })).toEqual(
        unavailable,
      );
      // The new status's reason comes with the next refetch; the old one would mislead.
      expect(cmlAfterSample(unavailable, { cmlStatus: 'ERROR', ...failed })).toEqual({
        status: 'ERROR',
        error: null,
        labsRunning: 2,
        nodesRunning: 14,
      });
    });

    it('should know no lab on a worker that is not running, and change nothing without a status', () => {
      expect(
        cmlAfterSample(available, { cmlStatus: 'NOT_APPLICABLE', labsRunning: 3, nodesRunning: 1 }),
      ).toEqual({ status: 'NOT_APPLICABLE', error: null, labsRunning: null, nodesRunning: null });
      expect(cmlAfterSample(available, { cmlStatus: null, labsRunning: 5, nodesRunning: 5 })).toBe(
        available,
      );
    });

    it('should tell a change apart from the same figures', () => {
      expect(sameCml(available, { ...available })).toBe(true);
      expect(sameCml(available, { ...available, nodesRunning: 15 })).toBe(false);
      expect(sameCml(available, { ...available, error: 'x' })).toBe(false);
    });
  });

  it('should say what runs in a few characters', () => {
    expect(labsSummary({ labsRunning: 2, nodesRunning: 14 })).toBe('2 labs · 14 nodes');
    expect(labsSummary({ labsRunning: 1, nodesRunning: 1 })).toBe('1 lab · 1 node');
    expect(labsSummary({ labsRunning: 1, nodesRunning: null })).toBe('1 lab');
    expect(labsSummary({ labsRunning: 0, nodesRunning: 0 })).toBe('no lab');
    expect(labsSummary({ labsRunning: null, nodesRunning: null })).toBe('—');
  });

  it('should list running labs first, then by title as people count', () => {
    const ordered = labsInOrder([
      lab('lab-10', false),
      lab('lab-2', false),
      lab('zeta', true),
      lab('alpha', true),
    ]);

    expect(ordered.map((entry) => entry.title)).toEqual(['alpha', 'zeta', 'lab-2', 'lab-10']);
  });

  it("should flag a license by the service's expiring alert, and invalid or expired ones by themselves", () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    const later = '2026-06-05T00:00:00Z';
    const earlier = '2026-05-30T00:00:00Z';

    expect(licenseStanding(null, true, now)).toBe('unknown');
    expect(licenseStanding({ valid: true, expiresAt: later }, false, now)).toBe('valid');
    expect(licenseStanding({ valid: true, expiresAt: later }, true, now)).toBe('expiring');
    expect(licenseStanding({ valid: false, expiresAt: later }, true, now)).toBe('invalid');
    expect(licenseStanding({ valid: false, expiresAt: null }, false, now)).toBe('invalid');
    expect(licenseStanding({ valid: true, expiresAt: earlier }, false, now)).toBe('expired');
  });

  it('should take a live poll of a running worker as the last time CML was asked', () => {
    const fetched = '2026-06-01T00:00:00.000Z';
    const polled = '2026-06-01T00:05:00.000Z';

    expect(cmlCheckedAt({ status: 'AVAILABLE' }, polled, fetched)).toBe(polled);
    expect(cmlCheckedAt({ status: 'UNAVAILABLE' }, polled, null)).toBe(polled);
    expect(cmlCheckedAt({ status: 'NOT_APPLICABLE' }, polled, fetched)).toBe(fetched);
    expect(cmlCheckedAt({ status: 'UNKNOWN' }, polled, null)).toBeNull();
    expect(cmlCheckedAt({ status: 'AVAILABLE' }, fetched, polled)).toBe(polled);
  });
});

describe('the dashboard discovery state', () => {
  it('should read key=value pairs, bare keys for any value, and a key named twice as either value', () => {
    expect(parseTagFilter('')).toEqual({ tags: [] });
    expect(parseTagFilter(' team = labs , env=prod,team=ops, ')).toEqual({
      tags: [
        { key: 'team', values: ['labs', 'ops'] },
        { key: 'env', values: ['prod'] },
      ],
    });
    expect(parseTagFilter('cml-worker')).toEqual({ tags: [{ key: 'cml-worker' }] });
    expect(parseTagFilter('team=labs,team')).toEqual({ tags: [{ key: 'team' }] });
    expect(parseTagFilter('owner=')).toEqual({ tags: [{ key: 'owner', values: [''] }] });
    expect(parseTagFilter('=labs')).toEqual({ error: expect.stringContaining('no tag key') });
  });

  it('should import the chosen instances with their regions, in the order listed', () => {
    const listed = [instance('i-1'), instance('i-2', { awsRegion: 'us-east-1' }), instance('i-3')];
    const chosen = new Set(['eu-west-1/i-3', 'us-east-1/i-2']);

    expect(importInputs(listed, chosen)).toEqual([
      { awsInstanceId: 'i-2', awsRegion: 'us-east-1' },
      { awsInstanceId: 'i-3', awsRegion: 'eu-west-1' },
    ]);
  });

  it('should select all, or none once all are selected', () => {
    const listed = [instance('i-1'), instance('i-2')];

    expect([...toggleAll(listed, new Set())]).toEqual(['eu-west-1/i-1', 'eu-west-1/i-2']);
    expect([...toggleAll(listed, new Set(['eu-west-1/i-1']))]).toHaveLength(2);
    expect(toggleAll(listed, new Set(['eu-west-1/i-1', 'eu-west-1/i-2'])).size).toBe(0);
    expect(toggleAll([], new Set()).size).toBe(0);
  });

  it('should show the tags but Name, which is the name already', () => {
    const tagged = instance('i-1', {
      tags: [
        { key: 'Name', value: 'lab-a' },
        { key: 'team', value: 'labs' },
        { key: 'env', value: 'prod' },
      ],
    });

    expect(shownTags(tagged)).toBe('team=labs, env=prod');
  });
});
