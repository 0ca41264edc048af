import { signal } from '@preact/signals';

/**
 * Ticks so that ages ("12 s ago") stay true without a render per second of every row. Apart from
 * format.ts, so that what formats can be imported without a timer that keeps a process alive.
 */
export const now = signal(Date.now());
setInterval(() => {
  now.value = Date.now();
}, 5_000);
