import { useId, useRef, useState } from 'preact/hooks';
import { updateWorker } from '../state/actions';
import { pollIntervalSeconds, type WorkerView } from '../state/fleet';
import { monitoring } from '../state/monitoring';
import { settingsChange, settingsDraft, type SettingsDraft } from '../state/worker-form';
import { Field, RefusalMessage, refusalOf, type Refusal } from './FormField';
import { useModal } from './use-modal';

/** A worker's name, alert thresholds and whether it is polled (updateWorker). */
export function WorkerSettingsDialog({
  worker,
  onClose,
}: {
  worker: WorkerView;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  useModal(dialog);
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraft(worker));
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const change = settingsChange(worker, draft);
  const edit = (values: Partial<SettingsDraft>) => setDraft({ ...draft, ...values });
  const errorId = `${id}-error`;

  const save = async () => {
    if (!change) {
      return;
    }
    setBusy(true);
    setRefusal(null);
    try {
      await updateWorker(worker.id, change);
      onClose();
    } catch (failure) {
      setRefusal(refusalOf(failure));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      class="confirm form-dialog"
      aria-labelledby={`${id}-heading`}
      onCancel={onClose}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <h2 id={`${id}-heading`}>Edit {worker.name}</h2>
        <Field
          field="name"
          label="Name"
          value={draft.name}
          onInput={(name) => edit({ name })}
          refusal={refusal}
          errorId={errorId}
          required
        />
        <fieldset>
          <legend>Alert thresholds, in percent</legend>
          <p class="muted">An alert fires while the load stays strictly above its threshold.</p>
          <div class="field-row">
            <Field
              field="thresholds.cpu"
              label="CPU"
              type="number"
              value={draft.cpu}
              onInput={(cpu) => edit({ cpu })}
              refusal={refusal}
              errorId={errorId}
            />
            <Field
              field="thresholds.memory"
              label="Memory"
              type="number"
              value={draft.memory}
              onInput={(memory) => edit({ memory })}
              refusal={refusal}
              errorId={errorId}
            />
          </div>
        </fieldset>
        <label class="choice">
          <input
            type="checkbox"
            name="monitoringEnabled"
            checked={draft.monitoringEnabled}
            onChange={(event) => edit({ monitoringEnabled: event.currentTarget.checked })}
          />
          <span>
            Monitored: polled every {pollIntervalSeconds.value} s; off, it is polled only on Refresh
            {monitoring.value?.status.enabled === false &&
              '. Monitoring is off for the whole service (WORKER_MONITORING_ENABLED=false): nothing is polled on a schedule'}
          </span>
        </label>
        <RefusalMessage refusal={refusal} id={errorId} />
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy || !change}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
