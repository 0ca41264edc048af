import { signal } from '@preact/signals';

const STORAGE_KEY = 'cml-worker-monitor.api-key';

/**
 * The API key the operator typed, kept for this tab only: sessionStorage ends with the tab, and
 * nothing else on this origin reads it. Null when none was given (authentication may be off).
 */
export const apiKey = signal<string | null>(sessionStorage.getItem(STORAGE_KEY));

export function setApiKey(key: string | null): void {
  if (key === null) {
    sessionStorage.removeItem(STORAGE_KEY);
  } else {
    sessionStorage.setItem(STORAGE_KEY, key);
  }
  apiKey.value = key;
}

/** The Authorization value for HTTP and for the WebSocket's connection params. */
export function authorization(): string | undefined {
  return apiKey.value === null ? undefined : `Bearer ${apiKey.value}`;
}
