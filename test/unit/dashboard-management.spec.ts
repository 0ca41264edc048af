import { alertMeasure, levelOf } from '../../web/src/format';
import type { MonitoringHealthFragment, WorkerRowFragment } from '../../web/src/generated/graphql';
import {
  healthOf,
  monitoringRefetchMs,
  nextLook,
  OVERDUE_GRACE_MS,
  type MonitoringLook,
} from '../../web/src/state/monitoring';
import { createInput, settingsChange, settingsDraft } from '../../web/src/state/worker-form';

const status = (
  overrides: Partial<MonitoringHealthFragment> = {},
  overdue = 0,
): MonitoringHealthFragment => ({
  enabled: true,
  pollIntervalSeconds: 60,
  jobs: { scheduled: 10, running: 0, overdue },
  lastCycle: null,
  ...overrides,
});

/** The looks taken at these times, each with that many jobs past due. */
function looks(...taken: [at: number, overdue: number][]): MonitoringLook | null {
  return taken.reduce<MonitoringLook | null>(
    (previous, [at, overdue]) => nextLook(previous, status({}, overdue), at),
    null,
  );
}

describe('the dashboard header', () => {
  it('should say Live while the socket is open and the polls run', () => {
    expect(healthOf('live', looks([0, 0]))).toBe('live');
  });

  it('should say the socket state first, whatever the polls do', () => {
    expect(healthOf('reconnecting', nextLook(null, status({ enabled: false }), 0))).toBe(
      'reconnecting',
    );
    expect(healthOf('connecting', looks([0, 3], [OVERDUE_GRACE_MS, 3]))).toBe('connecting');
  });

  it('should say Monitoring off when the service schedules no poll', () => {
    expect(healthOf('live', nextLook(null, status({ enabled: false }), 0))).toBe('monitoring-off');
  });

  it('should say Polls overdue once jobs stayed past due for the grace, not at the first look', () => {
    expect(healthOf('live', looks([0, 3]))).toBe('live');
    expect(healthOf('live', looks([0, 3], [OVERDUE_GRACE_MS - 1, 5]))).toBe('live');
    expect(healthOf('live', looks([0, 3], [5_000, 5], [OVERDUE_GRACE_MS, 1]))).toBe(
      'polls-overdue',
    );
  });

  it('should start the grace again after a look with nothing past due', () => {
    expect(healthOf('live', looks([0, 3], [10_000, 0], [OVERDUE_GRACE_MS, 3]))).toBe('live');
  });

  it('should look every poll interval, between every 5 s and every 30 s', () => {
    expect(monitoringRefetchMs(2)).toBe(5_000);
    expect(monitoringRefetchMs(12)).toBe(12_000);
    expect(monitoringRefetchMs(300)).toBe(30_000);
  });
});

describe('the dashboard alert wording', () => {
  const alert = {
    kind: 'CPU_HIGH',
    state: 'FIRING',
    value: 97,
    threshold: 90,
    resolvedValue: null,
  } as const;

  it('should say a load alert fires strictly above its threshold, and idle strictly below', () => {
    expect(alertMeasure(alert)).toBe('97.0%, above 90.0%');
    expect(alertMeasure({ ...alert, kind: 'IDLE', value: 3, threshold: 5 })).toBe(
      '3.0%, below 5.0%',
    );
  });

  it('should say what a resolved alert fired at and what resolved it', () => {
    expect(alertMeasure({ ...alert, state: 'RESOLVED', resolvedValue: 12 })).toBe(
      'fired at 97.0%, resolved at 12.0%',
    );
    expect(alertMeasure({ ...alert, state: 'RESOLVED' })).toBe('fired at 97.0%');
  });

  it('should colour a load at its threshold as close to it, not over it, as the rules count', () => {
    expect(levelOf(90, 90)).toBe('warm');
    expect(levelOf(90.1, 90)).toBe('hot');
  });
});

describe('the dashboard worker forms', () => {
  const worker = {
    name: 'cml-worker-01',
    thresholds: { cpu: 90, memory: 85 },
    monitoringEnabled: true,
  } as WorkerRowFragment;

  it('should leave blank fields to the service and send the thresholds given', () => {
    expect(
      createInput({
        name: 'lab-7',
        awsRegion: ' ',
        instanceType: 'c5.2xlarge',
        amiId: '',
        cpu: '75',
        memory: '',
        cmlEndpoint: '',
      }),
    ).toEqual({
      name: 'lab-7',
      awsRegion: undefined,
      instanceType: 'c5.2xlarge',
      amiId: undefined,
      thresholds: { cpu: 75, memory: undefined },
      cmlEndpoint: undefined,
    });
  });

  it('should send only what an edit changed, and nothing when nothing did', () => {
    const draft = settingsDraft(worker);
    expect(settingsChange(worker, draft)).toBeNull();
    expect(settingsChange(worker, { ...draft, cpu: '75', monitoringEnabled: false })).toEqual({
      thresholds: { cpu: 75 },
      monitoringEnabled: false,
    });
    expect(settingsChange(worker, { ...draft, name: ' renamed ' })).toEqual({ name: ' renamed ' });
  });
});
