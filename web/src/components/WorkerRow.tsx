import { now } from '../clock';
import { age, ALERT_KIND_LABEL, levelOf, percent, thresholdRule } from '../format';
import type { AlertRowFragment } from '../generated/graphql';
import { workerHref } from '../route';
import { labsSummary } from '../state/cml';
import { firingByWorker, workerSignal, type WorkerView } from '../state/fleet';
import { Sparkline } from './Sparkline';
import { CmlBadge, StatusBadge, StatusChecks } from './StatusBadge';

const METRIC = {
  cpu: { label: 'CPU', value: (worker: WorkerView) => worker.cpuUtilization },
  memory: { label: 'Memory', value: (worker: WorkerView) => worker.memoryUtilization },
} as const;

/** Alert badges a row has room for; the others are counted. */
const ALERT_BADGES = 1;

/** A load now, coloured against the worker's threshold, and its last hour. */
function LoadCell({ worker, metric }: { worker: WorkerView; metric: keyof typeof METRIC }) {
  const { label, value } = METRIC[metric];
  const threshold = worker.thresholds[metric];
  return (
    <div class={`cell load load-${metric} level-${levelOf(value(worker), threshold)}`}>
      <span class="load-label">{label}</span>
      <span class="load-now">
        <span class="value" title={`${label}: ${thresholdRule(threshold)}`}>
          {percent(value(worker))}
        </span>
        <Sparkline
          points={worker.history}
          metric={metric}
          threshold={threshold}
          label={`${label} of ${worker.name} over the last hour`}
        />
      </span>
    </div>
  );
}

/** When it was polled, or that its polls fail: the reason is in the title and on its page. */
function PolledCell({ worker }: { worker: WorkerView }) {
  const failure = worker.pollError;
  return (
    <div class="cell polled">
      {failure ? (
        <span class="poll-error" title={failure.message}>
          Poll failed ×{failure.consecutiveFailures}
          <span class="visually-hidden">: {failure.message}</span>
        </span>
      ) : (
        <span>
          {worker.monitoringEnabled ? age(worker.lastPolledAt, now.value) : 'not monitored'}
        </span>
      )}
    </div>
  );
}

function AlertsCell({ firing }: { firing: readonly AlertRowFragment[] }) {
  const shown = firing.slice(0, ALERT_BADGES);
  const more = firing.slice(ALERT_BADGES);
  return (
    <div class="cell alerts">
      {shown.map((alert) => (
        <span key={alert.id} class={`badge severity-${alert.severity.toLowerCase()}`}>
          {ALERT_KIND_LABEL[alert.kind]}
        </span>
      ))}
      {more.length > 0 && (
        <span class="more" title={more.map((alert) => ALERT_KIND_LABEL[alert.kind]).join(', ')}>
          +{more.length}
          <span class="visually-hidden">
            : {more.map((alert) => ALERT_KIND_LABEL[alert.kind]).join(', ')}
          </span>
        </span>
      )}
    </div>
  );
}

interface Props {
  id: string;
  top: number;
  height: number;
  position: number;
  size: number;
}

/** One worker; it re-renders when that worker's signal changes, not when others do. */
export function WorkerRow({ id, top, height, position, size }: Props) {
  const worker = workerSignal(id)?.value;
  if (!worker) {
    return null;
  }
  const firing = firingByWorker.value.get(id) ?? [];
  return (
    <li
      class={`worker-row${firing.length > 0 ? ' alerting' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: `${height}px` }}
      aria-posinset={position}
      aria-setsize={size}
      data-worker-id={id}
      data-alerting={firing.length > 0 ? 'true' : 'false'}
    >
      <div class="cell name">
        <a href={workerHref(id)} title={worker.name}>
          {worker.name}
        </a>
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
      <PolledCell worker={worker} />
      <AlertsCell firing={firing} />
    </li>
  );
}
