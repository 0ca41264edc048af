import { isDeepStrictEqual } from 'node:util';

/**
 * Where two parsed JSON values first differ, as a path such as
 * `data.workers.edges[3].node.alerts[0].startedAt: "…" vs "…"`; undefined when they are equal
 * (key order aside).
 */
export function firstDifference(left: unknown, right: unknown, at = ''): string | undefined {
  if (isDeepStrictEqual(left, right)) {
    return undefined;
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) {
      return `${at}: ${left.length} items vs ${right.length}`;
    }
    for (let index = 0; index < left.length; index += 1) {
      const difference = firstDifference(left[index], right[index], `${at}[${index}]`);
      if (difference) {
        return difference;
      }
    }
  }
  if (isObject(left) && isObject(right)) {
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      const difference = firstDifference(left[key], right[key], at ? `${at}.${key}` : key);
      if (difference) {
        return difference;
      }
    }
  }
  return `${at || '(root)'}: ${JSON.stringify(left)} vs ${JSON.stringify(right)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
