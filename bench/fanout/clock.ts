import { performance } from 'node:perf_hooks';

/** Milliseconds since the epoch, with sub-millisecond resolution. */
export type Clock = () => number;

/**
 * The wall clock with performance.now()'s resolution, anchored on a tick of Date.now(): the
 * benchmark and its client process each build one and agree to a few microseconds, where
 * `performance.timeOrigin` is taken once at process start and drifts from the wall clock.
 */
export function calibratedClock(): Clock {
  const start = Date.now();
  let tick = start;
  while (tick === start) {
    tick = Date.now();
  }
  const offset = tick - performance.now();
  return () => offset + performance.now();
}

/**
 * Waits (spinning, under 1 ms) for the next whole millisecond and returns it: a sample stamped
 * with it carries its exact publish time in a millisecond-precision DateTime.
 */
export function nextWholeMillisecond(clock: Clock): number {
  const target = Math.floor(clock()) + 1;
  let now = clock();
  while (now < target) {
    now = clock();
  }
  return target;
}
