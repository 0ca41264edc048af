import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { AlertRowFragment } from '../generated/graphql';
import { now } from '../clock';
import { age, ALERT_KIND_LABEL, alertMeasure } from '../format';
import { workerHref } from '../route';
import { acknowledgeAlert } from '../state/actions';
import { silenceTarget } from '../state/silence-draft';
import { messageOf } from '../api/graphql';

interface Props {
  alert: AlertRowFragment;
  canAct: boolean;
  /** Inside a worker's detail the worker needs no naming. */
  showWorker?: boolean;
  children?: ComponentChildren;
}

/**
 * Why a resolved alert resolved, rather than why it fired; an event (a termination) is stored
 * resolved as it fires, and what happened says more than that it was an event.
 */
function alertText(alert: AlertRowFragment): string {
  const event = alert.resolvedAt === alert.startedAt;
  if (alert.state !== 'RESOLVED' || event || !alert.resolution) {
    return alert.message;
  }
  return `Resolved: ${alert.resolution}`;
}

export function AlertItem({ alert, canAct, showWorker = true, children }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const measured = alertMeasure(alert);
  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    try {
      await acknowledgeAlert(alert.id);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li
      class={`alert-item state-${alert.state.toLowerCase()}`}
      data-alert-id={alert.id}
      data-state={alert.state}
    >
      <div class="alert-line">
        <span class={`badge severity-${alert.severity.toLowerCase()}`}>{alert.severity}</span>
        <strong>{ALERT_KIND_LABEL[alert.kind]}</strong>
        {showWorker &&
          (alert.worker ? (
            <a href={workerHref(alert.workerId)}>{alert.worker.name}</a>
          ) : (
            <span class="muted">a removed worker</span>
          ))}
        {measured && <span class="measured">{measured}</span>}
        {alert.silenced && (
          <span class="badge silenced" title="An active silence matches it: no one is notified">
            Silenced
          </span>
        )}
      </div>
      <div class="alert-line muted">
        <span title={new Date(alert.startedAt).toLocaleString()}>
          started {age(alert.startedAt, now.value)}
        </span>
        {alert.resolvedAt && <span>resolved {age(alert.resolvedAt, now.value)}</span>}
        {alert.acknowledgedAt && (
          <span class="acknowledged">acknowledged {age(alert.acknowledgedAt, now.value)}</span>
        )}
      </div>
      <p class="alert-message">{alertText(alert)}</p>
      {canAct && alert.state === 'FIRING' && (
        <div class="alert-actions">
          {!alert.acknowledgedAt && (
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() => void acknowledge()}
            >
              Acknowledge
            </button>
          )}
          {!alert.silenced && (
            <button
              type="button"
              class="secondary"
              onClick={() => {
                silenceTarget.value = { from: 'alert', alert };
              }}
            >
              Silence…
            </button>
          )}
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {children}
    </li>
  );
}
