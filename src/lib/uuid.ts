const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids of workers and alerts are UUIDs: anything else names nothing, and Postgres would refuse it. */
export function isUuid(id: string): boolean {
  return UUID_PATTERN.test(id);
}
