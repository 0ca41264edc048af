import type { AlertKind, AlertRowFragment, CmlServiceStatus } from './generated/graphql';

/** "1 lab", "2 labs". */
export const plural = (count: number, noun: string): string =>
  `${count} ${noun}${count === 1 ? '' : 's'}`;

export const percent = (value: number | null | undefined): string =>
  value == null ? '—' : `${value.toFixed(1)}%`;

/** A span of time the way the page says it: "12 s", "5 min", "3 h", "4 d". */
function span(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) {
    return `${seconds} s`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min`;
  }
  if (seconds < 86_400) {
    return `${Math.floor(seconds / 3600)} h`;
  }
  return `${Math.floor(seconds / 86_400)} d`;
}

export function age(iso: string | null | undefined, at: number): string {
  return iso ? `${span(at - Date.parse(iso))} ago` : 'never';
}

/** "in 4 d" or "2 h ago": for dates that may be ahead, such as a license's expiry. */
export function relative(iso: string, at: number): string {
  const ahead = Date.parse(iso) - at;
  return ahead > 0 ? `in ${span(ahead)}` : `${span(-ahead)} ago`;
}

export const dateTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString() : '—';

/**
 * How a load compares with its threshold: above it (as the alert rules count: a value equal to
 * the threshold does not fire), close to it (from 80 % of it), or fine.
 */
export type Level = 'ok' | 'warm' | 'hot' | 'unknown';

export function levelOf(value: number | null | undefined, threshold: number): Level {
  if (value == null) {
    return 'unknown';
  }
  if (value > threshold) {
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
  CML_UNAVAILABLE: 'CML unavailable',
  LICENSE_INVALID: 'License invalid',
  LICENSE_EXPIRING: 'License expiring',
};

/**
 * What an alert measured against what it is held to, in its own unit; null for status alerts.
 * The words are the rules': CPU and memory fire strictly above their threshold, idle strictly
 * below its CPU threshold. A resolved alert says what it fired at and what resolved it.
 */
export function alertMeasure({
  kind,
  state,
  value,
  threshold,
  resolvedValue,
}: Pick<AlertRowFragment, 'kind' | 'state' | 'value' | 'threshold' | 'resolvedValue'>):
  string | null {
  if (value == null) {
    return null;
  }
  const resolved = state === 'RESOLVED';
  if (kind === 'LICENSE_EXPIRING') {
    if (resolved) {
      return `fired with ${value} d left`;
    }
    return `${value} d left${threshold == null ? '' : `, warned from ${threshold} d`}`;
  }
  if (resolved) {
    return `fired at ${percent(value)}${resolvedValue == null ? '' : `, resolved at ${percent(resolvedValue)}`}`;
  }
  const rule = kind === 'IDLE' ? 'below' : 'above';
  return `${percent(value)}${threshold == null ? '' : `, ${rule} ${percent(threshold)}`}`;
}

/** What fires on a load: "alerts above 90 %". */
export const thresholdRule = (threshold: number): string => `alerts above ${threshold} %`;

/** A worker's CML controller in a word; "not running" is its instance, not CML. */
export const CML_STATUS_LABEL: Record<CmlServiceStatus, string> = {
  AVAILABLE: 'AVAILABLE',
  UNAVAILABLE: 'UNAVAILABLE',
  ERROR: 'ERROR',
  NOT_APPLICABLE: 'not running',
  UNKNOWN: 'unknown',
};

export const CML_STATUS_MEANING: Record<CmlServiceStatus, string> = {
  AVAILABLE: 'The CML API answered',
  UNAVAILABLE: 'The instance runs but the CML API did not answer',
  ERROR: 'The CML API answered with an error or refused the credentials',
  NOT_APPLICABLE: 'The instance is not running: there is no CML to ask',
  UNKNOWN: 'CML has not been asked yet',
};
