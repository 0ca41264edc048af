import { signal } from '@preact/signals';

export type Route = { page: 'fleet' } | { page: 'worker'; workerId: string };

function parse(hash: string): Route {
  const match = /^#\/workers\/([^/]+)$/.exec(hash);
  return match?.[1]
    ? { page: 'worker', workerId: decodeURIComponent(match[1]) }
    : { page: 'fleet' };
}

/** The page shown, from the URL's fragment, so a worker's detail can be bookmarked and shared. */
export const route = signal<Route>(parse(window.location.hash));

window.addEventListener('hashchange', () => {
  route.value = parse(window.location.hash);
});

export const workerHref = (workerId: string) => `#/workers/${encodeURIComponent(workerId)}`;
