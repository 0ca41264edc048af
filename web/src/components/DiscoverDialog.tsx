import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../api/graphql';
import { now } from '../clock';
import { age, plural } from '../format';
import type { InstanceDiscoveryFilter, WorkerRowFragment } from '../generated/graphql';
import { discoverInstances, importInstances, type ImportResult } from '../state/actions';
import {
  instanceKey,
  parseTagFilter,
  shownTags,
  toggleAll,
  type DiscoveredInstance,
} from '../state/discovery';
import { regions } from '../state/fleet-view';
import { ImportByIdForm } from './ImportByIdForm';
import { StatusBadge } from './StatusBadge';
import { useModal } from './use-modal';

interface Listing {
  instances: readonly DiscoveredInstance[];
  /** Where the next page starts; null when there is none. */
  next: string | null;
}

function Outcome({ result }: { result: ImportResult }) {
  return (
    <>
      <p>Imported {plural(result.imported.length, 'worker')}.</p>
      {result.failed.length > 0 && (
        <ul class="import-failures" aria-label="Import failures">
          {result.failed.map((failure) => (
            <li key={failure.awsInstanceId}>
              <span class="mono">{failure.awsInstanceId}</span> <strong>{failure.code}</strong>:{' '}
              {failure.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The instances EC2 runs that no worker watches yet, to register a chosen few at once. */
export function DiscoverDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useModal(dialog);
  const [region, setRegion] = useState('');
  const [tagText, setTagText] = useState('');
  const [listing, setListing] = useState<Listing | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<'listing' | 'importing' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  /** The filter of the listing shown, which its further pages must keep. */
  const filter = useRef<InstanceDiscoveryFilter>({});

  const list = async (more: boolean) => {
    if (!more) {
      const parsed = parseTagFilter(tagText);
      if ('error' in parsed) {
        setError(parsed.error);
        return;
      }
      filter.current = {
        awsRegion: region.trim() || null,
        tags: parsed.tags.length > 0 ? parsed.tags : null,
      };
    }
    setBusy('listing');
    setError(null);
    try {
      const page = await discoverInstances(
        filter.current,
        more ? (listing?.next ?? undefined) : undefined,
      );
      const found = page.edges.map((edge) => edge.node);
      setListing({
        instances: more ? [...(listing?.instances ?? []), ...found] : found,
        next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
      });
      if (!more) {
        setSelected(new Set());
      }
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  const runImport = async () => {
    if (!listing) {
      return;
    }
    setBusy('importing');
    setError(null);
    setResult(null);
    try {
      const outcome = await importInstances(listing.instances, selected);
      // Those now watched are no longer to discover; those that failed stay, chosen, to retry.
      const imported = new Set(outcome.imported.map(instanceKey));
      setListing({
        ...listing,
        instances: listing.instances.filter((instance) => !imported.has(instanceKey(instance))),
      });
      setSelected(new Set([...selected].filter((key) => !imported.has(key))));
      setResult(outcome);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  /** Imported by its id: no longer to discover. */
  const forget = (worker: WorkerRowFragment) => {
    const key = instanceKey(worker);
    if (listing) {
      setListing({
        ...listing,
        instances: listing.instances.filter((instance) => instanceKey(instance) !== key),
      });
    }
    setSelected(new Set([...selected].filter((chosenKey) => chosenKey !== key)));
  };

  useEffect(() => {
    void list(false);
  }, []);

  const instances = listing?.instances ?? [];
  const chosen = instances.filter((instance) => selected.has(instanceKey(instance))).length;
  const toggle = (key: string) => {
    const next = new Set(selected);
    if (!next.delete(key)) {
      next.add(key);
    }
    setSelected(next);
  };

  return (
    <dialog ref={dialog} class="discover" aria-labelledby="discover-heading" onCancel={onClose}>
      <h2 id="discover-heading">Discover and import instances</h2>
      <p class="muted">
        EC2 instances that no worker watches yet. Imported ones are named after their Name tag and
        polled at once.
      </p>
      <form
        class="discover-filter"
        aria-label="Filter instances"
        onSubmit={(event) => {
          event.preventDefault();
          void list(false);
        }}
      >
        <label>
          Region
          <input
            type="text"
            list="discover-regions"
            placeholder="every region"
            autoComplete="off"
            value={region}
            onInput={(event) => setRegion(event.currentTarget.value)}
          />
        </label>
        <datalist id="discover-regions">
          {regions.value.map((known) => (
            <option key={known} value={known} />
          ))}
        </datalist>
        <label>
          Tags
          <input
            type="text"
            placeholder="key=value, …"
            autoComplete="off"
            spellcheck={false}
            value={tagText}
            onInput={(event) => setTagText(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="secondary" disabled={busy !== null}>
          {busy === 'listing' ? 'Listing…' : 'List'}
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="discover-list">
        {listing === null ? (
          busy === 'listing' && <p class="empty">Listing…</p>
        ) : instances.length === 0 ? (
          <p class="empty">No unregistered instance matches.</p>
        ) : (
          <table class="discover-table">
            <caption class="visually-hidden">Unregistered instances</caption>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Select all"
                    checked={chosen > 0 && chosen === instances.length}
                    indeterminate={chosen > 0 && chosen < instances.length}
                    onChange={() => setSelected(toggleAll(instances, selected))}
                  />
                </th>
                <th scope="col">Name</th>
                <th scope="col">Instance</th>
                <th scope="col">Region · type</th>
                <th scope="col">State</th>
                <th scope="col">Launched</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {instances.map((instance) => {
                const key = instanceKey(instance);
                return (
                  <tr key={key} data-instance-id={instance.awsInstanceId}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${instance.name ?? instance.awsInstanceId}`}
                        checked={selected.has(key)}
                        onChange={() => toggle(key)}
                      />
                    </td>
                    <td>{instance.name ?? '—'}</td>
                    <td class="mono">{instance.awsInstanceId}</td>
                    <td>
                      {instance.awsRegion} · {instance.instanceType ?? '—'}
                    </td>
                    <td>
                      <StatusBadge status={instance.status} />
                    </td>
                    <td>{instance.launchedAt ? age(instance.launchedAt, now.value) : '—'}</td>
                    <td>{shownTags(instance) || '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {listing?.next && (
          <button
            type="button"
            class="secondary"
            disabled={busy !== null}
            onClick={() => void list(true)}
          >
            Show more
          </button>
        )}
      </div>
      <div class="import-chosen">
        <div class="import-outcome" role="status">
          {busy === 'importing' ? <p>Importing…</p> : result && <Outcome result={result} />}
        </div>
        <button
          type="button"
          disabled={busy !== null || chosen === 0}
          onClick={() => void runImport()}
        >
          Import {plural(chosen, 'instance')}
        </button>
      </div>
      <ImportByIdForm onImported={forget} />
      <div class="actions">
        <button type="button" class="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}

/** Operators only: a viewer may list instances but not register them. */
export function DiscoverButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        Discover and import…
      </button>
      {open && <DiscoverDialog onClose={() => setOpen(false)} />}
    </>
  );
}
