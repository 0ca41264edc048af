import { useEffect, useRef, useState } from 'preact/hooks';
import { shownWorkerIds, sortBy, sortDescending, sortKey, type SortKey } from '../state/fleet-view';
import { visibleRange } from '../virtual-window';
import { WorkerRow } from './WorkerRow';

/** Fixed, so the rows in view follow from the scroll position alone. */
const ROW_HEIGHT = 60;
/** Rows rendered beyond each edge, so a quick scroll shows no gap. */
const OVERSCAN = 8;

const COLUMNS: { label: string; sort?: SortKey }[] = [
  { label: 'Name', sort: 'name' },
  { label: 'Region · type' },
  { label: 'Status', sort: 'status' },
  { label: 'CML · labs' },
  { label: 'CPU', sort: 'cpu' },
  { label: 'Memory', sort: 'memory' },
  { label: 'Last poll' },
  { label: 'Alerts' },
];

function SortHeader() {
  return (
    <div class="list-header" role="group" aria-label="Sort workers">
      {COLUMNS.map(({ label, sort }) => {
        if (!sort) {
          return (
            <span key={label} class="cell">
              {label}
            </span>
          );
        }
        const active = sortKey.value === sort;
        const arrow = active ? (sortDescending.value ? ' ↓' : ' ↑') : '';
        return (
          <button
            key={label}
            type="button"
            class={`cell sort${active ? ' active' : ''}`}
            aria-pressed={active}
            onClick={() => sortBy(sort)}
          >
            {label}
            {arrow}
          </button>
        );
      })}
    </div>
  );
}

/**
 * Only the rows in view (and a few beyond) exist in the page: a fleet of thousands scrolls and
 * updates as smoothly as a dozen.
 */
export function WorkerList() {
  const ids = shownWorkerIds.value;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(window.innerHeight);
  useEffect(() => {
    const element = viewport.current;
    if (!element) {
      return undefined;
    }
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const { first, last } = visibleRange(scrollTop, height, ROW_HEIGHT, ids.length, OVERSCAN);
  return (
    <section class="workers" aria-labelledby="workers-heading">
      <h2 id="workers-heading" class="visually-hidden">
        Workers
      </h2>
      <SortHeader />
      <div
        class="list-viewport"
        ref={viewport}
        tabIndex={0}
        aria-label={`Workers, ${ids.length} shown`}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      >
        {ids.length === 0 ? (
          <p class="empty">No worker matches.</p>
        ) : (
          <ul class="worker-list" style={{ height: `${ids.length * ROW_HEIGHT}px` }}>
            {ids.slice(first, last).map((id, index) => (
              <WorkerRow
                key={id}
                id={id}
                top={(first + index) * ROW_HEIGHT}
                position={first + index + 1}
                size={ids.length}
              />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
