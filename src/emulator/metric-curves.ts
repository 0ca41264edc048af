import { hashToUnit } from './random';

export type MetricKind = 'cpu' | 'memory';

/** A recurring stretch at a fixed high level, e.g. a nightly build saturating the CPU. */
export interface MetricSpike {
  everyMinutes: number;
  forMinutes: number;
  level: number;
}

/**
 * A deterministic utilization curve in percent: a base level, a slow sine wave, small noise
 * and optional spikes. The same curve and seed give the same value for the same minute.
 */
export interface MetricCurve {
  base: number;
  amplitude: number;
  periodMinutes: number;
  /** Where in its period the sine starts, as a fraction of the period. */
  phase: number;
  /** The largest deviation the noise adds, in percentage points. */
  noise: number;
  spike?: MetricSpike | undefined;
}

const KIND_SALT: Readonly<Record<MetricKind, number>> = { cpu: 0x0c0ffee, memory: 0x0badcafe };

/** A plausible curve for one instance, derived from its seed only. */
export function seededCurve(kind: MetricKind, seed: number): MetricCurve {
  const pick = (slot: number, low: number, high: number) =>
    low + hashToUnit(seed ^ KIND_SALT[kind], -slot) * (high - low);
  if (kind === 'cpu') {
    const base = pick(1, 15, 55);
    // Seeded curves stay above 0 %, so a 0 a client sees was set on purpose through the control API.
    return {
      base,
      amplitude: Math.min(pick(2, 5, 20), base * 0.6),
      periodMinutes: pick(3, 30, 120),
      phase: pick(4, 0, 1),
      noise: 4,
    };
  }
  return {
    base: pick(1, 30, 70),
    amplitude: pick(2, 3, 10),
    periodMinutes: pick(3, 120, 360),
    phase: pick(4, 0, 1),
    noise: 1.5,
  };
}

/** The curve's value for the minute starting at `minute` (minutes since the epoch). */
export function curveValue(
  curve: MetricCurve,
  kind: MetricKind,
  seed: number,
  minute: number,
): number {
  const noise = (hashToUnit(seed ^ KIND_SALT[kind], minute) * 2 - 1) * curve.noise;
  const { spike } = curve;
  if (spike && isInSpike(spike, seed, minute)) {
    return roundPercent(spike.level + noise);
  }
  const angle = 2 * Math.PI * (minute / curve.periodMinutes + curve.phase);
  return roundPercent(curve.base + curve.amplitude * Math.sin(angle) + noise);
}

function isInSpike(spike: MetricSpike, seed: number, minute: number): boolean {
  const offset = seed % spike.everyMinutes;
  const position =
    (((minute + offset) % spike.everyMinutes) + spike.everyMinutes) % spike.everyMinutes;
  return position < spike.forMinutes;
}

function roundPercent(value: number): number {
  return Math.round(Math.min(100, Math.max(0, value)) * 100) / 100;
}
