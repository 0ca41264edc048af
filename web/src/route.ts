import { signal } from '@preact/signals';
import { filterFromQuery, NO_FILTER, queryOf, type AuditFilter } from './state/audit-filter';

export type Route =
  { page: 'fleet' } | { page: 'worker'; workerId: string } | { page: 'audit'; filter: AuditFilter };

function parse(hash: string): Route {
  const worker = /^#\/workers\/([^/]+)$/.exec(hash);
  if (worker?.[1]) {
    return { page: 'worker', workerId: decodeURIComponent(worker[1]) };
  }
  const audit = /^#\/audit(?:\?(.*))?$/.exec(hash);
  return audit ? { page: 'audit', filter: filterFromQuery(audit[1] ?? '') } : { page: 'fleet' };
}

/** The page shown, from the URL's fragment, so a worker's detail can be bookmarked and shared. */
export const route = signal<Route>(parse(window.location.hash));

window.addEventListener('hashchange', () => {
  route.value = parse(window.location.hash);
});

export const workerHref = (workerId: string) => `#/workers/${encodeURIComponent(workerId)}`;

/** The audit page narrowed by `filter`, so a filtered view can be bookmarked and shared too. */
export function auditHref(filter: AuditFilter = NO_FILTER): string {
  const query = queryOf(filter);
  return query === '' ? '#/audit' : `#/audit?${query}`;
}
