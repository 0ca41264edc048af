/** The facts of a group notice that every format tells, worded the same everywhere. */
import { percent } from '../alerts/alert-rules';
import {
  GROUP_LABELS,
  type GroupLabel,
  type GroupNotice,
  type NoticeAlert,
  type NoticeWorker,
} from './group-notice';

export type Severity = NoticeAlert['severity'];

/** Which of the notice's lists an alert comes from: it decides what the alert's detail says. */
export type Section = 'firing' | 'resolved';

/** How receivers name us, e.g. in the text of a link back to the dashboard. */
export const PRODUCT_NAME = 'cml-worker-monitor';

const SEVERITY_RANK: Record<Severity, number> = { INFO: 0, WARNING: 1, CRITICAL: 2 };

/** How to read `value` against `threshold` for the alerts that measure something. */
const MEASURES = new Map<string, { metric: string; crossed: 'above' | 'below' }>([
  ['CPU_HIGH', { metric: 'CPU', crossed: 'above' }],
  ['MEMORY_HIGH', { metric: 'memory', crossed: 'above' }],
  ['IDLE', { metric: 'CPU', crossed: 'below' }],
]);

/**
 * The worst severity among the alerts firing, or among the resolved ones when none fires; the
 * group's severity label when the notice lists no alert.
 */
export function severityOf(notice: GroupNotice): Severity {
  const listed = notice.firing.length > 0 ? notice.firing : notice.resolved;
  const label = notice.group.labels.severity;
  if (listed.length === 0) {
    return isSeverity(label) ? label : 'INFO';
  }
  return listed
    .map((alert) => alert.severity)
    .reduce((worst, severity) =>
      SEVERITY_RANK[severity] > SEVERITY_RANK[worst] ? severity : worst,
    );
}

/** The one kind of alert the notice is about; undefined when it mixes kinds. */
export function kindOf(notice: GroupNotice): string | undefined {
  return notice.group.labels.kind ?? only(listedAlerts(notice).map((alert) => alert.kind));
}

/** `CPU_HIGH`, or `CPU_HIGH, IDLE` for a group that mixes kinds. */
export function kindsOf(notice: GroupNotice): string {
  return kindOf(notice) ?? [...new Set(listedAlerts(notice).map((alert) => alert.kind))].join(', ');
}

/** The one worker every listed alert is about; undefined when there are several. */
export function singleWorkerOf(
  notice: GroupNotice,
): { workerId: string; worker: NoticeWorker | null } | undefined {
  const alerts = listedAlerts(notice);
  const workerId = only(alerts.map((alert) => alert.workerId));
  if (workerId === undefined) {
    return undefined;
  }
  return { workerId, worker: alerts.find((alert) => alert.worker)?.worker ?? null };
}

/** The one region the notice is about; undefined when there are several. */
export function regionOf(notice: GroupNotice): string | undefined {
  const regions = listedAlerts(notice).flatMap((alert) => alert.worker?.awsRegion ?? []);
  return notice.group.labels.region ?? only(regions);
}

/** `on lab-3 (i-0abc, us-east-1)`, `in us-east-1`, or undefined for alerts all over the fleet. */
export function placeOf(notice: GroupNotice): string | undefined {
  const single = singleWorkerOf(notice);
  if (single) {
    return `on ${workerText(single.workerId, single.worker)}`;
  }
  const region = regionOf(notice);
  return region && `in ${region}`;
}

/** `lab-3 (i-0abc, us-east-1)`, or `removed worker <id>`. */
export function workerText(workerId: string, worker: NoticeWorker | null): string {
  return worker
    ? `${worker.name} (${worker.awsInstanceId}, ${worker.awsRegion})`
    : `removed worker ${workerId}`;
}

/** `100 firing (100 new), 3 resolved`, `3 resolved, 97 still firing`, `4 still firing`. */
export function countsOf(notice: GroupNotice): string {
  const newCount = newCountOf(notice);
  const firing = `${notice.firingCount} firing${newCount > 0 ? ` (${newCount} new)` : ''}`;
  switch (notice.type) {
    case 'FIRING':
      return notice.resolvedCount > 0 ? `${firing}, ${notice.resolvedCount} resolved` : firing;
    case 'RESOLVED':
      return notice.firingCount > 0
        ? `${notice.resolvedCount} resolved, ${notice.firingCount} still firing`
        : `${notice.resolvedCount} resolved`;
    case 'REMINDER':
      return `${notice.firingCount} still firing`;
    case 'ACKNOWLEDGED':
      return `${notice.firing.length} acknowledged`;
  }
}

/** How many of the listed firing alerts no earlier notification of the group told. */
export function newCountOf(notice: GroupNotice): number {
  return notice.firing.filter((alert) => alert.isNew).length;
}

/** When the oldest alert still firing started; undefined when none is listed. */
export function firingSinceOf(notice: GroupNotice): string | undefined {
  return notice.firing
    .map((alert) => alert.startedAt)
    .reduce<string | undefined>(
      (oldest, startedAt) =>
        oldest === undefined || Date.parse(startedAt) < Date.parse(oldest) ? startedAt : oldest,
      undefined,
    );
}

