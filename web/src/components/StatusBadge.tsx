import type { WorkerStatus } from '../generated/graphql';
import { humanize } from '../format';

export function StatusBadge({ status }: { status: WorkerStatus }) {
  return (
    <span class={`badge status status-${status.toLowerCase()}`} data-status={status}>
      {status}
    </span>
  );
}

export function CheckBadge({ name, value }: { name: string; value: string }) {
  const tone = value === 'OK' ? 'ok' : value === 'IMPAIRED' ? 'bad' : 'neutral';
  return (
    <span class={`check check-${tone}`} title={`${name} status check: ${humanize(value)}`}>
      {name} {humanize(value)}
    </span>
  );
}
