import { useId, useRef, useState } from 'preact/hooks';
import { createWorker } from '../state/actions';
import { regions } from '../state/fleet-view';
import { announce } from '../state/notice';
import { createInput, type CreateDraft } from '../state/worker-form';
import { Field, RefusalMessage, refusalOf, type Refusal } from './FormField';
import { useModal } from './use-modal';

const BLANK: CreateDraft = {
  name: '',
  awsRegion: '',
  instanceType: '',
  amiId: '',
  cpu: '',
  memory: '',
  cmlEndpoint: '',
};

const DEFAULT = "service's default";

/** Launches an EC2 instance and registers it as a worker (createWorker). */
export function CreateWorkerDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  useModal(dialog);
  const [draft, setDraft] = useState<CreateDraft>(BLANK);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const edit = (values: Partial<CreateDraft>) => setDraft({ ...draft, ...values });
  const errorId = `${id}-error`;
  const field = (name: keyof CreateDraft, apiField: string = name) => ({
    field: apiField,
    value: draft[name],
    onInput: (value: string) => edit({ [name]: value }),
    refusal,
    errorId,
  });

  const submit = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      const worker = await createWorker(createInput(draft));
      announce(`${worker.name} is launching: instance ${worker.awsInstanceId}, ${worker.status}.`);
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
          void submit();
        }}
      >
        <h2 id={`${id}-heading`}>New worker</h2>
        <p class="muted">
          Launches an EC2 instance and registers it; it is polled as soon as EC2 runs it. Blank
          fields take the service&rsquo;s defaults.
        </p>
        <Field {...field('name')} label="Name" required />
        <div class="field-row">
          <Field
            {...field('awsRegion')}
            label="Region"
            placeholder={DEFAULT}
            list={`${id}-regions`}
          />
          <Field {...field('instanceType')} label="Instance type" placeholder={DEFAULT} />
        </div>
        <datalist id={`${id}-regions`}>
          {regions.value.map((known) => (
            <option key={known} value={known} />
          ))}
        </datalist>
        <Field {...field('amiId')} label="AMI" placeholder={DEFAULT} mono />
        <fieldset>
          <legend>Alert thresholds, in percent</legend>
          <div class="field-row">
            <Field
              {...field('cpu', 'thresholds.cpu')}
              label="CPU"
              type="number"
              placeholder={DEFAULT}
            />
            <Field
              {...field('memory', 'thresholds.memory')}
              label="Memory"
              type="number"
              placeholder={DEFAULT}
            />
          </div>
        </fieldset>
        <Field
          {...field('cmlEndpoint')}
          label="CML endpoint"
          placeholder="derived from the instance"
          mono
        />
        <RefusalMessage refusal={refusal} id={errorId} />
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {busy ? 'Launching…' : 'Launch and register'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export function CreateWorkerButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        New worker…
      </button>
      {open && <CreateWorkerDialog onClose={() => setOpen(false)} />}
    </>
  );
}
