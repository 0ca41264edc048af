import type { AlertKind } from './generated/graphql';
import { signal } from '@preact/signals';

/** Ticks so that ages ("12 s ago") stay true without a render per second of every row. */
export const now = signal(Date.now());
setInterval(() => {
  now.value = Date.now();
}, 5_000);

export const percent = (value: number | null | undefined): string =>
  value == null ? '—' : `${value.toFixed(1)}%`;

export function age(iso: string | null | undefined, at: number): string {
  if (!iso) {
    return 'never';
  }
  const seconds = Math.max(0, Math.round((at - Date.parse(iso)) / 1000));
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }
  if (seconds < 86_400) {
    return `${Math.floor(seconds / 3600)} h ago`;
  }
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export const dateTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString() : '—';

/** How a load compares with its threshold: over it, close to it (within 80 %), or fine. */
export type Level = 'ok' | 'warm' | 'hot' | 'unknown';

export function levelOf(value: number | null | undefined, threshold: number): Level {
  if (value == null) {
    return 'unknown';
  }
  if (value >= threshold) {
    return 'hot';
  }
  return value >= threshold * 0.8 ? 'warm' : 'ok';
}

export const humanize = (name: string): string =>
  name.charAt(0) + name.slice(1).toLowerCase().replace(/_/g, ' ');

/** How operators say an alert's kind. */
export const ALERT_KIND_LABEL: Record<AlertKind, string> = {
  CPU_HIGH: 'CPU high',
  MEMORY_HIGH: 'Memory high',
  STOPPED_UNEXPECTEDLY: 'Stopped unexpectedly',
  TERMINATED: 'Terminated',
  STATUS_CHECK_FAILED: 'Status check failed',
  IDLE: 'Idle',
};
