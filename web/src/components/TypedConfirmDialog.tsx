import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { messageOf } from '../api/graphql';
import { useModal } from './use-modal';

interface Props {
  /** What must be typed to confirm: the worker's name. */
  name: string;
  /** The verb, on the heading ("Terminate cml-worker-01?") and on the button. */
  action: string;
  /** What happens, said before anyone types. */
  children: ComponentChildren;
  /** Rejects with the API's error, which the dialog shows; resolved, the dialog is closed. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** What cannot be undone wants the worker's name typed, as in a cloud console. */
export function TypedConfirmDialog({ name, action, children, onConfirm, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useModal(dialog);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="confirm" aria-labelledby={`${id}-heading`} onCancel={onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (typed === name && !busy) {
            void confirm();
          }
        }}
      >
        <h2 id={`${id}-heading`}>
          {action} {name}?
        </h2>
        {children}
        <label>
          <span>
            Type <strong>{name}</strong> to confirm
          </span>
          <input
            type="text"
            autoComplete="off"
            spellcheck={false}
            value={typed}
            aria-describedby={error ? `${id}-error` : undefined}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
        </label>
        {error && (
          <p id={`${id}-error`} class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={busy || typed !== name}>
            {action}
          </button>
        </div>
      </form>
    </dialog>
  );
}
