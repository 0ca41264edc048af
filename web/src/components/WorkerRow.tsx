import { age, ALERT_KIND_LABEL, levelOf, now, percent } from '../format';
import { workerHref } from '../route';
import { firingByWorker, workerSignal } from '../state/fleet';
import { Sparkline } from './Sparkline';
import { CheckBadge, StatusBadge } from './StatusBadge';

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
  const cpuLevel = levelOf(worker.cpuUtilization, worker.thresholds.cpu);
  const memoryLevel = levelOf(worker.memoryUtilization, worker.thresholds.memory);
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
        {worker.statusChecks && (
          <span class="checks">
            <CheckBadge name="System" value={worker.statusChecks.system} />
            <CheckBadge name="Instance" value={worker.statusChecks.instance} />
          </span>
        )}
      </div>
      <div class={`cell load level-${cpuLevel}`}>
        <span class="value" title={`CPU threshold ${worker.thresholds.cpu} %`}>
          {percent(worker.cpuUtilization)}
        </span>
        <Sparkline
          points={worker.history}
          metric="cpu"
          threshold={worker.thresholds.cpu}
          label={`CPU of ${worker.name} over the last hour`}
        />
      </div>
      <div class={`cell load level-${memoryLevel}`}>
        <span class="value" title={`Memory threshold ${worker.thresholds.memory} %`}>
          {percent(worker.memoryUtilization)}
        </span>
        <Sparkline
          points={worker.history}
          metric="memory"
          threshold={worker.thresholds.memory}
          label={`Memory of ${worker.name} over the last hour`}
        />
      </div>
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
