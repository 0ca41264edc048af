import { AlertKind, AlertSeverity } from '../../src/entities/alert.enums';
import type { SilenceMatchers } from '../../src/entities/silence.types';
import { type SilenceFacts, silenceMatches } from '../../src/services/silences/silence-matchers';

const WORKER = '6f1c1c5e-2d7a-4c1e-9d0b-6d2c8a9e1f00';
const OTHER_WORKER = '0b7e4a52-9c3d-4f8e-a1b2-3c4d5e6f7a80';

const matchers = (given: Partial<SilenceMatchers>): SilenceMatchers => ({
  workerIds: null,
  nameContains: null,
  awsRegion: null,
  kinds: null,
  severities: null,
  ...given,
});

const facts = (overrides: Partial<SilenceFacts> = {}): SilenceFacts => ({
  workerId: WORKER,
  workerName: 'Lab-Worker-07',
  awsRegion: 'eu-west-1',
  kind: AlertKind.CPU_HIGH,
  severity: AlertSeverity.WARNING,
  ...overrides,
});

describe(silenceMatches.name, () => {
  it('should match on the worker ids listed, and not on another worker', () => {
    const byWorker = matchers({ workerIds: [OTHER_WORKER, WORKER] });

    expect(silenceMatches(byWorker, facts())).toBe(true);
    expect(
      silenceMatches(byWorker, facts({ workerId: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })),
    ).toBe(false);
  });

  it('should match a part of the worker name whatever its case', () => {
    expect(silenceMatches(matchers({ nameContains: 'worker-0' }), facts())).toBe(true);
    expect(silenceMatches(matchers({ nameContains: 'LAB-W' }), facts())).toBe(true);
    expect(silenceMatches(matchers({ nameContains: 'worker-08' }), facts())).toBe(false);
  });

  it('should match the region exactly', () => {
    expect(silenceMatches(matchers({ awsRegion: 'eu-west-1' }), facts())).toBe(true);
    expect(silenceMatches(matchers({ awsRegion: 'eu-west-2' }), facts())).toBe(false);
  });

  it('should match any of the kinds listed', () => {
    const kinds = matchers({ kinds: [AlertKind.MEMORY_HIGH, AlertKind.CPU_HIGH] });

    expect(silenceMatches(kinds, facts())).toBe(true);
    expect(silenceMatches(kinds, facts({ kind: AlertKind.IDLE }))).toBe(false);
  });

  it('should match any of the severities listed', () => {
    const severities = matchers({ severities: [AlertSeverity.INFO, AlertSeverity.WARNING] });

    expect(silenceMatches(severities, facts())).toBe(true);
    expect(silenceMatches(severities, facts({ severity: AlertSeverity.CRITICAL }))).toBe(false);
  });

  it('should match only when every matcher given matches', () => {
    const maintenance = matchers({
      awsRegion: 'eu-west-1',
      kinds: [AlertKind.STOPPED_UNEXPECTEDLY, AlertKind.STATUS_CHECK_FAILED],
      severities: [AlertSeverity.WARNING, AlertSeverity.CRITICAL],
    });
    const stopped = facts({ kind: AlertKind.STOPPED_UNEXPECTEDLY });

    expect(silenceMatches(maintenance, stopped)).toBe(true);
    expect(silenceMatches(maintenance, { ...stopped, awsRegion: 'us-east-1' })).toBe(false);
    expect(silenceMatches(maintenance, { ...stopped, kind: AlertKind.CPU_HIGH })).toBe(false);
    expect(silenceMatches(maintenance, { ...stopped, severity: AlertSeverity.INFO })).toBe(false);
  });

  it('should let the matchers left out match every alert', () => {
    const byKind = matchers({ kinds: [AlertKind.CPU_HIGH] });

    expect(
      silenceMatches(byKind, facts({ workerId: OTHER_WORKER, workerName: null, awsRegion: null })),
    ).toBe(true);
  });

  it('should not match a name or region matcher when the worker is not known', () => {
    const unknown = facts({ workerName: null, awsRegion: null });

    expect(silenceMatches(matchers({ nameContains: 'worker' }), unknown)).toBe(false);
    expect(silenceMatches(matchers({ awsRegion: 'eu-west-1' }), unknown)).toBe(false);
    expect(silenceMatches(matchers({ workerIds: [WORKER] }), unknown)).toBe(true);
  });
});
