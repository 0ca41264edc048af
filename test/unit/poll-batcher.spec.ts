import { stat } from 'node:fs';
import { PollBatcher, type PollOutcome } from '../../src/services/polling/poll-batcher';

const polled: PollOutcome = { kind: 'polled', nextPollAt: new Date(0) };

describe(PollBatcher.name, () => {
  let batches: string[][];
  let batcher: PollBatcher;

  const recordingBatcher = (
    options = { windowMs: 20, maxWaitMs: 1_000, maxBatchSize: 1_000, alignment: 1 },
  ) =>
    new PollBatcher((ids) => {
      batches.push(ids);
      return Promise.resolve(new Map(ids.map((id) => [id, polled])));
    }, options);

  beforeEach(() => {
    batches = [];
    batcher = recordingBatcher();
  });

  it('should poll the workers that come due together in one batch', async () => {
    const outcomes = await Promise.all(['a', 'b', 'c'].map((id) => batcher.poll(id)));

    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(outcomes).toEqual([polled, polled, polled]);
  });

  it('should keep the batch open while workers keep arriving within the window', async () => {
    batcher = recordingBatcher({
      windowMs: 200,
      maxWaitMs: 5_000,
      maxBatchSize: 1_000,
      alignment: 1,
    });
    const arrivals: Promise<PollOutcome>[] = [];
    for (let i = 0; i < 5; i += 1) {
      arrivals.push(batcher.poll(`w${i}`));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(arrivals);

    expect(batches).toEqual([['w0', 'w1', 'w2', 'w3', 'w4']]);
  });

  it('should start a new batch after a quiet window', async () => {
    await batcher.poll('a');
    await batcher.poll('b');

    expect(batches).toEqual([['a'], ['b']]);
  });

  it('should not let a steady trickle hold the first worker past the longest wait', async () => {
    // Fewer than whole requests' worth by then: polled all the same.
    batcher = recordingBatcher({
      windowMs: 30,
      maxWaitMs: 60,
      maxBatchSize: 1_000,
      alignment: 500,
    });
    const first = batcher.poll('first');
    const trickle = (async () => {
      for (let i = 0; i < 8; i += 1) {
        void batcher.poll(`t${i}`);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();

    await first;
    await trickle;
    await batcher.settle();

    expect(batches.length).toBeGreaterThan(1);
    expect(batches[0][0]).toBe('first');
  });

  it('should poll at once when the batch is full', async () => {
    batcher = recordingBatcher({
      windowMs: 10_000,
      maxWaitMs: 10_000,
      maxBatchSize: 2,
      alignment: 1,
    });

    await Promise.all([batcher.poll('a'), batcher.poll('b')]);

    expect(batches).toEqual([['a', 'b']]);
  });

  it('should poll a worker asked for twice once, and answer both', async () => {
    const [job, refresh] = await Promise.all([batcher.poll('a'), batcher.poll('a')]);

    expect(batches).toEqual([['a']]);
    expect(job).toBe(refresh);
  });

  it('should fail every poll of a batch whose storage failed, and go on with the next', async () => {
    let calls = 0;
    batcher = new PollBatcher(
      (ids) => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new Error('database down'))
          : Promise.resolve(new Map(ids.map((id) => [id, polled])));
      },
      { windowMs: 5, maxWaitMs: 100, maxBatchSize: 100, alignment: 1 },
    );

    await expect(Promise.all([batcher.poll('a'), batcher.poll('b')])).rejects.toThrow(
      'database down',
    );
    await expect(batcher.poll('c')).resolves.toBe(polled);
  });

  it('should report a worker the batch did not answer for as gone', async () => {
    batcher = new PollBatcher(() => Promise.resolve(new Map<string, PollOutcome>()), {
      windowMs: 5,
      maxWaitMs: 100,
      maxBatchSize: 100,
      alignment: 1,
    });

    await expect(batcher.poll('removed')).resolves.toEqual({ kind: 'gone', nextPollAt: null });
  });

  it('should cut a batch at the longest wait to whole requests, leaving the rest to the next', async () => {
    batcher = recordingBatcher({ windowMs: 30, maxWaitMs: 60, maxBatchSize: 1_000, alignment: 4 });
    const arrivals: Promise<PollOutcome>[] = [];
    const trickle = async (from: number, to: number) => {
      for (let i = from; i < to; i += 1) {
        arrivals.push(batcher.poll(`w${i}`));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await trickle(0, 10);
    await Promise.all(arrivals);

    expect(batches.slice(0, -1).every((batch) => batch.length % 4 === 0)).toBe(true);
    expect(batches.flat()).toEqual(Array.from({ length: 10 }, (_, i) => `w${i}`));
    expect(batches[0]?.length).toBeGreaterThanOrEqual(4);
  });

  it('should not call a batch complete while arrivals wait behind a long synchronous stretch', async () => {
    batcher = recordingBatcher({
      windowMs: 20,
      maxWaitMs: 5_000,
      maxBatchSize: 1_000,
      alignment: 1,
    });
    const first = batcher.poll('a');
    // A database reply that does a long synchronous stretch (a batch being stored) while the
    // reply carrying the next arrival comes in: the timers run before that reply is read.
    stat(__filename, () => {
      stat(__filename, () => void batcher.poll('b'));
      const blockedUntil = Date.now() + 60;
      while (Date.now() < blockedUntil) {
        // busy
      }
    });
    await first;
    await batcher.settle();

    expect(batches).toEqual([['a', 'b']]);
  });
});
