import { signal } from '@preact/signals';
import type { LinkState } from '../api/live';
import type { MonitoringHealthFragment } from '../generated/graphql';

/** One answer of `monitoringStatus`, with when it was had. */
export interface MonitoringLook {
  status: MonitoringHealthFragment;
  at: number;
  /** Since when every look has seen poll jobs past due; null while none is. */
  overdueSince: number | null;
}

/**
 * How long poll jobs must stay past due, look after look, before the page says so. A fleet's
 * jobs come due together and are claimed one statement at a time (about 600 a second per
 * process), so one look can catch a big fleet's cycle halfway through its claims.
 */
export const OVERDUE_GRACE_MS = 15_000;

export const monitoring = signal<MonitoringLook | null>(null);

/** The look after `previous`, carrying on its streak of past-due jobs. */
export function nextLook(
  previous: MonitoringLook | null,
  status: MonitoringHealthFragment,
  at: number,
): MonitoringLook {
  const pastDue = status.enabled && status.jobs.overdue > 0;
  return { status, at, overdueSince: pastDue ? (previous?.overdueSince ?? at) : null };
}

/**
 * Polls are overdue when poll jobs have been due and claimed by no process (the job store's
 * count, across every process, not this one's last cycle) for OVERDUE_GRACE_MS.
 */
export const pollsOverdue = (look: MonitoringLook): boolean =>
  look.overdueSince !== null && look.at - look.overdueSince >= OVERDUE_GRACE_MS;

/** Each poll interval, but at least every 30 s and at most every 5 s. */
export const monitoringRefetchMs = (pollIntervalSeconds: number): number =>
  Math.min(30, Math.max(5, pollIntervalSeconds)) * 1000;

/** What the header says: the socket first (nothing flows without it), then the polls. */
export type Health = LinkState | 'monitoring-off' | 'polls-overdue';

export function healthOf(link: LinkState, look: MonitoringLook | null): Health {
  if (link !== 'live' || !look) {
    return link;
  }
  if (!look.status.enabled) {
    return 'monitoring-off';
  }
  return pollsOverdue(look) ? 'polls-overdue' : 'live';
}
