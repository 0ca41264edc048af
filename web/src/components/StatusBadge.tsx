import type { WorkerRowFragment, WorkerStatus } from '../generated/graphql';
import { humanize } from '../format';

export function StatusBadge({ status }: { status: WorkerStatus }) {
  return (
    <span class={`badge status status-${status.toLowerCase()}`} data-status={status}>
      {status}
    </span>
  );
}

function CheckBadge({ name, value }: { name: string; value: string }) {
  const tone = value === 'OK' ? 'ok' : value === 'IMPAIRED' ? 'bad' : 'neutral';
  return (
    <span class={`check check-${tone}`} title={`${name} status check: ${humanize(value)}`}>
      {name} {humanize(value)}
    </span>
  );
}

export function StatusChecks({ checks }: { checks: WorkerRowFragment['statusChecks'] }) {
  if (!checks) {
    return null;
  }
  return (
    <span class="checks">
      <CheckBadge name="System" value={checks.system} />
      <CheckBadge name="Instance" value={checks.instance} />
    </span>
  );
}
