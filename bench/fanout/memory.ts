import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { percentile } from '../support/report';

export interface MemoryReading {
  rssBytes: number;
  heapUsedBytes: number;
}

const READING_INTERVAL_MS = 100;

let collectGarbage: (() => void) | undefined;

/**
 * `npm run bench` starts Node without --expose-gc; the flag still takes effect for contexts
 * made after it is set, which is all a full collection before a reading needs.
 */
function garbageCollector(): () => void {
  if (!collectGarbage) {
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  return collectGarbage;
}

/**
 * This process's memory at rest: the median of `readings`, each after a full collection, so
 * garbage and one reading's noise do not pass for memory held.
 */
export async function settledMemory(readings: number): Promise<MemoryReading> {
  const gc = garbageCollector();
  const rss: number[] = [];
  const heapUsed: number[] = [];
  for (let reading = 0; reading < readings; reading += 1) {
    gc();
    await sleep(READING_INTERVAL_MS);
    const usage = process.memoryUsage();
    rss.push(usage.rss);
    heapUsed.push(usage.heapUsed);
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  return { rssBytes: median(rss), heapUsedBytes: median(heapUsed) };
}
