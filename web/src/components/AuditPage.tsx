import { useEffect, useState } from 'preact/hooks';
import { plural } from '../format';
import type { AuditOutcome, AuditRowFragment } from '../generated/graphql';
import { auditHref, workerHref } from '../route';
import { audit, closeAudit, loadAudit, loadMoreAudit } from '../state/audit';
import { AUDITED_OPERATIONS, queryOf, sameFilter, type AuditFilter } from '../state/audit-filter';
import { workerIds, workerSignal } from '../state/fleet';
import { exactTime } from './StatusTimeline';

const OUTCOME_LABEL: Record<AuditOutcome, string> = { SUCCEEDED: 'Succeeded', FAILED: 'Failed' };

/** The registered workers by name, and the one the filter names even if it is gone. */
function workerChoices(selected: string): { id: string; name: string }[] {
  const known = workerIds.value.flatMap((id) => {
    const worker = workerSignal(id)?.value;
    return worker ? [{ id, name: worker.name }] : [];
  });
  if (selected !== '' && !known.some((worker) => worker.id === selected)) {
    known.push({ id: selected, name: `${selected} (not registered)` });
  }
  return known.sort((a, b) => a.name.localeCompare(b.name));
}

function AuditFilters({ filter }: { filter: AuditFilter }) {
  const [actor, setActor] = useState(filter.actor);
  useEffect(() => setActor(filter.actor), [filter.actor]);
  /** A changed filter is a new address (back goes to the last one); the same one asks again. */
  const apply = (next: AuditFilter) => {
    if (sameFilter(next, filter)) {
      void loadAudit(filter);
    } else {
      window.location.hash = auditHref(next);
    }
  };
  return (
    <form
      class="filters audit-filters"
      role="search"
      aria-label="Filter the audit log"
      onSubmit={(event) => {
        event.preventDefault();
        apply({ ...filter, actor });
      }}
    >
      <label>
        Caller
        <input
          type="search"
          value={actor}
          placeholder="exact name…"
          onInput={(event) => setActor(event.currentTarget.value)}
        />
      </label>
      <label>
        Worker
        <select
          value={filter.workerId}
          onChange={(event) => apply({ ...filter, actor, workerId: event.currentTarget.value })}
        >
          <option value="">Any</option>
          {workerChoices(filter.workerId).map((worker) => (
            <option key={worker.id} value={worker.id}>
              {worker.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Operation
        <select
          value={filter.operation}
          onChange={(event) => apply({ ...filter, actor, operation: event.currentTarget.value })}
        >
          <option value="">Any</option>
          {AUDITED_OPERATIONS.map((operation) => (
            <option key={operation} value={operation}>
              {operation}
            </option>
          ))}
        </select>
      </label>
      <label>
        Outcome
        <select
          value={filter.outcome}
          onChange={(event) =>
            apply({ ...filter, actor, outcome: event.currentTarget.value as AuditOutcome | '' })
          }
        >
          <option value="">Any</option>
          {(Object.keys(OUTCOME_LABEL) as AuditOutcome[]).map((outcome) => (
            <option key={outcome} value={outcome}>
              {OUTCOME_LABEL[outcome]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Apply</button>
      {queryOf(filter) !== '' && <a href={auditHref()}>Clear filters</a>}
    </form>
  );
}

/** Its name and page while it is registered; its id once it is gone. */
function WorkerCell({ workerId }: { workerId: string | null }) {
  if (workerId === null) {
    return <span class="muted">—</span>;
  }
  const worker = workerSignal(workerId)?.value;
  return worker ? (
    <a href={workerHref(workerId)}>{worker.name}</a>
  ) : (
    <span class="mono" title="No longer registered">
      {workerId}
    </span>
  );
}

/** Explicit roles: the narrow layout displays the cells as blocks, which drops a table's own. */
function AuditRow({ event }: { event: AuditRowFragment }) {
  return (
    <tr role="row" data-outcome={event.outcome}>
      <td role="cell" data-label="Time">
        <time dateTime={event.at} title={event.at}>
          {exactTime(event.at)}
        </time>
      </td>
      <td role="cell" data-label="Caller">
        {event.actor}
      </td>
      <td role="cell" data-label="Operation">
        <span class="mono">{event.operation}</span>
      </td>
      <td role="cell" data-label="Worker">
        <WorkerCell workerId={event.workerId} />
      </td>
      <td role="cell" data-label="Outcome">
        <span class={`badge outcome outcome-${event.outcome.toLowerCase()}`}>{event.outcome}</span>
      </td>
      <td role="cell" data-label="Error code">
        <span class="mono">{event.errorCode ?? '—'}</span>
      </td>
      <td role="cell" data-label="Summary" class="audit-summary">
        {event.summary}
      </td>
    </tr>
  );
}

const COLUMNS = ['Time', 'Caller', 'Operation', 'Worker', 'Outcome', 'Error code', 'Summary'];

/** Every mutation the service recorded, newest first, narrowed by the address's filter. */
export function AuditPage({ filter, canRead }: { filter: AuditFilter; canRead: boolean }) {
  const query = queryOf(filter);
  useEffect(() => {
    if (canRead) {
      void loadAudit(filter);
    }
    // The filter is the query: a new object with the same fields asks nothing again.
  }, [query, canRead]);
  useEffect(() => closeAudit, []);
  const state = audit.value;
  return (
    <section class="audit" aria-labelledby="audit-heading">
      <a href="#/">← Fleet</a>
      <h2 id="audit-heading">Audit log</h2>
      {!canRead ? (
        <p>The audit log is for operators: sign in with an operator&apos;s key to read it.</p>
      ) : (
        <>
          <AuditFilters filter={filter} />
          {state?.error && (
            <p class="error" role="alert">
              {state.error}
            </p>
          )}
          <p class="muted" role="status">
            {!state || state.loading
              ? 'Loading…'
              : `${plural(state.totalCount ?? 0, 'record')}${state.events.length < (state.totalCount ?? 0) ? `, the newest ${state.events.length} shown` : ''}.`}
          </p>
          {state && state.events.length > 0 && (
            <table class="audit-table" role="table">
              <caption class="visually-hidden">Recorded mutations, newest first</caption>
              <thead role="rowgroup">
                <tr role="row">
                  {COLUMNS.map((column) => (
                    <th key={column} role="columnheader" scope="col">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody role="rowgroup">
                {state.events.map((event) => (
                  <AuditRow key={event.id} event={event} />
                ))}
              </tbody>
            </table>
          )}
          {state?.hasNextPage && (
            <button
              type="button"
              class="secondary audit-more"
              disabled={state.loadingMore}
              onClick={() => void loadMoreAudit()}
            >
              {state.loadingMore ? 'Loading more…' : 'Load more'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
