import type { CmlRowFragment, WorkerRowFragment, WorkerStatus } from '../generated/graphql';
import { CML_STATUS_LABEL, CML_STATUS_MEANING, humanize } from '../format';

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

/** The worker's CML controller; why it fails is in the title, and read out with the badge. */
export function CmlBadge({ cml }: { cml: Pick<CmlRowFragment, 'status' | 'error'> }) {
  const meaning = CML_STATUS_MEANING[cml.status];
  return (
    <span
      class={`badge cml cml-${cml.status.toLowerCase()}`}
      data-cml-status={cml.status}
      title={cml.error ? `${meaning}: ${cml.error}` : meaning}
    >
      <span class="visually-hidden">CML </span>
      {CML_STATUS_LABEL[cml.status]}
      {cml.error && <span class="visually-hidden">: {cml.error}</span>}
    </span>
  );
}
