import { signal } from '@preact/signals';

/** How long a notice stays: long enough to read, short enough not to go stale. */
const NOTICE_MS = 20_000;

/** What the page says once an action is done that leaves nothing else to see (a removal). */
export const notice = signal<string | null>(null);

let timer: ReturnType<typeof setTimeout> | undefined;

export function announce(text: string): void {
  notice.value = text;
  clearTimeout(timer);
  timer = setTimeout(() => {
    notice.value = null;
  }, NOTICE_MS);
}
