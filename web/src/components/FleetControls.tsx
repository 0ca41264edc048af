import type { WorkerStatus } from '../generated/graphql';
import {
  nameFilter,
  regionFilter,
  regions,
  showTerminated,
  statusFilter,
  summary,
  terminatedCount,
} from '../state/fleet-view';

const STATUSES: WorkerStatus[] = [
  'RUNNING',
  'PENDING',
  'STOPPING',
  'STOPPED',
  'SHUTTING_DOWN',
  'TERMINATED',
  'UNKNOWN',
];

export function SummaryCounters() {
  const counts = summary.value;
  const counter = (label: string, value: number, tone: string) => (
    <div class={`counter counter-${tone}`}>
      <dt>{label}</dt>
      <dd data-counter={tone}>{value}</dd>
    </div>
  );
  return (
    <dl class="summary" aria-label="Fleet summary">
      {counter('Workers', counts.total, 'total')}
      {counter('Running', counts.running, 'running')}
      {counter('Stopped', counts.stopped, 'stopped')}
      {counter('Alerting', counts.alerting, 'alerting')}
      {counter('Poll errors', counts.pollErrors, 'poll-errors')}
    </dl>
  );
}

export function FleetFilters() {
  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter workers"
      onSubmit={(event) => event.preventDefault()}
    >
      <label>
        Name
        <input
          type="search"
          value={nameFilter.value}
          placeholder="contains…"
          onInput={(event) => {
            nameFilter.value = event.currentTarget.value;
          }}
        />
      </label>
      <label>
        Status
        <select
          value={statusFilter.value}
          onChange={(event) => {
            statusFilter.value = event.currentTarget.value as WorkerStatus | '';
          }}
        >
          <option value="">Any</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </label>
      <label>
        Region
        <select
          value={regionFilter.value}
          onChange={(event) => {
            regionFilter.value = event.currentTarget.value;
          }}
        >
          <option value="">Any</option>
          {regions.value.map((region) => (
            <option key={region} value={region}>
              {region}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          checked={showTerminated.value}
          onChange={(event) => {
            showTerminated.value = event.currentTarget.checked;
          }}
        />
        Show terminated ({terminatedCount.value})
      </label>
    </form>
  );
}
