import { useId, useState } from 'preact/hooks';
import type { WorkerRowFragment } from '../generated/graphql';
import { importWorker } from '../state/actions';
import { regions } from '../state/fleet-view';
import { importInput, type ImportDraft } from '../state/worker-form';
import { Field, RefusalMessage, refusalOf, type Refusal } from './FormField';

const BLANK: ImportDraft = { awsInstanceId: '', awsRegion: '', name: '' };

/**
 * One instance by its id (importWorker), for one that discovery does not offer: in a region it
 * does not list, or tagged otherwise.
 */
export function ImportByIdForm({
  onImported,
}: {
  onImported: (worker: WorkerRowFragment) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState<ImportDraft>(BLANK);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [imported, setImported] = useState<WorkerRowFragment | null>(null);
  const errorId = `${id}-error`;
  const field = (name: keyof ImportDraft) => ({
    field: name,
    value: draft[name],
    onInput: (value: string) => setDraft({ ...draft, [name]: value }),
    refusal,
    errorId,
  });

  const submit = async () => {
    setBusy(true);
    setRefusal(null);
    setImported(null);
    try {
      const worker = await importWorker(importInput(draft));
      setImported(worker);
      setDraft(BLANK);
      onImported(worker);
    } catch (failure) {
      setRefusal(refusalOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="import-by-id"
      aria-labelledby={`${id}-heading`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-heading`}>Import by instance id</h3>
      <div class="field-row">
        <Field {...field('awsInstanceId')} label="Instance id" placeholder="i-…" required mono />
        <Field
          {...field('awsRegion')}
          label="Region"
          placeholder="service's default"
          list={`${id}-regions`}
        />
        <Field {...field('name')} label="Name" placeholder="its Name tag" />
        <button type="submit" class="secondary" disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      <datalist id={`${id}-regions`}>
        {regions.value.map((known) => (
          <option key={known} value={known} />
        ))}
      </datalist>
      <RefusalMessage refusal={refusal} id={errorId} />
      <p role="status" class="import-outcome">
        {imported && (
          <>
            Imported <strong>{imported.name}</strong> (
            <span class="mono">{imported.awsInstanceId}</span>, {imported.status}).
          </>
        )}
      </p>
    </form>
  );
}
