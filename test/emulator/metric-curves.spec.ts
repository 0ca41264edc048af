import { curveValue, type MetricCurve, seededCurve } from '../../src/emulator/metric-curves';

describe(seededCurve.name, () => {
  const seeds = Array.from({ length: 100 }, (_, index) => index * 7_919 + 13);
  const minutes = Array.from({ length: 480 }, (_, index) => 29_000_000 + index * 3);

  it('should derive the same curve from the same seed and different curves from different seeds', () => {
    expect(seededCurve('cpu', 42)).toEqual(seededCurve('cpu', 42));
    expect(seededCurve('cpu', 42)).not.toEqual(seededCurve('cpu', 43));
    expect(seededCurve('memory', 42)).not.toEqual(seededCurve('cpu', 42));
  });

  it('should keep seeded CPU and memory curves strictly between 0 and 100 %', () => {
    let lowest = 100;
    let highest = 0;
    for (const seed of seeds) {
      for (const kind of ['cpu', 'memory'] as const) {
        const curve = seededCurve(kind, seed);
        for (const minute of minutes) {
          const value = curveValue(curve, kind, seed, minute);
          lowest = Math.min(lowest, value);
          highest = Math.max(highest, value);
        }
      }
    }

    expect(lowest).toBeGreaterThan(0);
    expect(highest).toBeLessThan(100);
  });
});

describe(curveValue.name, () => {
  const flat: MetricCurve = { base: 50, amplitude: 0, periodMinutes: 60, phase: 0, noise: 0 };

  it('should clamp to 0..100 %', () => {
    expect(curveValue({ ...flat, base: 180 }, 'cpu', 1, 100)).toBe(100);
    expect(curveValue({ ...flat, base: -20 }, 'cpu', 1, 100)).toBe(0);
  });

  it('should add noise no larger than the curve allows, the same for the same minute', () => {
    const noisy = { ...flat, noise: 3 };
    const values = Array.from({ length: 500 }, (_, minute) => curveValue(noisy, 'cpu', 9, minute));

    expect(Math.max(...values)).toBeLessThanOrEqual(53);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(47);
    expect(new Set(values).size).toBeGreaterThan(100);
    expect(curveValue(noisy, 'cpu', 9, 123)).toBe(values[123]);
  });

  it('should hold the spike level for its length once per repetition', () => {
    const spiky = { ...flat, spike: { everyMinutes: 15, forMinutes: 4, level: 95 } };
    const values = Array.from({ length: 60 }, (_, minute) => curveValue(spiky, 'cpu', 5, minute));

    expect(values.filter((value) => value === 95)).toHaveLength(16);
    expect(values.filter((value) => value === 50)).toHaveLength(44);
  });
});
