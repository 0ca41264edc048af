import { dateTime } from '../format';
import { originOf, type TimelineEntry } from '../state/status-timeline';
import { StatusBadge } from './StatusBadge';

/** To the second, in the reader's locale: when exactly it happened, not how long ago. */
export const exactTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

interface Props {
  entries: readonly TimelineEntry[];
  /** When the worker was registered, shown last when the history reaches back to it. */
  registeredAt: string | null;
}

/** The worker's status changes as the service stored them, newest first, with who or what made each. */
export function StatusTimeline({ entries, registeredAt }: Props) {
  return (
    <ol class="timeline">
      {entries.length === 0 && registeredAt === null && (
        <li class="muted">No status change stored in the retention period.</li>
      )}
      {entries.map((entry) => (
        <li
          key={`${entry.changedAt}-${entry.status}`}
          data-source={entry.source}
          data-actor={entry.actor ?? undefined}
        >
          <StatusBadge status={entry.previousStatus} /> → <StatusBadge status={entry.status} />{' '}
          <time dateTime={entry.changedAt} title={entry.changedAt}>
            {exactTime(entry.changedAt)}
          </time>
          <span class="timeline-origin">{originOf(entry)}</span>
        </li>
      ))}
      {registeredAt !== null && (
        <li>
          <time dateTime={registeredAt}>{dateTime(registeredAt)}</time> registered
        </li>
      )}
    </ol>
  );
}
