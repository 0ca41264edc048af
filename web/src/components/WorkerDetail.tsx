import { useEffect, useState } from 'preact/hooks';
import { now } from '../clock';
import { age, dateTime, humanize, levelOf, percent, thresholdRule } from '../format';
import type { WorkerStatus } from '../generated/graphql';
import { removeWorker, runWorkerAction, type WorkerAction } from '../state/actions';
import { announce } from '../state/notice';
import { silenceTarget } from '../state/silence-draft';
import {
  chooseRange,
  closeDetail,
  detail,
  openDetail,
  RANGE_LABEL,
  RANGES,
  type DetailWorker,
  type RangeKey,
} from '../state/detail';
import { pollIntervalSeconds, workerSignal, type WorkerView } from '../state/fleet';
import { auditHref } from '../route';
import { NO_FILTER } from '../state/audit-filter';
import { messageOf } from '../api/graphql';
import { AlertItem } from './AlertItem';
import { CmlSection } from './CmlSection';
import { MetricChart } from './MetricChart';
import { StatusBadge, StatusChecks } from './StatusBadge';
import { StatusTimeline } from './StatusTimeline';
import { TypedConfirmDialog } from './TypedConfirmDialog';
import { WorkerSettingsDialog } from './WorkerSettingsDialog';

const ACTIONS: {
  action: Exclude<WorkerAction, 'terminate'>;
  label: string;
  allowed: (status: WorkerStatus) => boolean;
}[] = [
  { action: 'start', label: 'Start', allowed: (status) => status === 'STOPPED' },
  {
    action: 'stop',
    label: 'Stop',
    allowed: (status) => status === 'RUNNING' || status === 'PENDING',
  },
  { action: 'refresh', label: 'Refresh', allowed: () => true },
];

type ActionDialog = 'edit' | 'terminate' | 'remove';

