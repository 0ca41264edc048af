import { randomInt } from 'node:crypto';

/**
 * A small seeded pseudo-random generator (mulberry32) for tests that must replay: the same seed
 * gives the same sequence of draws. `fork` derives independent streams by name, so each
 * concurrent actor of a test draws from its own stream and the order in which the actors run
 * (which depends on timing) cannot change what any of them draws.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A stream of its own, the same for the same seed and name whatever else was drawn. */
  fork(name: string): SeededRandom {
    return new SeededRandom(mix(this.seed, fnv1a(name)));
  }
}

/** Maps a draw in [0, 1) onto one of the weighted choices. */
export function weightedChoice<T extends string>(draw: number, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let remaining = draw * total;
  for (const [choice, weight] of entries) {
    remaining -= weight;
    if (remaining < 0) {
      return choice;
    }
  }
  return entries[entries.length - 1][0];
}

/** Picks by a draw in [0, 1); undefined for an empty list. */
export function pickByDraw<T>(draw: number, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(draw * items.length)];
}

/** The seed in `variable` (decimal or 0x-hex) to replay a run, else a fresh one. */
export function seedFromEnvironment(variable: string): number {
  const text = process.env[variable]?.trim();
  if (!text) {
    return randomInt(1, 0x7fff_ffff);
  }
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new Error(`${variable} must be an integer in [0, 2^32), not ${text}`);
  }
  return seed;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mix(a: number, b: number): number {
  let mixed = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}
