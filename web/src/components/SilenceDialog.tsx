import { useRef, useState } from 'preact/hooks';
import { messageOf } from '../api/graphql';
import { now } from '../clock';
import { ALERT_KIND_LABEL, dateTime } from '../format';
import { createSilence } from '../state/actions';
import { workerSignal } from '../state/fleet';
import {
  draftMatchers,
  DURATIONS,
  endsAtAfter,
  silenceInput,
  silenceTarget,
  targetName,
  widenableRegion,
  type DurationMinutes,
  type SilenceScope,
  type SilenceTarget,
} from '../state/silence-draft';
import { describeMatchers } from '../state/silences';
import { useModal } from './use-modal';

const nameOf = (workerId: string) => workerSignal(workerId)?.value.name;

function ScopeChoice({
  target,
  region,
  scope,
  onChange,
}: {
  target: Extract<SilenceTarget, { from: 'alert' }>;
  region: string;
  scope: SilenceScope;
  onChange: (scope: SilenceScope) => void;
}) {
  const kind = ALERT_KIND_LABEL[target.alert.kind];
  return (
    <fieldset>
      <legend>Which workers</legend>
      <label class="choice">
        <input
          type="radio"
          name="silence-scope"
          checked={scope === 'worker'}
          onChange={() => onChange('worker')}
        />
        {targetName(target)} only
      </label>
      <label class="choice">
        <input
          type="radio"
          name="silence-scope"
          checked={scope === 'region'}
          onChange={() => onChange('region')}
        />
        Every worker in {region} ({kind} only)
      </label>
    </fieldset>
  );
}

/** Holds back the notifications of what the target names, for a while; the alerts still show. */
function SilenceDialog({ target, onClose }: { target: SilenceTarget; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useModal(dialog);
  const [scope, setScope] = useState<SilenceScope>('worker');
  const [minutes, setMinutes] = useState<DurationMinutes>(60);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const region = widenableRegion(target);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await createSilence(silenceInput(target, scope, minutes, comment, Date.now()));
      onClose();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      class="confirm silence-dialog"
      aria-labelledby="silence-heading"
      onCancel={onClose}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (comment.trim() !== '') {
            void submit();
          }
        }}
      >
        <h2 id="silence-heading">Silence alerts</h2>
        <p class="muted">
          Matching alerts still fire and show here, marked silenced; no one is notified of them
          until the silence ends.
        </p>
        {target.from === 'alert' && region && (
          <ScopeChoice target={target} region={region} scope={scope} onChange={setScope} />
        )}
        <label>
          Duration
          <select
            value={minutes}
            onChange={(event) => setMinutes(Number(event.currentTarget.value) as DurationMinutes)}
          >
            {DURATIONS.map((duration) => (
              <option key={duration.minutes} value={duration.minutes}>
                {duration.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Comment
          <textarea
            required
            rows={3}
            placeholder="Why, for those who see it"
            value={comment}
            onInput={(event) => setComment(event.currentTarget.value)}
          />
        </label>
        <p class="silence-preview">
          Silences <strong>{describeMatchers(draftMatchers(target, scope), nameOf)}</strong> until{' '}
          {dateTime(endsAtAfter(minutes, now.value))}.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy || comment.trim() === ''}>
            {busy ? 'Silencing…' : 'Silence'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The one silence dialog of the page, opened from an alert or a worker with what it targets. */
export function SilenceDialogHost() {
  const target = silenceTarget.value;
  if (!target) {
    return null;
  }
  return (
    <SilenceDialog
      target={target}
      onClose={() => {
        silenceTarget.value = null;
      }}
    />
  );
}
