/** The value under `key`, made by `create` and stored the first time it is asked for. */
export function getOrAdd<K, V>(
  map: { get(key: K): V | undefined; set(key: K, value: V): unknown },
  key: K,
  create: () => V,
): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** For each id, the item that has it, or null. */
export function inOrderOf<T extends { id: string }>(
  ids: readonly string[],
  items: readonly T[],
): (T | null)[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The items by key, each group in the order of `items`, the groups in order of first sight. */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    getOrAdd(groups, keyOf(item), () => []).push(item);
  }
  return groups;
}