function Actions({ worker }: { worker: WorkerView }) {
  const [busy, setBusy] = useState<WorkerAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<ActionDialog | null>(null);
  const run = async (action: Exclude<WorkerAction, 'terminate'>) => {
    setBusy(action);
    setError(null);
    try {
      await runWorkerAction(action, worker.id);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };
  const remove = async () => {
    await removeWorker(worker.id);
    announce(
      `${worker.name} is removed: it is no longer polled, and its EC2 instance ${worker.awsInstanceId} is left as it is.`,
    );
    window.location.hash = '#/';
  };
  const close = () => setDialog(null);
  const gone = worker.status === 'TERMINATED' || worker.status === 'SHUTTING_DOWN';
  return (
    <div class="actions" role="group" aria-label="Worker actions">
      {ACTIONS.map(({ action, label, allowed }) => (
        <button
          key={action}
          type="button"
          disabled={busy !== null || !allowed(worker.status)}
          onClick={() => void run(action)}
        >
          {busy === action ? `${label}…` : label}
        </button>
      ))}
      <button type="button" class="secondary" onClick={() => setDialog('edit')}>
        Edit…
      </button>
      <button
        type="button"
        class="secondary"
        onClick={() => {
          silenceTarget.value = { from: 'worker', worker };
        }}
      >
        Silence…
      </button>
      <button
        type="button"
        class="danger"
        disabled={busy !== null || gone}
        onClick={() => setDialog('terminate')}
      >
        Terminate…
      </button>
      <button
        type="button"
        class="danger"
        disabled={busy !== null}
        onClick={() => setDialog('remove')}
      >
        Remove…
      </button>
      {dialog === 'edit' && <WorkerSettingsDialog worker={worker} onClose={close} />}
      {dialog === 'terminate' && (
        <TypedConfirmDialog
          name={worker.name}
          action="Terminate"
          onClose={close}
          onConfirm={() => runWorkerAction('terminate', worker.id)}
        >
          <p>
            The EC2 instance is terminated and its disks are lost. The worker stays listed as
            TERMINATED and is no longer polled.
          </p>
        </TypedConfirmDialog>
      )}
      {dialog === 'remove' && (
        <TypedConfirmDialog name={worker.name} action="Remove" onClose={close} onConfirm={remove}>
          <p>
            The worker is forgotten: it is no longer polled and its samples are deleted; its alerts
            resolve and stay in the history. The EC2 instance{' '}
            <span class="mono">{worker.awsInstanceId}</span> is left as it is, running or not.
          </p>
        </TypedConfirmDialog>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function Deliveries({ alert }: { alert: DetailWorker['alerts'][number] }) {
  if (alert.deliveries.length === 0) {
    return null;
  }
  return (
    <table class="deliveries">
      <caption class="visually-hidden">Notification deliveries of this alert</caption>
      <thead>
        <tr>
          <th scope="col">Receiver</th>
          <th scope="col">Event</th>
          <th scope="col">State</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last error</th>
        </tr>
      </thead>
      <tbody>
        {alert.deliveries.map((delivery) => (
          <tr key={delivery.id}>
            <td>
              {delivery.receiver} <span class="muted">({humanize(delivery.receiverKind)})</span>
            </td>
            <td>{humanize(delivery.event)}</td>
            <td>{humanize(delivery.state)}</td>
            <td>{delivery.attempts}</td>
            <td>{delivery.lastError ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WorkerDetail({ workerId, canAct }: { workerId: string; canAct: boolean }) {
  useEffect(() => {
    void openDetail(workerId);
    return closeDetail;
  }, [workerId]);
  const state = detail.value;
  const live = workerSignal(workerId)?.value;
  const fetched = state?.worker;
  const worker: WorkerView | null =
    live ?? (fetched ? { ...fetched, history: [], transitions: [] } : null);
  if (!state || (!worker && state.loading)) {
    return <p class="muted">Loading…</p>;
  }
  if (!worker) {
    return (
      <section class="detail">
        <a href="#/">← Fleet</a>
        <p class="error" role="alert">
          {state.error ?? 'No such worker.'}
        </p>
      </section>
    );
  }
  const until = now.value;
  const since = until - RANGES[state.range];
  const rangeLabel = RANGE_LABEL[state.range];
  const spanMs = pollIntervalSeconds.value * 1000;
  return (
    <section class="detail" aria-labelledby="detail-heading">
      <a href="#/">← Fleet</a>
      <header class="detail-header">
        <h2 id="detail-heading">{worker.name}</h2>
        <StatusBadge status={worker.status} />
        <StatusChecks checks={worker.statusChecks} />
      </header>
      <dl class="facts">
        <div>
          <dt>Instance</dt>
          <dd class="mono">{worker.awsInstanceId}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{worker.awsRegion}</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{worker.instanceType ?? '—'}</dd>
        </div>
        <div>
          <dt>CPU</dt>
          <dd class={`level-${levelOf(worker.cpuUtilization, worker.thresholds.cpu)}`}>
            {percent(worker.cpuUtilization)}{' '}
            <span class="muted">({thresholdRule(worker.thresholds.cpu)})</span>
          </dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd class={`level-${levelOf(worker.memoryUtilization, worker.thresholds.memory)}`}>
            {percent(worker.memoryUtilization)}{' '}
            <span class="muted">({thresholdRule(worker.thresholds.memory)})</span>
          </dd>
        </div>
        <div>
          <dt>Last poll</dt>
          <dd title={dateTime(worker.lastPolledAt)}>
            {worker.monitoringEnabled ? age(worker.lastPolledAt, now.value) : 'not monitored'}
          </dd>
        </div>
      </dl>
      {worker.pollError && (
        <p class="error">
          The last {worker.pollError.consecutiveFailures} poll(s) failed: {worker.pollError.message}
        </p>
      )}
      {canAct && <Actions worker={worker} />}
      {state.error && (
        <p class="error" role="alert">
          {state.error}
        </p>
      )}
      <div class="range" role="group" aria-label="Chart range">
        {(Object.keys(RANGES) as RangeKey[]).map((range) => (
          <button
            key={range}
            type="button"
            class="secondary"
            aria-pressed={state.range === range}
            onClick={() => void chooseRange(range)}
          >
            {RANGE_LABEL[range]}
          </button>
        ))}
      </div>
      {state.seriesError && (
        <p class="error" role="alert">
          The charts could not be loaded: {state.seriesError}
        </p>
      )}
      <div class="charts">
        <MetricChart
          title="CPU"
          series={state.series}
          since={since}
          until={until}
          spanMs={spanMs}
          rangeLabel={rangeLabel}
          metric="cpu"
          threshold={worker.thresholds.cpu}
          color="#1d4ed8"
        />
        <MetricChart
          title="Memory"
          series={state.series}
          since={since}
          until={until}
          spanMs={spanMs}
          rangeLabel={rangeLabel}
          metric="memory"
          threshold={worker.thresholds.memory}
          color="#7c3aed"
        />
      </div>
      {fetched && <CmlSection worker={worker} fetched={fetched} />}
      <div class="detail-columns">
        <section aria-labelledby="timeline-heading">
          <h3 id="timeline-heading">Status timeline</h3>
          <StatusTimeline
            entries={state.timeline}
            registeredAt={state.timelineComplete ? (fetched?.createdAt ?? null) : null}
          />
          {canAct && (
            <a href={auditHref({ ...NO_FILTER, workerId: worker.id })}>
              Audit log of {worker.name}
            </a>
          )}
        </section>
        <section aria-labelledby="worker-alerts-heading">
          <h3 id="worker-alerts-heading">Alerts</h3>
          {(fetched?.alerts.length ?? 0) === 0 ? (
            <p class="muted">No alert so far.</p>
          ) : (
            <ul class="alert-list">
              {fetched?.alerts.map((alert) => (
                <AlertItem key={alert.id} alert={alert} canAct={canAct} showWorker={false}>
                  <Deliveries alert={alert} />
                </AlertItem>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
