/**
 * The rows to render of a list of `count` rows of `rowHeight` pixels scrolled to `scrollTop` in
 * a viewport `viewportHeight` high: those in view and `overscan` more beyond each edge, as the
 * half-open range [first, last). Scrolled past the end (a filter just shortened the list), the
 * last rows are the ones in view.
 */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan: number,
): { first: number; last: number } {
  // One more than fit, for the row cut at each edge when scrolled between rows.
  const inView = Math.ceil(viewportHeight / rowHeight) + 1;
  const top = Math.min(Math.floor(scrollTop / rowHeight), Math.max(0, count - inView));
  return {
    first: Math.max(0, top - overscan),
    last: Math.min(count, top + inView + overscan),
  };
}
