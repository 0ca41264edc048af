import { batch } from '@preact/signals';

type Update = () => void;

const pending: Update[] = [];
let scheduled = false;

/** A hidden tab gets no animation frames; its updates still land, less often. */
const HIDDEN_FLUSH_MS = 1_000;

function flush(): void {
  scheduled = false;
  const updates = pending.splice(0);
  batch(() => {
    for (const update of updates) {
      update();
    }
  });
}

/**
 * Queues a state change and applies every queued one together at the next animation frame, so a
 * burst of events (a whole fleet's poll lands within a second) costs one render, not one each.
 */
export function applyOnNextFrame(update: Update): void {
  pending.push(update);
  if (scheduled) {
    return;
  }
  scheduled = true;
  if (document.hidden) {
    setTimeout(flush, HIDDEN_FLUSH_MS);
  } else {
    requestAnimationFrame(flush);
  }
}
