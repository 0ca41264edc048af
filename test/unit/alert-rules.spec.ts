import { AlertKind, AlertSeverity, WorkerAction } from '../../src/entities/alert.enums';
import { CmlServiceStatus } from '../../src/entities/cml.types';
import { CheckStatus, WorkerStatus } from '../../src/entities/worker-status.enum';
import {
  type AlertRules,
  type CmlFacts,
  type Decisions,
  evaluate,
  nextAlertState,
  NO_CML,
  type Observation,
  type OpenAlert,
  percent,
  type WorkerAlertState,
} from '../../src/services/alerts/alert-rules';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = new Date('2024-05-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

const rules = (overrides: Partial<AlertRules> = {}): AlertRules => ({
  forSamples: 1,
  hysteresis: 5,
  idleCpuThreshold: 5,
  idleAfterMs: undefined,
  requestTtlMs: 3_600_000,
  licenseWarningMs: 14 * 24 * HOUR,
  ...overrides,
});

const observation = (overrides: Partial<Observation> = {}): Observation => ({
  previousStatus: WorkerStatus.RUNNING,
  status: WorkerStatus.RUNNING,
  previousTransitionAt: at(-24 * HOUR),
  requested: null,
  thresholds: { cpu: 90, memory: 90 },
  cpu: 50,
  memory: 50,
  systemCheck: CheckStatus.OK,
  instanceCheck: CheckStatus.OK,
  collectedAt: T0,
  open: [],
  cml: NO_CML,
  ...overrides,
});

const initialState = (overrides: Partial<WorkerAlertState> = {}): WorkerAlertState => ({
  cpuHighStreak: 0,
  memoryHighStreak: 0,
  cmlFailureStreak: 0,
  lastActivityAt: null,
  ...overrides,
});

const openAlert = (kind: AlertKind, threshold: number | null = null): OpenAlert => ({
  id: `open-${kind}`,
  kind,
  threshold,
});

/** One sample: the state after it (from `nextAlertState`), then the evaluator's decisions. */
const evaluateOne = (
  sample: Observation,
  rulesInUse: AlertRules = rules(),
  previous: WorkerAlertState = initialState(),
): Decisions => evaluate(sample, nextAlertState(previous, sample, rulesInUse), rulesInUse);

const kinds = (decisions: { kind: AlertKind }[]) => decisions.map((decision) => decision.kind);

interface Step {
  observation: Observation;
  state: WorkerAlertState;
  decisions: Decisions;
  /** The open alerts after this step's decisions were applied. */
  open: OpenAlert[];
}

interface RunOptions {
  rules?: AlertRules;
  state?: WorkerAlertState;
  open?: OpenAlert[];
  intervalMs?: number;
}

/**
 * Feeds samples through `nextAlertState` and `evaluate` as the service would, carrying the state,
 * the open alerts (fired ones get a generated id, resolved ones are dropped), the previous status
 * and the time the worker entered it. Each sample overrides the defaults of `observation`; it is
 * collected `intervalMs` (default a minute) after the previous one unless it says otherwise.
 */
function run(samples: Partial<Observation>[], options: RunOptions = {}): Step[] {
  const rulesInUse = options.rules ?? rules();
  let state = options.state ?? initialState();
  let open = [...(options.open ?? [])];
  let previousStatus = WorkerStatus.RUNNING;
  let previousTransitionAt: Date | null = at(-24 * HOUR);
  let nextId = 1;
  const steps: Step[] = [];
  samples.forEach((sample, index) => {
    const current = observation({
      previousStatus,
      previousTransitionAt,
      collectedAt: at(index * (options.intervalMs ?? MINUTE)),
      ...sample,
      open: [...open],
    });
    state = nextAlertState(state, current, rulesInUse);
    const decisions = evaluate(current, state, rulesInUse);
    const resolvedIds = new Set(decisions.resolve.map((resolved) => resolved.alertId));
    open = [
      ...open.filter((alert) => !resolvedIds.has(alert.id)),
      ...decisions.fire.map((fired) => ({
        id: `alert-${nextId++}`,
        kind: fired.kind,
        threshold: fired.threshold,
      })),
    ];
    if (current.status !== current.previousStatus) {
      previousTransitionAt = current.collectedAt;
    } else {
      previousTransitionAt = current.previousTransitionAt;
    }
    previousStatus = current.status;
    steps.push({ observation: current, state, decisions, open });
  });
  return steps;
}

const firedKindsPerStep = (steps: Step[]) => steps.map((step) => kinds(step.decisions.fire));

describe('percent', () => {
  it('should print a whole number without decimals', () => {
    expect(percent(97)).toBe('97 %');
    expect(percent(0)).toBe('0 %');
  });

  it('should print a fraction with one decimal', () => {
    expect(percent(97.25)).toBe('97.3 %');
    expect(percent(84.94)).toBe('84.9 %');
  });
});

describe('nextAlertState', () => {
  const sample = (overrides: Partial<Observation> = {}) => observation(overrides);

  it('should count consecutive samples above the threshold', () => {
    let state = initialState();
    state = nextAlertState(state, sample({ cpu: 95, memory: 91 }), rules());
    state = nextAlertState(state, sample({ cpu: 95, memory: 91 }), rules());

    expect(state.cpuHighStreak).toBe(2);
    expect(state.memoryHighStreak).toBe(2);
  });

  it('should reset a streak to 0 on a value at or below the threshold', () => {
    const previous = initialState({ cpuHighStreak: 2, memoryHighStreak: 2 });

    const state = nextAlertState(previous, sample({ cpu: 90, memory: 40 }), rules());

    expect(state.cpuHighStreak).toBe(0);
    expect(state.memoryHighStreak).toBe(0);
  });

  it('should neither count nor break a streak on a sample without a value', () => {
    const previous = initialState({ cpuHighStreak: 2, memoryHighStreak: 1 });

    const state = nextAlertState(previous, sample({ cpu: null, memory: null }), rules());

    expect(state.cpuHighStreak).toBe(2);
    expect(state.memoryHighStreak).toBe(1);
  });

  it('should keep the CPU and memory streaks apart', () => {
    const previous = initialState({ cpuHighStreak: 2, memoryHighStreak: 2 });

    const state = nextAlertState(previous, sample({ cpu: 95, memory: 50 }), rules());

    expect(state.cpuHighStreak).toBe(3);
    expect(state.memoryHighStreak).toBe(0);
  });

  it("should count against the worker's own thresholds", () => {
    const state = nextAlertState(
      initialState(),
      sample({ cpu: 75, memory: 75, thresholds: { cpu: 70, memory: 80 } }),
      rules(),
    );

    expect(state.cpuHighStreak).toBe(1);
    expect(state.memoryHighStreak).toBe(0);
  });

  it.each([WorkerStatus.PENDING, WorkerStatus.STOPPING, WorkerStatus.STOPPED])(
    'should reset every streak when the worker is %s, keeping the last activity',
    (status) => {
      const previous = initialState({
        cpuHighStreak: 4,
        memoryHighStreak: 3,
        cmlFailureStreak: 2,
        lastActivityAt: at(-HOUR),
      });

      const state = nextAlertState(
        previous,
        sample({ status, cpu: 99, memory: 99, collectedAt: T0 }),
        rules(),
      );

      expect(state).toEqual({
        cpuHighStreak: 0,
        memoryHighStreak: 0,
        cmlFailureStreak: 0,
        lastActivityAt: at(-HOUR),
      });
    },
  );

  it('should record a busy sample as the last activity', () => {
    const previous = initialState({ lastActivityAt: at(-HOUR) });

    expect(nextAlertState(previous, sample({ cpu: 40 }), rules()).lastActivityAt).toEqual(T0);
    expect(nextAlertState(previous, sample({ cpu: 5 }), rules()).lastActivityAt).toEqual(T0);
  });

  it('should keep the last activity on an idle sample or one without CPU', () => {
    const previous = initialState({ lastActivityAt: at(-HOUR) });

    expect(nextAlertState(previous, sample({ cpu: 4.9 }), rules()).lastActivityAt).toEqual(
      at(-HOUR),
    );
    expect(nextAlertState(previous, sample({ cpu: null }), rules()).lastActivityAt).toEqual(
      at(-HOUR),
    );
  });
});

describe('evaluate', () => {
  describe('CPU_HIGH and MEMORY_HIGH', () => {
    it('should not fire after 2 samples above the threshold but fire on the 3rd', () => {
      const steps = run([{ cpu: 95 }, { cpu: 96 }, { cpu: 97.25 }], {
        rules: rules({ forSamples: 3 }),
      });

      expect(firedKindsPerStep(steps)).toEqual([[], [], [AlertKind.CPU_HIGH]]);
      expect(steps[2].decisions.fire).toEqual([
        {
          kind: AlertKind.CPU_HIGH,
          severity: AlertSeverity.WARNING,
          value: 97.25,
          threshold: 90,
          message: expect.stringContaining('97.3 %'),
        },
      ]);
      expect(steps[2].decisions.resolve).toEqual([]);
    });

    it('should restart the count after a dip to or below the threshold', () => {
      const steps = run(
        [{ cpu: 95 }, { cpu: 95 }, { cpu: 90 }, { cpu: 95 }, { cpu: 95 }, { cpu: 95 }],
        { rules: rules({ forSamples: 3 }) },
      );

      expect(firedKindsPerStep(steps)).toEqual([[], [], [], [], [], [AlertKind.CPU_HIGH]]);
    });

    it('should neither count nor break the streak on samples without a value', () => {
      const steps = run([{ cpu: 95 }, { cpu: null }, { cpu: 95 }, { cpu: null }, { cpu: 95 }], {
        rules: rules({ forSamples: 3 }),
      });

      expect(firedKindsPerStep(steps)).toEqual([[], [], [], [], [AlertKind.CPU_HIGH]]);
    });

    it('should not fire on a sample without a value, even with the streak already long enough', () => {
      const decisions = evaluateOne(
        observation({ cpu: null, memory: null }),
        rules({ forSamples: 3 }),
        initialState({ cpuHighStreak: 5, memoryHighStreak: 5 }),
      );

      expect(decisions).toEqual({ fire: [], resolve: [] });
    });

    it('should restart the count when the worker leaves RUNNING', () => {
      const steps = run(
        [
          { cpu: 95 },
          { cpu: 95 },
          { status: WorkerStatus.PENDING, cpu: 95 },
          { cpu: 95 },
          { cpu: 95 },
          { cpu: 95 },
        ],
        { rules: rules({ forSamples: 3 }) },
      );

      expect(firedKindsPerStep(steps)).toEqual([[], [], [], [], [], [AlertKind.CPU_HIGH]]);
    });

    it('should not fire on a value equal to the threshold', () => {
      const decisions = evaluateOne(observation({ cpu: 90, memory: 90 }));

      expect(decisions.fire).toEqual([]);
    });

    it("should fire against the worker's own threshold and report it", () => {
      const thresholds = { cpu: 70, memory: 90 };

      const decisions = evaluateOne(observation({ cpu: 75, memory: 75, thresholds }));

      expect(decisions.fire).toHaveLength(1);
      expect(decisions.fire[0]).toMatchObject({
        kind: AlertKind.CPU_HIGH,
        severity: AlertSeverity.WARNING,
        value: 75,
        threshold: 70,
      });
    });

    it('should fire MEMORY_HIGH against the memory threshold', () => {
      const decisions = evaluateOne(
        observation({ cpu: 50, memory: 85.5, thresholds: { cpu: 90, memory: 80 } }),
      );

      expect(decisions.fire).toEqual([
        {
          kind: AlertKind.MEMORY_HIGH,
          severity: AlertSeverity.WARNING,
          value: 85.5,
          threshold: 80,
          message: expect.any(String),
        },
      ]);
    });

    it('should fire CPU_HIGH and MEMORY_HIGH together when both are high', () => {
      const decisions = evaluateOne(observation({ cpu: 95, memory: 96 }));

      expect(kinds(decisions.fire).sort()).toEqual([AlertKind.CPU_HIGH, AlertKind.MEMORY_HIGH]);
    });

    it('should not fire again while an alert of that kind is open', () => {
      const steps = run([{ cpu: 95 }, { cpu: 97 }, { cpu: 99 }, { cpu: 99 }]);

      expect(firedKindsPerStep(steps)).toEqual([[AlertKind.CPU_HIGH], [], [], []]);
      expect(steps[3].open).toEqual([{ id: 'alert-1', kind: AlertKind.CPU_HIGH, threshold: 90 }]);
    });

    it('should not fire a kind that is already open, whatever the streak', () => {
      const decisions = evaluateOne(
        observation({
          cpu: 99,
          memory: 99,
          open: [openAlert(AlertKind.CPU_HIGH, 90), openAlert(AlertKind.MEMORY_HIGH, 90)],
        }),
        rules(),
        initialState({ cpuHighStreak: 10, memoryHighStreak: 10 }),
      );

      expect(decisions).toEqual({ fire: [], resolve: [] });
    });
  });

  describe('resolving CPU_HIGH and MEMORY_HIGH', () => {
    const withOpenCpu = (cpu: number | null, extra: Partial<Observation> = {}) =>
      evaluateOne(observation({ cpu, open: [openAlert(AlertKind.CPU_HIGH, 90)], ...extra }));

    it.each([95, 86, 85])('should keep firing at %s with threshold 90 and hysteresis 5', (cpu) => {
      expect(withOpenCpu(cpu)).toEqual({ fire: [], resolve: [] });
    });

    it('should resolve below the threshold minus the hysteresis, with the resolving value', () => {
      const decisions = withOpenCpu(84.9);

      expect(decisions.fire).toEqual([]);
      expect(decisions.resolve).toEqual([
        {
          alertId: `open-${AlertKind.CPU_HIGH}`,
          kind: AlertKind.CPU_HIGH,
          value: 84.9,
          reason: expect.any(String),
        },
      ]);
    });

    it('should resolve MEMORY_HIGH the same way', () => {
      const open = [openAlert(AlertKind.MEMORY_HIGH, 80)];
      const thresholds = { cpu: 90, memory: 80 };

      expect(evaluateOne(observation({ memory: 76, thresholds, open })).resolve).toEqual([]);
      expect(evaluateOne(observation({ memory: 74, thresholds, open })).resolve).toEqual([
        expect.objectContaining({
          alertId: `open-${AlertKind.MEMORY_HIGH}`,
          kind: AlertKind.MEMORY_HIGH,
          value: 74,
        }),
      ]);
    });

    it('should use the configured hysteresis', () => {
      const open = [openAlert(AlertKind.CPU_HIGH, 90)];
      const wide = rules({ hysteresis: 10 });

      expect(evaluateOne(observation({ cpu: 84.9, open }), wide).resolve).toEqual([]);
      expect(kinds(evaluateOne(observation({ cpu: 79.9, open }), wide).resolve)).toEqual([
        AlertKind.CPU_HIGH,
      ]);
    });

    it('should neither fire nor resolve on missing data', () => {
      expect(withOpenCpu(null)).toEqual({ fire: [], resolve: [] });
      expect(
        evaluateOne(observation({ memory: null, open: [openAlert(AlertKind.MEMORY_HIGH, 90)] })),
      ).toEqual({ fire: [], resolve: [] });
    });

    it('should fire, keep firing and resolve over a sequence of samples', () => {
      const steps = run([{ cpu: 95 }, { cpu: 86 }, { cpu: null }, { cpu: 84.9 }, { cpu: 50 }]);

      expect(firedKindsPerStep(steps)).toEqual([[AlertKind.CPU_HIGH], [], [], [], []]);
      expect(steps.map((step) => step.decisions.resolve)).toEqual([
        [],
        [],
        [],
        [
          {
            alertId: 'alert-1',
            kind: AlertKind.CPU_HIGH,
            value: 84.9,
            reason: expect.any(String),
          },
        ],
        [],
      ]);
      expect(steps[4].open).toEqual([]);
    });

    it('should fire again after resolving once the streak builds up anew', () => {
      const steps = run([{ cpu: 95 }, { cpu: 95 }, { cpu: 50 }, { cpu: 95 }, { cpu: 95 }], {
        rules: rules({ forSamples: 2 }),
      });

      expect(firedKindsPerStep(steps)).toEqual([
        [],
        [AlertKind.CPU_HIGH],
        [],
        [],
        [AlertKind.CPU_HIGH],
      ]);
      expect(kinds(steps[2].decisions.resolve)).toEqual([AlertKind.CPU_HIGH]);
    });
  });

  describe('when the threshold changed while an alert is open', () => {
    const raised = { cpu: 95, memory: 95 };

    it('should resolve an alert fired at 90 once the value is not above the new 95', () => {
      const decisions = evaluateOne(
        observation({ cpu: 93, thresholds: raised, open: [openAlert(AlertKind.CPU_HIGH, 90)] }),
      );

      expect(decisions.fire).toEqual([]);
      expect(decisions.resolve).toEqual([
        expect.objectContaining({
          alertId: `open-${AlertKind.CPU_HIGH}`,
          kind: AlertKind.CPU_HIGH,
          value: 93,
        }),
      ]);
    });

    it('should resolve at a value equal to the new threshold', () => {
      const decisions = evaluateOne(
        observation({
          memory: 95,
          thresholds: raised,
          open: [openAlert(AlertKind.MEMORY_HIGH, 90)],
        }),
      );

      expect(decisions.resolve).toEqual([
        expect.objectContaining({ kind: AlertKind.MEMORY_HIGH, value: 95 }),
      ]);
    });

    it('should keep the alert open while the value is above the new threshold', () => {
      const decisions = evaluateOne(
        observation({ cpu: 96, thresholds: raised, open: [openAlert(AlertKind.CPU_HIGH, 90)] }),
      );

      expect(decisions).toEqual({ fire: [], resolve: [] });
    });
  });

  describe('STOPPED_UNEXPECTEDLY', () => {
    const stopped = (overrides: Partial<Observation> = {}) =>
      observation({
        previousStatus: WorkerStatus.RUNNING,
        status: WorkerStatus.STOPPED,
        cpu: null,
        memory: null,
        systemCheck: null,
        instanceCheck: null,
        ...overrides,
      });

    it('should fire when a running worker stops without a stop request', () => {
      const decisions = evaluateOne(stopped());

      expect(decisions.fire).toEqual([
        {
          kind: AlertKind.STOPPED_UNEXPECTEDLY,
          severity: AlertSeverity.WARNING,
          value: null,
          threshold: null,
          message: expect.any(String),
        },
      ]);
    });

    it('should not fire when a stop was requested recently', () => {
      const decisions = evaluateOne(
        stopped({ requested: { action: WorkerAction.STOP, at: at(-5 * MINUTE) } }),
      );

      expect(decisions.fire).toEqual([]);
    });

    it('should not fire when the stop was requested exactly the request TTL ago', () => {
      const decisions = evaluateOne(
        stopped({ requested: { action: WorkerAction.STOP, at: at(-3_600_000) } }),
      );

      expect(decisions.fire).toEqual([]);
    });

    it('should fire when the stop was requested longer ago than the request TTL', () => {
      const decisions = evaluateOne(
        stopped({ requested: { action: WorkerAction.STOP, at: at(-2 * HOUR) } }),
      );

      expect(kinds(decisions.fire)).toEqual([AlertKind.STOPPED_UNEXPECTEDLY]);
    });

    it('should honour a shorter request TTL', () => {
      const decisions = evaluateOne(
        stopped({ requested: { action: WorkerAction.STOP, at: at(-10 * MINUTE) } }),
        rules({ requestTtlMs: 5 * MINUTE }),
      );

      expect(kinds(decisions.fire)).toEqual([AlertKind.STOPPED_UNEXPECTEDLY]);
    });

    it('should fire when the only request was of another kind', () => {
      const decisions = evaluateOne(
        stopped({ requested: { action: WorkerAction.TERMINATE, at: at(-MINUTE) } }),
      );

      expect(kinds(decisions.fire)).toEqual([AlertKind.STOPPED_UNEXPECTEDLY]);
    });

    it('should fire when a stopping worker reaches STOPPED without a request', () => {
      const decisions = evaluateOne(stopped({ previousStatus: WorkerStatus.STOPPING }));

      expect(decisions.fire).toEqual([
        expect.objectContaining({
          kind: AlertKind.STOPPED_UNEXPECTEDLY,
          severity: AlertSeverity.WARNING,
        }),
      ]);
    });

    it('should not fire when a stopping worker reaches STOPPED after a recent request', () => {
      const decisions = evaluateOne(
        stopped({
          previousStatus: WorkerStatus.STOPPING,
          requested: { action: WorkerAction.STOP, at: at(-MINUTE) },
        }),
      );

      expect(decisions.fire).toEqual([]);
    });

    it('should not fire when the worker was already STOPPED', () => {
      expect(evaluateOne(stopped({ previousStatus: WorkerStatus.STOPPED }))).toEqual({
        fire: [],
        resolve: [],
      });
    });

    it('should not fire when the previous status was UNKNOWN', () => {
      expect(evaluateOne(stopped({ previousStatus: WorkerStatus.UNKNOWN }))).toEqual({
        fire: [],
        resolve: [],
      });
    });

    it.each([WorkerStatus.PENDING, WorkerStatus.STOPPED])(
      'should resolve when the worker goes from %s to RUNNING',
      (previousStatus) => {
        const decisions = evaluateOne(
          observation({
            previousStatus,
            status: WorkerStatus.RUNNING,
            open: [openAlert(AlertKind.STOPPED_UNEXPECTEDLY)],
          }),
        );

        expect(decisions.fire).toEqual([]);
        expect(decisions.resolve).toEqual([
          {
            alertId: `open-${AlertKind.STOPPED_UNEXPECTEDLY}`,
            kind: AlertKind.STOPPED_UNEXPECTEDLY,
            value: null,
            reason: expect.any(String),
          },
        ]);
      },
    );

    it('should fire once, stay open while stopped and resolve once running again', () => {
      const steps = run([
        { status: WorkerStatus.RUNNING },
        { status: WorkerStatus.STOPPED, cpu: null, memory: null },
        { status: WorkerStatus.STOPPED, cpu: null, memory: null },
        { status: WorkerStatus.PENDING, cpu: null, memory: null },
        { status: WorkerStatus.RUNNING },
      ]);

      expect(firedKindsPerStep(steps)).toEqual([[], [AlertKind.STOPPED_UNEXPECTEDLY], [], [], []]);
      expect(steps.map((step) => kinds(step.decisions.resolve))).toEqual([
        [],
        [],
        [],
        [],
        [AlertKind.STOPPED_UNEXPECTEDLY],
      ]);
      expect(steps[4].decisions.resolve[0].alertId).toBe('alert-1');
      expect(steps[4].open).toEqual([]);
    });
  });

  describe('TERMINATED', () => {
    const terminated = (overrides: Partial<Observation> = {}) =>
      observation({
        previousStatus: WorkerStatus.SHUTTING_DOWN,
        status: WorkerStatus.TERMINATED,
        cpu: null,
        memory: null,
        systemCheck: null,
        instanceCheck: null,
        ...overrides,
      });

    it('should fire as INFO when a terminate was requested, as an event resolved at once', () => {
      const decisions = evaluateOne(
        terminated({ requested: { action: WorkerAction.TERMINATE, at: at(-2 * MINUTE) } }),
      );

      expect(decisions.fire).toEqual([
        {
          kind: AlertKind.TERMINATED,
          severity: AlertSeverity.INFO,
          value: null,
          threshold: null,
          message: expect.any(String),
          resolution: expect.any(String),
        },
      ]);
    });

    it('should fire as CRITICAL without a terminate request', () => {
      const decisions = evaluateOne(terminated({ previousStatus: WorkerStatus.RUNNING }));

      expect(decisions.fire).toEqual([
        {
          kind: AlertKind.TERMINATED,
          severity: AlertSeverity.CRITICAL,
          value: null,
          threshold: null,
          message: expect.any(String),
          resolution: expect.any(String),
        },
      ]);
    });

    it('should fire as CRITICAL when the only request was a stop', () => {
      const decisions = evaluateOne(
        terminated({ requested: { action: WorkerAction.STOP, at: at(-MINUTE) } }),
      );

      expect(decisions.fire).toEqual([
        expect.objectContaining({ kind: AlertKind.TERMINATED, severity: AlertSeverity.CRITICAL }),
      ]);
    });

    it('should fire as CRITICAL when the terminate request is older than the request TTL', () => {
      const decisions = evaluateOne(
        terminated({ requested: { action: WorkerAction.TERMINATE, at: at(-2 * HOUR) } }),
      );

      expect(decisions.fire).toEqual([
        expect.objectContaining({ kind: AlertKind.TERMINATED, severity: AlertSeverity.CRITICAL }),
      ]);
    });

    it('should resolve every other open alert of the worker', () => {
      const open = [
        openAlert(AlertKind.CPU_HIGH, 90),
        openAlert(AlertKind.MEMORY_HIGH, 90),
        openAlert(AlertKind.STATUS_CHECK_FAILED),
        openAlert(AlertKind.IDLE, 5),
        openAlert(AlertKind.STOPPED_UNEXPECTEDLY),
      ];

      const decisions = evaluateOne(
        terminated({ previousStatus: WorkerStatus.RUNNING, cpu: 99, memory: 99, open }),
      );

      expect(kinds(decisions.fire)).toEqual([AlertKind.TERMINATED]);
      expect(kinds(decisions.resolve).sort()).toEqual(
        [
          AlertKind.CPU_HIGH,
          AlertKind.IDLE,
          AlertKind.MEMORY_HIGH,
          AlertKind.STATUS_CHECK_FAILED,
          AlertKind.STOPPED_UNEXPECTEDLY,
        ].sort(),
      );
      for (const resolved of decisions.resolve) {
        expect(resolved.alertId).toBe(`open-${resolved.kind}`);
      }
      const valueAlerts = decisions.resolve.filter(
        (resolved) =>
          resolved.kind === AlertKind.CPU_HIGH || resolved.kind === AlertKind.MEMORY_HIGH,
      );
      expect(valueAlerts.map((resolved) => resolved.value)).toEqual([null, null]);
    });

    it('should resolve STOPPED_UNEXPECTEDLY when a stopped worker is terminated', () => {
      const decisions = evaluateOne(
        terminated({
          previousStatus: WorkerStatus.STOPPED,
          requested: { action: WorkerAction.TERMINATE, at: at(-MINUTE) },
          open: [openAlert(AlertKind.STOPPED_UNEXPECTEDLY)],
        }),
      );

      expect(decisions.fire).toEqual([
        expect.objectContaining({ kind: AlertKind.TERMINATED, severity: AlertSeverity.INFO }),
      ]);
      expect(decisions.resolve).toEqual([
        expect.objectContaining({
          alertId: `open-${AlertKind.STOPPED_UNEXPECTEDLY}`,
          kind: AlertKind.STOPPED_UNEXPECTEDLY,
        }),
      ]);
    });

    it('should not report a terminated worker as stopped unexpectedly', () => {
      const decisions = evaluateOne(terminated({ previousStatus: WorkerStatus.RUNNING }));

      expect(kinds(decisions.fire)).not.toContain(AlertKind.STOPPED_UNEXPECTEDLY);
    });
  });

  describe('STATUS_CHECK_FAILED', () => {
    it.each([
      [CheckStatus.IMPAIRED, CheckStatus.OK, ['system'], ['instance']],
      [CheckStatus.OK, CheckStatus.IMPAIRED, ['instance'], ['system']],
      [CheckStatus.IMPAIRED, CheckStatus.IMPAIRED, ['system', 'instance'], []],
    ])(
      'should fire as CRITICAL with system %s and instance %s, naming the impaired check',
      (systemCheck, instanceCheck, named, notNamed) => {
        const decisions = evaluateOne(observation({ systemCheck, instanceCheck }));

        expect(decisions.fire).toEqual([
          {
            kind: AlertKind.STATUS_CHECK_FAILED,
            severity: AlertSeverity.CRITICAL,
            value: null,
            threshold: null,
            message: expect.any(String),
          },
        ]);
        const { message } = decisions.fire[0];
        for (const check of named) {
          expect(message).toContain(check);
        }
        for (const check of notNamed) {
          expect(message).not.toContain(check);
        }
      },
    );

    it('should not fire again while open', () => {
      const decisions = evaluateOne(
        observation({
          systemCheck: CheckStatus.IMPAIRED,
          open: [openAlert(AlertKind.STATUS_CHECK_FAILED)],
        }),
      );

      expect(decisions).toEqual({ fire: [], resolve: [] });
    });

    it('should resolve when both checks are OK', () => {
      const decisions = evaluateOne(
        observation({ open: [openAlert(AlertKind.STATUS_CHECK_FAILED)] }),
      );

      expect(decisions.fire).toEqual([]);
      expect(decisions.resolve).toEqual([
        {
          alertId: `open-${AlertKind.STATUS_CHECK_FAILED}`,
          kind: AlertKind.STATUS_CHECK_FAILED,
          value: null,
          reason: expect.any(String),
        },
      ]);
    });

    it.each([
      [CheckStatus.OK, CheckStatus.INITIALIZING],
      [CheckStatus.INITIALIZING, CheckStatus.OK],
      [CheckStatus.OK, CheckStatus.INSUFFICIENT_DATA],
      [CheckStatus.INSUFFICIENT_DATA, CheckStatus.OK],
      [CheckStatus.OK, null],
      [null, CheckStatus.OK],
      [null, null],
    ])('should stay open with system %s and instance %s', (systemCheck, instanceCheck) => {
      const decisions = evaluateOne(
        observation({
          systemCheck,
          instanceCheck,
          open: [openAlert(AlertKind.STATUS_CHECK_FAILED)],
        }),
      );

      expect(decisions).toEqual({ fire: [], resolve: [] });
    });

    it('should stay open while one check is still impaired', () => {
      const decisions = evaluateOne(
        observation({
          systemCheck: CheckStatus.OK,
          instanceCheck: CheckStatus.IMPAIRED,
          open: [openAlert(AlertKind.STATUS_CHECK_FAILED)],
        }),
      );

      expect(decisions).toEqual({ fire: [], resolve: [] });
    });

    it.each([WorkerStatus.RUNNING, WorkerStatus.STOPPED])(
      'should resolve when the worker is STOPPED (was %s)',
      (previousStatus) => {
        const decisions = evaluateOne(
          observation({
            previousStatus,
            status: WorkerStatus.STOPPED,
            requested: { action: WorkerAction.STOP, at: at(-MINUTE) },
            systemCheck: CheckStatus.IMPAIRED,
            instanceCheck: null,
            open: [openAlert(AlertKind.STATUS_CHECK_FAILED)],
          }),
        );

        expect(decisions.fire).toEqual([]);
        expect(decisions.resolve).toEqual([
          expect.objectContaining({
            alertId: `open-${AlertKind.STATUS_CHECK_FAILED}`,
            kind: AlertKind.STATUS_CHECK_FAILED,
            value: null,
          }),
        ]);
      },
    );

    it('should fire, stay open through initializing checks and resolve once both are OK', () => {
      const steps = run([
        { systemCheck: CheckStatus.OK, instanceCheck: CheckStatus.IMPAIRED },
        { systemCheck: CheckStatus.OK, instanceCheck: CheckStatus.INITIALIZING },
        { systemCheck: CheckStatus.OK, instanceCheck: CheckStatus.INSUFFICIENT_DATA },
        { systemCheck: CheckStatus.OK, instanceCheck: CheckStatus.OK },
      ]);

      expect(firedKindsPerStep(steps)).toEqual([[AlertKind.STATUS_CHECK_FAILED], [], [], []]);
      expect(steps.map((step) => kinds(step.decisions.resolve))).toEqual([
        [],
        [],
        [],
        [AlertKind.STATUS_CHECK_FAILED],
      ]);
    });
  });

  describe('a STOPPED worker', () => {
    it('should resolve open CPU_HIGH and MEMORY_HIGH with no value', () => {
      const decisions = evaluateOne(
        observation({
          previousStatus: WorkerStatus.STOPPING,
          status: WorkerStatus.STOPPED,
          requested: { action: WorkerAction.STOP, at: at(-MINUTE) },
          cpu: 99,
          memory: 99,
          open: [openAlert(AlertKind.CPU_HIGH, 90), openAlert(AlertKind.MEMORY_HIGH, 90)],
        }),
      );

      expect(decisions.fire).toEqual([]);
      expect(decisions.resolve).toHaveLength(2);
      expect(decisions.resolve).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            alertId: `open-${AlertKind.CPU_HIGH}`,
            kind: AlertKind.CPU_HIGH,
            value: null,
          }),
          expect.objectContaining({
            alertId: `open-${AlertKind.MEMORY_HIGH}`,
            kind: AlertKind.MEMORY_HIGH,
            value: null,
          }),
        ]),
      );
    });

    it('should not fire CPU_HIGH or MEMORY_HIGH on stale high values', () => {
      const decisions = evaluateOne(
        observation({
          previousStatus: WorkerStatus.STOPPED,
          status: WorkerStatus.STOPPED,
          cpu: 99,
          memory: 99,
        }),
        rules(),
        initialState({ cpuHighStreak: 5, memoryHighStreak: 5 }),
      );

      expect(decisions).toEqual({ fire: [], resolve: [] });
    });
  });

  describe('IDLE', () => {
    const idleRules = rules({ idleAfterMs: 30 * MINUTE, idleCpuThreshold: 5 });
    const running = (overrides: Partial<Observation> = {}) =>
      observation({
        previousStatus: WorkerStatus.RUNNING,
        status: WorkerStatus.RUNNING,
        previousTransitionAt: at(-2 * HOUR),
        cpu: 2,
        ...overrides,
      });

    it('should fire as INFO once CPU has been low for the idle time since the last activity', () => {
      const decisions = evaluateOne(
        running(),
        idleRules,
        initialState({ lastActivityAt: at(-40 * MINUTE) }),
      );

      expect(decisions.fire).toEqual([
        {
          kind: AlertKind.IDLE,
          severity: AlertSeverity.INFO,
          value: 2,
          threshold: 5,
          message: expect.any(String),
        },
      ]);
      expect(decisions.resolve).toEqual([]);
    });

    it('should fire at exactly the idle time', () => {
      const decisions = evaluateOne(
        running(),
        idleRules,
        initialState({ lastActivityAt: at(-30 * MINUTE) }),
      );

      expect(kinds(decisions.fire)).toEqual([AlertKind.IDLE]);
    });

    it('should not fire before the idle time since the last activity', () => {
      const decisions = evaluateOne(
        running(),
        idleRules,
        initialState({ lastActivityAt: at(-29 * MINUTE) }),
      );

      expect(decisions.fire).toEqual([]);
    });

    it('should count from when the worker entered RUNNING when that is later', () => {
      const recent = running({ previousTransitionAt: at(-10 * MINUTE) });

      expect(evaluateOne(recent, idleRules, initialState()).fire).toEqual([]);
      expect(
        evaluateOne(recent, idleRules, initialState({ lastActivityAt: at(-3 * HOUR) })).fire,
      ).toEqual([]);
      expect(
        kinds(
          evaluateOne(
            running({ previousTransitionAt: at(-31 * MINUTE) }),
            idleRules,
            initialState({ lastActivityAt: at(-3 * HOUR) }),
          ).fire,
        ),
      ).toEqual([AlertKind.IDLE]);
    });

    it('should not consider a worker that just became RUNNING idle', () => {
      const decisions = evaluateOne(
        running({ previousStatus: WorkerStatus.PENDING, previousTransitionAt: at(-3 * HOUR) }),
        idleRules,
        initialState({ lastActivityAt: at(-3 * HOUR) }),
      );

      expect(decisions.fire).toEqual([]);
    });

    it('should use the configured idle CPU threshold', () => {
      const decisions = evaluateOne(
        running({ cpu: 8 }),
        rules({ idleAfterMs: 30 * MINUTE, idleCpuThreshold: 10 }),
        initialState({ lastActivityAt: at(-HOUR) }),
      );

      expect(decisions.fire).toEqual([
        expect.objectContaining({ kind: AlertKind.IDLE, value: 8, threshold: 10 }),
      ]);
    });

    it('should never fire without an idle time', () => {
      const decisions = evaluateOne(
        running({ cpu: 0, previousTransitionAt: at(-72 * HOUR) }),
        rules({ idleAfterMs: undefined }),
        initialState({ lastActivityAt: at(-72 * HOUR) }),
      );

      expect(decisions).toEqual({ fire: [], resolve: [] });
    });

    it('should not fire without a CPU value', () => {
      const decisions = evaluateOne(
        running({ cpu: null }),
        idleRules,
        initialState({ lastActivityAt: at(-3 * HOUR) }),
      );

      expect(decisions.fire).toEqual([]);
    });

    it('should not fire on a sample at the idle CPU threshold, which counts as busy', () => {
      const decisions = evaluateOne(
        running({ cpu: 5 }),
        idleRules,
        initialState({ lastActivityAt: at(-3 * HOUR) }),
      );

      expect(decisions.fire).toEqual([]);
    });

    it('should resolve an open IDLE on a busy sample', () => {
      const decisions = evaluateOne(
        running({ cpu: 40, open: [openAlert(AlertKind.IDLE, 5)] }),
        idleRules,
        initialState({ lastActivityAt: at(-3 * HOUR) }),
      );

      expect(decisions.fire).toEqual([]);
      expect(decisions.resolve).toEqual([
        expect.objectContaining({ alertId: `open-${AlertKind.IDLE}`, kind: AlertKind.IDLE }),
      ]);
    });

    it('should keep an open IDLE open while CPU stays low', () => {
      const decisions = evaluateOne(
        running({ cpu: 1, open: [openAlert(AlertKind.IDLE, 5)] }),
        idleRules,
        initialState({ lastActivityAt: at(-3 * HOUR) }),
      );

      expect(decisions).toEqual({ fire: [], resolve: [] });
    });

    it('should fire after the idle time, resolve on activity and fire again after a new idle time', () => {
      // Every 10 minutes from T0, when the worker enters RUNNING.
      const cpus = [2, 2, 2, 2, 2, 2, 40, 2, 2, 3, 1];
      const steps = run(
        cpus.map((cpu, index) => ({
          cpu,
          ...(index === 0 ? { previousStatus: WorkerStatus.PENDING } : {}),
        })),
        { rules: idleRules, intervalMs: 10 * MINUTE },
      );

      expect(firedKindsPerStep(steps)).toEqual([
        [],
        [],
        [],
        [AlertKind.IDLE], // 30 min after entering RUNNING
        [],
        [],
        [],
        [],
        [],
        [AlertKind.IDLE], // 30 min after the busy sample at 60 min
        [],
      ]);
      expect(steps[3].decisions.fire[0]).toMatchObject({ value: 2, threshold: 5 });
      expect(steps[9].decisions.fire[0]).toMatchObject({ value: 3, threshold: 5 });
      expect(steps.map((step) => kinds(step.decisions.resolve))).toEqual([
        [],
        [],
        [],
        [],
        [],
        [],
        [AlertKind.IDLE],
        [],
        [],
        [],
        [],
      ]);
      expect(steps[6].decisions.resolve[0].alertId).toBe('alert-1');
      expect(steps[6].state.lastActivityAt).toEqual(at(60 * MINUTE));
      expect(steps[10].open).toEqual([{ id: 'alert-2', kind: AlertKind.IDLE, threshold: 5 }]);
    });
  });

  it('should leave the observation it is given untouched', () => {
    const open = [openAlert(AlertKind.CPU_HIGH, 90)];
    const sample = observation({ cpu: 10, open });

    const decisions = evaluateOne(sample);

    expect(kinds(decisions.resolve)).toEqual([AlertKind.CPU_HIGH]);
    expect(sample.open).toBe(open);
    expect(open).toEqual([openAlert(AlertKind.CPU_HIGH, 90)]);
  });
});

