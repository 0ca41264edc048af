import { now } from '../clock';
import { age, ALERT_KIND_LABEL, levelOf, percent } from '../format';
import { workerHref } from '../route';
import { labsSummary } from '../state/cml';
import { firingByWorker, workerSignal, type WorkerView } from '../state/fleet';
import { Sparkline } from './Sparkline';
import { CmlBadge, StatusBadge, StatusChecks } from './StatusBadge';

const METRIC = {
  cpu: { label: 'CPU', value: (worker: WorkerView) => worker.cpuUtilization },
  memory: { label: 'Memory', value: (worker: WorkerView) => worker.memoryUtilization },
} as const;

/** A load now, coloured against the worker's threshold, and its last hour. */
function LoadCell({ worker, metric }: { worker: WorkerView; metric: keyof typeof METRIC }) {
  const { label, value } = METRIC[metric];
  const threshold = worker.thresholds[metric];
  return (
    <div class={`cell load level-${levelOf(value(worker), threshold)}`}>
      <span class="value" title={`${label} threshold ${threshold} %`}>
        {percent(value(worker))}
      </span>
      <Sparkline
        points={worker.history}
        metric={metric}
        threshold={threshold}
        label={`${label} of ${worker.name} over the last hour`}
      />
    </div>
  );
}

interface Props {
  id: string;
  top: number;
  position: number;
  size: number;
}

/** One worker; it re-renders when that worker's signal changes, not when others do. */
export function WorkerRow({ id, top, position, size }: Props) {
  const worker = workerSignal(id)?.value;
  if (!worker) {
    return null;
  }
  const firing = firingByWorker.value.get(id) ?? [];
  return (
    <li
      class={`worker-row${firing.length > 0 ? ' alerting' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      aria-posinset={position}
      aria-setsize={size}
      data-worker-id={id}
      data-alerting={firing.length > 0 ? 'true' : 'false'}
    >
      <div class="cell name">
        <a href={workerHref(id)}>{worker.name}</a>
        <span class="muted mono">{worker.awsInstanceId}</span>
      </div>
      <div class="cell where">
        <span>{worker.awsRegion}</span>
        <span class="muted">{worker.instanceType ?? '—'}</span>
      </div>
      <div class="cell state">
        <StatusBadge status={worker.status} />
        <StatusChecks checks={worker.statusChecks} />
      </div>
      <div class="cell cml">
        <CmlBadge cml={worker.cml} />
        <span class="labs" title="Labs and nodes running">
          {labsSummary(worker.cml)}
        </span>
      </div>
      <LoadCell worker={worker} metric="cpu" />
      <LoadCell worker={worker} metric="memory" />
      <div class="cell polled">
        <span>
          {worker.monitoringEnabled ? age(worker.lastPolledAt, now.value) : 'not monitored'}
        </span>
        {worker.pollError && (
          <span class="poll-error" title={worker.pollError.message}>
            Poll failed ×{worker.pollError.consecutiveFailures}: {worker.pollError.message}
          </span>
        )}
      </div>
      <div class="cell alerts">
        {firing.map((alert) => (
          <span key={alert.id} class={`badge severity-${alert.severity.toLowerCase()}`}>
            {ALERT_KIND_LABEL[alert.kind]}
          </span>
        ))}
      </div>
    </li>
  );
}