/**
 * One line for people: `[WARNING] CPU_HIGH in us-east-1: 100 firing (100 new), 3 resolved`; a
 * reminder tells since when, and a notice about a single alert tells its measure.
 */
export function headlineOf(notice: GroupNotice): string {
  const place = placeOf(notice);
  const since = notice.type === 'REMINDER' ? firingSinceOf(notice) : undefined;
  const sole = soleAlertOf(notice);
  return [
    `[${severityOf(notice)}] ${kindsOf(notice)}${place ? ` ${place}` : ''}: ${countsOf(notice)}`,
    since ? ` since ${since}` : '',
    sole ? ` — ${detailOf(sole.alert, sole.section)}` : '',
  ].join('');
}

/** `CPU 97 % above 90 %` for a measured alert, its message otherwise, its resolution once resolved. */
export function detailOf(alert: NoticeAlert, section: Section): string {
  if (section === 'resolved') {
    return alert.resolution ?? alert.message;
  }
  return measureOf(alert) ?? alert.message;
}

/** `CPU 97 % above 90 %`; undefined for an alert that measures nothing. */
export function measureOf(alert: NoticeAlert): string | undefined {
  const measure = MEASURES.get(alert.kind);
  if (!measure || alert.value === null || alert.threshold === null) {
    return undefined;
  }
  return `${measure.metric} ${percent(alert.value)} ${measure.crossed} ${percent(alert.threshold)}`;
}

/** The alerts the notice lists, firing first. */
export function listedAlerts(notice: GroupNotice): NoticeAlert[] {
  return [...notice.firing, ...notice.resolved];
}

/** The sections in the order this notice tells them: what it is about first. */
export function sectionsOf(
  notice: GroupNotice,
): { section: Section; alerts: NoticeAlert[]; count: number }[] {
  const firing = { section: 'firing' as const, alerts: notice.firing, count: notice.firingCount };
  const resolved = {
    section: 'resolved' as const,
    alerts: notice.resolved,
    count: notice.resolvedCount,
  };
  const ordered = notice.type === 'RESOLVED' ? [resolved, firing] : [firing, resolved];
  return ordered.filter((entry) => entry.alerts.length > 0);
}

/**
 * An alert as receivers may see it. Fields are copied one by one: callers may pass entities,
 * whose other columns are not ours to publish.
 */
export function publishedAlert(alert: NoticeAlert) {
  return {
    id: alert.id,
    workerId: alert.workerId,
    kind: alert.kind,
    state: alert.state,
    severity: alert.severity,
    value: alert.value,
    threshold: alert.threshold,
    resolvedValue: alert.resolvedValue,
    message: alert.message,
    resolution: alert.resolution,
    startedAt: alert.startedAt,
    resolvedAt: alert.resolvedAt,
    acknowledgedAt: alert.acknowledgedAt,
    worker: alert.worker && {
      id: alert.worker.id,
      name: alert.worker.name,
      awsInstanceId: alert.worker.awsInstanceId,
      awsRegion: alert.worker.awsRegion,
    },
    isNew: alert.isNew,
    link: alert.link,
  };
}

/** The group as receivers may see it, its labels copied one by one for the same reason. */
export function publishedGroup(notice: GroupNotice) {
  const labels: Partial<Record<GroupLabel, string>> = {};
  for (const label of GROUP_LABELS) {
    const value = notice.group.labels[label];
    if (value !== undefined) {
      labels[label] = value;
    }
  }
  return { key: notice.group.key, labels };
}

/**
 * The lines that fit, whole, within `maxLines` lines and `maxChars` characters (newlines
 * included), then `…and N more` for the rest of `total`.
 */
export function capLines(
  lines: string[],
  total: number,
  { maxLines = Infinity, maxChars = Infinity }: { maxLines?: number; maxChars?: number },
): string[] {
  const all = Math.max(total, lines.length);
  if (all === lines.length && lines.length <= maxLines && lines.join('\n').length <= maxChars) {
    return lines;
  }
  // Room for the `…and N more` line, so that adding it never breaks the limit.
  const budget = maxChars - `\n…and ${all} more`.length;
  const kept: string[] = [];
  let length = 0;
  for (const line of lines.slice(0, maxLines)) {
    length += (kept.length > 0 ? 1 : 0) + line.length;
    if (length > budget) {
      break;
    }
    kept.push(line);
  }
  return [...kept, `…and ${all - kept.length} more`];
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function soleAlertOf(notice: GroupNotice): { alert: NoticeAlert; section: Section } | undefined {
  if (notice.type === 'ACKNOWLEDGED' || notice.firingCount + notice.resolvedCount !== 1) {
    return undefined;
  }
  const [alert] = listedAlerts(notice);
  return alert && { alert, section: notice.firing.length > 0 ? 'firing' : 'resolved' };
}

function isSeverity(value: string | undefined): value is Severity {
  return value !== undefined && Object.hasOwn(SEVERITY_RANK, value);
}

function only<T>(values: T[]): T | undefined {
  const distinct = new Set(values);
  return distinct.size === 1 ? values[0] : undefined;
}