describe('CML-aware rules', () => {
  const DAY = 24 * HOUR;
  const available = (overrides: Partial<CmlFacts> = {}): CmlFacts => ({
    ...NO_CML,
    status: CmlServiceStatus.AVAILABLE,
    labsRunning: 0,
    nodesRunning: 0,
    ...overrides,
  });
  const failing = (status = CmlServiceStatus.UNAVAILABLE): CmlFacts => ({
    ...NO_CML,
    status,
    error: 'CML is unreachable: ECONNREFUSED',
  });
  const license = (
    overrides: Partial<NonNullable<CmlFacts['license']>> = {},
  ): NonNullable<CmlFacts['license']> => ({
    valid: true,
    expiresAt: at(300 * DAY),
    registrationStatus: 'COMPLETED',
    authorizationStatus: 'IN_COMPLIANCE',
    ...overrides,
  });

  describe('idle means no lab running', () => {
    const idleRules = rules({ idleAfterMs: 30 * MINUTE, idleCpuThreshold: 5 });
    const longIdle = initialState({ lastActivityAt: at(-3 * HOUR) });

    it('should never fire while a lab runs, however low the CPU', () => {
      const steps = run(
        Array.from({ length: 12 }, () => ({
          cpu: 2,
          cml: available({ labsRunning: 1, nodesRunning: 8 }),
        })),
        { rules: idleRules, intervalMs: 10 * MINUTE },
      );

      expect(steps.flatMap((step) => kinds(step.decisions.fire))).toEqual([]);
      expect(steps[11].state.lastActivityAt).toEqual(steps[11].observation.collectedAt);
    });

    it('should count a running node without a running lab as use', () => {
      const decisions = evaluateOne(
        observation({ cpu: 1, cml: available({ nodesRunning: 1 }) }),
        idleRules,
        longIdle,
      );

      expect(decisions.fire).toEqual([]);
    });

    it('should fire once no lab has run for the idle time and CPU is low, saying so', () => {
      const decisions = evaluateOne(observation({ cpu: 2, cml: available() }), idleRules, longIdle);

      expect(decisions.fire).toEqual([
        expect.objectContaining({
          kind: AlertKind.IDLE,
          message: expect.stringContaining('no lab running') as string,
        }),
      ]);
    });

    it('should fire on labs alone when CloudWatch has no CPU value', () => {
      const decisions = evaluateOne(
        observation({ cpu: null, cml: available() }),
        idleRules,
        longIdle,
      );

      expect(kinds(decisions.fire)).toEqual([AlertKind.IDLE]);
    });

    it('should not fire without labs while CPU is busy: CPU is the second signal', () => {
      const decisions = evaluateOne(
        observation({ cpu: 60, cml: available() }),
        idleRules,
        longIdle,
      );

      expect(decisions.fire).toEqual([]);
    });

    it('should count a lab change as activity', () => {
      const state = nextAlertState(
        longIdle,
        observation({ cpu: 1, cml: available({ labsChanged: true }) }),
        idleRules,
      );

      expect(state.lastActivityAt).toEqual(T0);
    });

    it('should resolve an open IDLE when a lab starts', () => {
      const decisions = evaluateOne(
        observation({
          cpu: 1,
          cml: available({ labsRunning: 1, nodesRunning: 4 }),
          open: [openAlert(AlertKind.IDLE, 5)],
        }),
        idleRules,
        longIdle,
      );

      expect(decisions.resolve).toEqual([
        expect.objectContaining({
          kind: AlertKind.IDLE,
          reason: expect.stringContaining('1 lab(s)') as string,
        }),
      ]);
    });

    it('should fall back to CPU alone when CML cannot be asked, and say auto-stop does not act', () => {
      const decisions = evaluateOne(observation({ cpu: 2, cml: failing() }), idleRules, longIdle);

      expect(decisions.fire.filter((fired) => fired.kind === AlertKind.IDLE)).toEqual([
        expect.objectContaining({
          kind: AlertKind.IDLE,
          message: expect.stringContaining('auto-stop does not act') as string,
        }),
      ]);
    });
  });

  describe('CML_UNAVAILABLE', () => {
    it('should fire as CRITICAL after WORKER_ALERT_FOR_SAMPLES failing polls with passing checks', () => {
      const steps = run([{ cml: failing() }, { cml: failing() }, { cml: failing() }], {
        rules: rules({ forSamples: 2 }),
      });

      expect(firedKindsPerStep(steps)).toEqual([[], [AlertKind.CML_UNAVAILABLE], []]);
      expect(steps[1].decisions.fire[0]).toEqual(
        expect.objectContaining({
          severity: AlertSeverity.CRITICAL,
          message: expect.stringContaining('ECONNREFUSED') as string,
        }),
      );
    });

    it('should count an API that answers with errors or refuses the credentials', () => {
      const steps = run([{ cml: failing(CmlServiceStatus.ERROR) }]);

      expect(firedKindsPerStep(steps)).toEqual([[AlertKind.CML_UNAVAILABLE]]);
    });

    it('should not count polls while the status checks do not pass (a booting instance)', () => {
      const steps = run(
        [
          { cml: failing(), instanceCheck: CheckStatus.INITIALIZING },
          { cml: failing(), instanceCheck: CheckStatus.INITIALIZING },
          { cml: failing() },
        ],
        { rules: rules({ forSamples: 2 }) },
      );

      expect(steps.map((step) => step.state.cmlFailureStreak)).toEqual([0, 0, 1]);
      expect(steps.flatMap((step) => kinds(step.decisions.fire))).toEqual([]);
    });

    it('should resolve when the API answers again, and when the worker stops', () => {
      const open = [openAlert(AlertKind.CML_UNAVAILABLE)];

      expect(kinds(evaluateOne(observation({ cml: available(), open })).resolve)).toEqual([
        AlertKind.CML_UNAVAILABLE,
      ]);
      expect(
        kinds(
          evaluateOne(observation({ status: WorkerStatus.STOPPED, cml: NO_CML, open })).resolve,
        ),
      ).toContain(AlertKind.CML_UNAVAILABLE);
    });
  });

  describe('the license', () => {
    it('should fire LICENSE_INVALID for an unregistered or out-of-compliance license, and resolve when valid', () => {
      const unregistered = license({
        valid: false,
        registrationStatus: 'UNREGISTERED',
        authorizationStatus: 'EVAL',
      });
      const fired = evaluateOne(observation({ cml: available({ license: unregistered }) }));
      const resolved = evaluateOne(
        observation({
          cml: available({ license: license() }),
          open: [openAlert(AlertKind.LICENSE_INVALID)],
        }),
      );

      expect(fired.fire).toEqual([
        expect.objectContaining({
          kind: AlertKind.LICENSE_INVALID,
          message: 'CML license not valid: registration UNREGISTERED, authorization EVAL',
        }),
      ]);
      expect(kinds(resolved.resolve)).toEqual([AlertKind.LICENSE_INVALID]);
    });

    it('should fire LICENSE_EXPIRING within the warning period only', () => {
      const inFive = evaluateOne(
        observation({ cml: available({ license: license({ expiresAt: at(5 * DAY + HOUR) }) }) }),
      );
      const inThirty = evaluateOne(
        observation({ cml: available({ license: license({ expiresAt: at(30 * DAY) }) }) }),
      );

      expect(inFive.fire).toEqual([
        expect.objectContaining({
          kind: AlertKind.LICENSE_EXPIRING,
          value: 5,
          message: expect.stringContaining('expires in 5 days') as string,
        }),
      ]);
      expect(inThirty.fire).toEqual([]);
    });

    it('should resolve LICENSE_EXPIRING once renewed, and leave an invalid license to LICENSE_INVALID', () => {
      const open = [openAlert(AlertKind.LICENSE_EXPIRING)];

      expect(
        kinds(evaluateOne(observation({ cml: available({ license: license() }), open })).resolve),
      ).toEqual([AlertKind.LICENSE_EXPIRING]);
      const invalid = evaluateOne(
        observation({ cml: available({ license: license({ valid: false }) }), open }),
      );
      expect(kinds(invalid.resolve)).toEqual([AlertKind.LICENSE_EXPIRING]);
      expect(kinds(invalid.fire)).toEqual([AlertKind.LICENSE_INVALID]);
    });
  });
});
