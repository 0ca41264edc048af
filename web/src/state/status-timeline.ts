import type { StatusTransitionFragment } from '../generated/graphql';

export type TimelineEntry = StatusTransitionFragment;

const keyOf = (entry: TimelineEntry) =>
  `${entry.changedAt}|${entry.previousStatus}|${entry.status}`;

/**
 * Both lists, newest first, each change once: a change announced live is stored before it is
 * published, so a fetch made since brings it again with the same time.
 */
export function mergeTimeline(
  current: readonly TimelineEntry[],
  incoming: readonly TimelineEntry[],
): TimelineEntry[] {
  const byKey = new Map<string, TimelineEntry>();
  for (const entry of [...current, ...incoming]) {
    byKey.set(keyOf(entry), entry);
  }
  return [...byKey.values()].sort((a, b) => Date.parse(b.changedAt) - Date.parse(a.changedAt));
}

/** Who or what made the change, in words. */
export function originOf(entry: Pick<TimelineEntry, 'source' | 'actor'>): string {
  switch (entry.source) {
    case 'POLL':
      return 'seen by a poll';
    case 'MUTATION':
      return `asked by ${entry.actor ?? 'an unnamed caller'}`;
    case 'POLICY':
      return 'by policy (auto-remediation or the idle stop)';
  }
}
