import { computed, signal } from '@preact/signals';
import { ALERT_KIND_LABEL, plural } from '../format';
import type { AlertKind, AlertRowFragment, AlertSeverity } from '../generated/graphql';
import { firingAlerts } from './fleet';

/** Alerts of one kind and severity in one region: how the service groups its notifications. */
export interface AlertGroup {
  key: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** Null for the alerts of workers removed since. */
  region: string | null;
  /** Those not silenced first, each part in the order given. */
  alerts: readonly AlertRowFragment[];
  silenced: number;
}

/** Groups bigger than this start collapsed: a hundred rows would hide every other group. */
export const COLLAPSED_OVER = 3;
/** Rows an open group shows at first and adds at each "Show more". */
export const GROUP_PAGE = 20;

const keyOf = (alert: AlertRowFragment) =>
  `${alert.kind}/${alert.severity}/${alert.worker?.awsRegion ?? ''}`;

/** The groups in the order of their first alert, so the order of `alerts` still leads. */
export function groupAlerts(alerts: readonly AlertRowFragment[]): AlertGroup[] {
  const groups = new Map<
    string,
    { first: AlertRowFragment; loud: AlertRowFragment[]; quiet: AlertRowFragment[] }
  >();
  for (const alert of alerts) {
    const key = keyOf(alert);
    let group = groups.get(key);
    if (!group) {
      group = { first: alert, loud: [], quiet: [] };
      groups.set(key, group);
    }
    (alert.silenced ? group.quiet : group.loud).push(alert);
  }
  return [...groups].map(([key, { first, loud, quiet }]) => ({
    key,
    kind: first.kind,
    severity: first.severity,
    region: first.worker?.awsRegion ?? null,
    alerts: [...loud, ...quiet],
    silenced: quiet.length,
  }));
}

/** A group's header line, in parts: "CPU high · WARNING · us-east-1", "100 workers", "3 silenced". */
export function groupHeading(group: AlertGroup): {
  title: string;
  count: string;
  silenced: string | null;
} {
  const workers = new Set(group.alerts.map((alert) => alert.workerId)).size;
  return {
    title: [ALERT_KIND_LABEL[group.kind], group.severity, group.region ?? 'removed workers'].join(
      ' · ',
    ),
    count: plural(workers, 'worker'),
    silenced: group.silenced > 0 ? `${group.silenced} silenced` : null,
  };
}

export type FiringEntry =
  | { kind: 'alert'; alert: AlertRowFragment }
  | {
      kind: 'group';
      group: AlertGroup;
      open: boolean;
      /** The rows an open group shows; none when closed. */
      shown: readonly AlertRowFragment[];
      /** The rows not shown: those past the pages shown, or every one of a closed group. */
      hidden: number;
    };

/**
 * What the firing list shows: a lone alert as a plain row, other groups under their header,
 * open when small or opened by hand, and a page of rows at a time.
 */
export function firingEntries(
  groups: readonly AlertGroup[],
  opened: ReadonlyMap<string, boolean>,
  pages: ReadonlyMap<string, number>,
): FiringEntry[] {
  return groups.map((group) => {
    const [only] = group.alerts;
    if (only && group.alerts.length === 1) {
      return { kind: 'alert', alert: only };
    }
    const open = opened.get(group.key) ?? group.alerts.length <= COLLAPSED_OVER;
    const shown = open ? group.alerts.slice(0, (pages.get(group.key) ?? 1) * GROUP_PAGE) : [];
    return {
      kind: 'group',
      group,
      open,
      shown,
      hidden: open ? group.alerts.length - shown.length : group.alerts.length,
    };
  });
}

export const firingGroups = computed(() => groupAlerts(firingAlerts.value));

/** Groups opened or closed by hand; the others follow their size. */
export const groupsOpened = signal<ReadonlyMap<string, boolean>>(new Map());
/** How many pages of rows the open groups show, for those asked to show more. */
export const groupPages = signal<ReadonlyMap<string, number>>(new Map());

export function setGroupOpen(key: string, open: boolean): void {
  groupsOpened.value = new Map(groupsOpened.value).set(key, open);
}

export function showMoreOf(key: string): void {
  groupPages.value = new Map(groupPages.value).set(key, (groupPages.value.get(key) ?? 1) + 1);
}
