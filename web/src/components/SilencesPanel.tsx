import { useState } from 'preact/hooks';
import { messageOf } from '../api/graphql';
import { now } from '../clock';
import { dateTime } from '../format';
import { expireSilence } from '../state/actions';
import { workerSignal } from '../state/fleet';
import {
  describeMatchers,
  silences,
  silencesInOrder,
  silenceWhen,
  type ShownSilence,
} from '../state/silences';

const nameOf = (workerId: string) => workerSignal(workerId)?.value.name;

function SilenceItem({ entry, canAct }: { entry: ShownSilence; canAct: boolean }) {
  const { silence, state } = entry;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const expire = async () => {
    setBusy(true);
    setError(null);
    try {
      await expireSilence(silence.id);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li
      class={`silence-item state-${state.toLowerCase()}`}
      data-silence-id={silence.id}
      data-state={state}
    >
      <div class="alert-line">
        <span class={`badge silence-${state.toLowerCase()}`}>{state}</span>
        <strong>{describeMatchers(silence.matchers, nameOf)}</strong>
      </div>
      <div
        class="alert-line muted"
        title={`${dateTime(silence.startsAt)} to ${dateTime(silence.endsAt)}`}
      >
        {silenceWhen(silence, state, now.value)}
      </div>
      <p class="alert-message">{silence.comment}</p>
      <div class="alert-line muted">by {silence.createdBy}</div>
      {canAct && state !== 'EXPIRED' && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void expire()}>
          Expire
        </button>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** The silences in force or to come, and the last ones that ended. */
export function SilencesPanel({ canAct }: { canAct: boolean }) {
  const { current, expired } = silencesInOrder(silences.value, now.value);
  return (
    <aside class="silences-panel" aria-labelledby="silences-heading">
      <h2 id="silences-heading">Silences</h2>
      <section aria-labelledby="current-silences-heading">
        <h3 id="current-silences-heading">Active and pending ({current.length})</h3>
        {current.length === 0 ? (
          <p class="muted">Nothing is silenced.</p>
        ) : (
          <ul class="alert-list" aria-label="Active and pending silences">
            {current.map((entry) => (
              <SilenceItem key={entry.silence.id} entry={entry} canAct={canAct} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="expired-silences-heading">
        <h3 id="expired-silences-heading">Recently expired</h3>
        {expired.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <ul class="alert-list" aria-label="Expired silences">
            {expired.map((entry) => (
              <SilenceItem key={entry.silence.id} entry={entry} canAct={false} />
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}
