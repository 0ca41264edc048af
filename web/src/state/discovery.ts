import type {
  DashboardDiscoverInstancesQuery,
  ImportWorkerInput,
  TagFilter,
} from '../generated/graphql';

export type DiscoveredInstance =
  DashboardDiscoverInstancesQuery['discoverInstances']['edges'][number]['node'];

/** Instance ids are unique per region only as far as the API promises. */
export const instanceKey = (instance: { awsRegion: string; awsInstanceId: string }): string =>
  `${instance.awsRegion}/${instance.awsInstanceId}`;

/**
 * The tag filter as typed: comma-separated `key=value` pairs, or a bare `key` for any value; a
 * key named twice matches any of its values. An error says what is wrong with the text.
 */
export function parseTagFilter(text: string): { tags: TagFilter[] } | { error: string } {
  const byKey = new Map<string, string[] | null>();
  for (const part of text.split(',')) {
    const pair = part.trim();
    if (pair === '') {
      continue;
    }
    const equals = pair.indexOf('=');
    const key = (equals < 0 ? pair : pair.slice(0, equals)).trim();
    if (key === '') {
      return { error: `"${pair}" has no tag key: write key=value, such as team=labs` };
    }
    const values = byKey.get(key);
    if (equals < 0 || values === null) {
      // Any value of the key, whatever else was named for it.
      byKey.set(key, null);
    } else {
      byKey.set(key, [...(values ?? []), pair.slice(equals + 1).trim()]);
    }
  }
  return {
    tags: [...byKey].map(([key, values]) => (values === null ? { key } : { key, values })),
  };
}

/** What importWorkers needs of each chosen instance; the service names it from its Name tag. */
export const importInputs = (
  instances: readonly DiscoveredInstance[],
  selected: ReadonlySet<string>,
): ImportWorkerInput[] =>
  instances
    .filter((instance) => selected.has(instanceKey(instance)))
    .map(({ awsInstanceId, awsRegion }) => ({ awsInstanceId, awsRegion }));

/** All of them, or none when all are chosen already: what a "select all" box toggles to. */
export function toggleAll(
  instances: readonly DiscoveredInstance[],
  selected: ReadonlySet<string>,
): Set<string> {
  const all = instances.length > 0 && instances.every((i) => selected.has(instanceKey(i)));
  return all ? new Set() : new Set(instances.map(instanceKey));
}

/** The tags worth a column: Name is the name already. */
export const shownTags = (instance: DiscoveredInstance): string =>
  instance.tags
    .filter((tag) => tag.key !== 'Name')
    .map((tag) => `${tag.key}=${tag.value}`)
    .join(', ');
