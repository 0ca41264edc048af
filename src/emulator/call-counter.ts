/** Calls per region and action, e.g. `{ "eu-west-1": { "DescribeInstanceStatus": 3 } }`. */
export type CallCounts = Record<string, Record<string, number>>;

/** Counts every call the emulator received, including those answered with an injected fault. */
export class CallCounter {
  private readonly counts = new Map<string, Map<string, number>>();

  record(region: string, action: string): void {
    let byAction = this.counts.get(region);
    if (!byAction) {
      byAction = new Map();
      this.counts.set(region, byAction);
    }
    byAction.set(action, (byAction.get(action) ?? 0) + 1);
  }

  count(region: string, action: string): number {
    return this.counts.get(region)?.get(action) ?? 0;
  }

  snapshot(): CallCounts {
    const snapshot: CallCounts = {};
    for (const [region, byAction] of this.counts) {
      snapshot[region] = Object.fromEntries(byAction);
    }
    return snapshot;
  }

  reset(): void {
    this.counts.clear();
  }
}
