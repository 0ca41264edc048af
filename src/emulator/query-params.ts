/**
 * The AWS query protocol's flattened parameters (`Filter.1.Value.2=...`), read back as
 * scalars, lists and lists of structures. Indices are 1-based and ordered numerically.
 */
export class QueryParams {
  private constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** Reads a form-encoded body, plus the URL's query string (AWS accepts both). */
  static fromRequest(body: string, search: string): QueryParams {
    const values = new Map<string, string>();
    for (const source of [search, body]) {
      for (const [key, value] of new URLSearchParams(source)) {
        values.set(key, value);
      }
    }
    return new QueryParams(values);
  }

  string(name: string): string | undefined {
    return this.values.get(name);
  }

  /** `name.1`, `name.2`, ... as a list. */
  list(name: string): string[] {
    const entries: Array<[number, string]> = [];
    const prefix = `${name}.`;
    for (const [key, value] of this.values) {
      if (key.startsWith(prefix)) {
        const index = Number(key.slice(prefix.length));
        if (Number.isInteger(index)) {
          entries.push([index, value]);
        }
      }
    }
    return entries.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
  }

  /** `name.N.field...` grouped by N, each group read with the same methods. */
  structList(name: string): QueryParams[] {
    const groups = new Map<number, Map<string, string>>();
    const prefix = `${name}.`;
    for (const [key, value] of this.values) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      const rest = key.slice(prefix.length);
      const dot = rest.indexOf('.');
      const index = Number(dot === -1 ? Number.NaN : rest.slice(0, dot));
      if (!Number.isInteger(index)) {
        continue;
      }
      let group = groups.get(index);
      if (!group) {
        group = new Map();
        groups.set(index, group);
      }
      group.set(rest.slice(dot + 1), value);
    }
    return [...groups.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, group]) => new QueryParams(group));
  }

  /** The parameters under `name.`, for a nested structure. */
  struct(name: string): QueryParams {
    const prefix = `${name}.`;
    const nested = new Map<string, string>();
    for (const [key, value] of this.values) {
      if (key.startsWith(prefix)) {
        nested.set(key.slice(prefix.length), value);
      }
    }
    return new QueryParams(nested);
  }

  get isEmpty(): boolean {
    return this.values.size === 0;
  }
}
