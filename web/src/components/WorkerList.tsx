import { useEffect, useRef, useState } from 'preact/hooks';
import { shownWorkerIds, sortBy, sortDescending, sortKey, type SortKey } from '../state/fleet-view';
import { visibleRange } from '../virtual-window';
import { WorkerRow } from './WorkerRow';

/**
 * How the rows are laid out, from the widest: a table, rows of two-line cells, then cards. Each
 * is chosen by the list's own width (the least its cells need, measured with the demo fleet's
 * longest values), and has a fixed row height, so the rows in view follow from the scroll
 * position alone.
 */
const LAYOUTS = [
  { layout: 'table', minWidth: 870, rowHeight: 60 },
  { layout: 'compact', minWidth: 620, rowHeight: 108 },
  { layout: 'cards', minWidth: 0, rowHeight: 180 },
] as const;
type Layout = (typeof LAYOUTS)[number];

const layoutFor = (width: number): Layout =>
  LAYOUTS.find((candidate) => width >= candidate.minWidth) ?? LAYOUTS[LAYOUTS.length - 1];

/** Rows rendered beyond each edge, so a quick scroll shows no gap. */
const OVERSCAN = 8;

/** The headings, each over its cells' area of the row's grid. */
const COLUMNS: { label: string; area: string; sort?: SortKey }[] = [
  { label: 'Name', area: 'name', sort: 'name' },
  { label: 'Region · type', area: 'where' },
  { label: 'Status', area: 'state', sort: 'status' },
  { label: 'CML · labs', area: 'cml' },
  { label: 'CPU', area: 'cpu', sort: 'cpu' },
  { label: 'Memory', area: 'memory', sort: 'memory' },
  { label: 'Last poll', area: 'polled' },
  { label: 'Alerts', area: 'alerts' },
];

/** Column headings over the table; a row of sort buttons over the rows and cards. */
function SortHeader() {
  return (
    <div class="list-header" role="group" aria-label="Sort workers">
      <span class="sort-caption" aria-hidden="true">
        Sort by
      </span>
      {COLUMNS.map(({ label, area, sort }) => {
        if (!sort) {
          return (
            <span key={label} class={`cell heading-${area}`}>
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
            class={`cell sort heading-${area}${active ? ' active' : ''}`}
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
  const [width, setWidth] = useState(window.innerWidth);
  useEffect(() => {
    const element = viewport.current;
    if (!element) {
      return undefined;
    }
    const observer = new ResizeObserver(() => {
      setHeight(element.clientHeight);
      setWidth(element.clientWidth);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const { layout, rowHeight } = layoutFor(width);
  const { first, last } = visibleRange(scrollTop, height, rowHeight, ids.length, OVERSCAN);
  return (
    <section class="workers" aria-labelledby="workers-heading" data-layout={layout}>
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
          <ul class="worker-list" style={{ height: `${ids.length * rowHeight}px` }}>
            {ids.slice(first, last).map((id, index) => (
              <WorkerRow
                key={id}
                id={id}
                top={(first + index) * rowHeight}
                height={rowHeight}
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
