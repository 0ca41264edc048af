import { useRef, useState } from 'preact/hooks';
import { useModal } from './use-modal';

interface Props {
  name: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Terminating cannot be undone: the worker's name must be typed, as in a cloud console. */
export function TerminateDialog({ name, onConfirm, onCancel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  useModal(dialog);
  return (
    <dialog ref={dialog} class="confirm" aria-labelledby="terminate-heading" onCancel={onCancel}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (typed === name) {
            onConfirm();
          }
        }}
      >
        <h2 id="terminate-heading">Terminate {name}?</h2>
        <p>
          The EC2 instance is terminated and its disks are lost. The worker stays listed as
          TERMINATED and is no longer polled.
        </p>
        <label>
          Type <strong>{name}</strong> to confirm
          <input
            type="text"
            autoComplete="off"
            spellcheck={false}
            value={typed}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
        </label>
        <div class="actions">
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={typed !== name}>
            Terminate
          </button>
        </div>
      </form>
    </dialog>
  );
}
