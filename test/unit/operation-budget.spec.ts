import { jsonBytesLeft } from '../../src/schema/operation-budget';

/** A page of workers as graphql-js completes it: objects without a prototype. */
function answerPage(workers: number) {
  const bare = <T extends object>(fields: T): T => Object.assign(Object.create(null) as T, fields);
  return bare({
    workers: bare({
      totalCount: 200,
      pageInfo: bare({ hasNextPage: true, endCursor: 'WyIyMDI2LTEyLTAzVDEyOjAwOjAwLjAwMFoiXQ' }),
      edges: Array.from({ length: workers }, (_, index) =>
        bare({
          cursor: `cursor-${index}`,
          node: bare({
            id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
            name: `worker ${index}`,
            status: 'RUNNING',
            cpuUtilization: 42.5,
            lastPolledAt: new Date('2026-12-03T12:00:00.000Z'),
            pollError: null,
            metrics: Array.from({ length: 10 }, () =>
              bare({ collectedAt: '2026-12-03T12:00:00.000Z', cpuUtilization: 12.25 }),
            ),
          }),
        }),
      ),
    }),
  });
}

describe(jsonBytesLeft.name, () => {
  it('should count within 5 % of the answer as JSON', () => {
    const answer = answerPage(50);
    const serialized = JSON.stringify(answer).length;

    const counted = 1_000_000 - jsonBytesLeft(answer, 1_000_000);

    expect(Math.abs(counted - serialized) / serialized).toBeLessThan(0.05);
  });

  it('should go negative once the budget is spent', () => {
    const answer = answerPage(50);
    const serialized = JSON.stringify(answer).length;

    expect(jsonBytesLeft(answer, serialized * 0.9)).toBeLessThan(0);
    expect(jsonBytesLeft(answer, serialized * 1.1)).toBeGreaterThan(0);
  });

  it('should stop reading a value far over the budget soon after it is spent', () => {
    let reads = 0;
    const row = {
      get name() {
        reads += 1;
        return 'x'.repeat(100);
      },
    };
    const rows = Array.from({ length: 100_000 }, () => row);

    expect(jsonBytesLeft(rows, 1_000)).toBeLessThan(0);
    expect(reads).toBeLessThanOrEqual(10);
  });
});
