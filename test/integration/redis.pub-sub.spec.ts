import { Redis } from 'ioredis';
import { channelOf } from '../../src/services/pubsub/pub-sub';
import { RedisPubSubAdapter } from '../../src/services/pubsub/redis.pub-sub';
import { POLLED } from '../../src/entities/change-source.enum';
import { WorkerStatus } from '../../src/entities/worker-status.enum';
import type { WorkerStatusChange } from '../../src/entities/worker-status-change.type';
import { collectEvents } from '../support/collect-events';
import { testLogger } from '../support/silent-logger';

const redisUrl = process.env.REDIS_URL;
const prefix = process.env.TEST_REDIS_PREFIX ?? 'cwm-test:';

const change = (workerId: string): WorkerStatusChange => ({
  workerId,
  previousStatus: WorkerStatus.RUNNING,
  status: WorkerStatus.STOPPING,
  changedAt: new Date('2026-03-01T10:00:00.123Z'),
  ...POLLED,
});

async function eventually(check: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

// Without REDIS_URL the service uses its in-process pub/sub, covered by the unit and e2e suites.
(redisUrl ? describe : describe.skip)(RedisPubSubAdapter.name, () => {
  let publisherSide: RedisPubSubAdapter;
  let subscriberSide: RedisPubSubAdapter;
  let observer: Redis;

  beforeAll(() => {
    publisherSide = new RedisPubSubAdapter(redisUrl ?? '', prefix, testLogger());
    subscriberSide = new RedisPubSubAdapter(redisUrl ?? '', prefix, testLogger());
    observer = new Redis(redisUrl ?? '');
  });

  afterAll(async () => {
    await Promise.all([publisherSide.close(), subscriberSide.close(), observer.quit()]);
  });

  /** Until Redis counts `subscribers` on each channel: a publication before that is lost. */
  const subscribed = (subscribers: Record<string, number>) =>
    eventually(async () => {
      const counts = (await observer.pubsub('NUMSUB', ...Object.keys(subscribers))) as (
        string | number
      )[];
      const found: Record<string, number> = {};
      for (let index = 0; index < counts.length; index += 2) {
        found[String(counts[index])] = Number(counts[index + 1]);
      }
      expect(found).toEqual(subscribers);
    });
  const fleet = channelOf(prefix, 'WORKER_STATUS_CHANGED');
  const ofWorker = (workerId: string) => channelOf(prefix, 'WORKER_STATUS_CHANGED', workerId);

  // Each test's subscriptions gone from Redis before the next one counts its own.
  afterEach(() => subscribed({ [fleet]: 0 }));

  it('should deliver across connections with dates still dates', async () => {
    const all = collectEvents<WorkerStatusChange>(subscriberSide, 'WORKER_STATUS_CHANGED');
    await subscribed({ [fleet]: 1 });

    await publisherSide.publish('WORKER_STATUS_CHANGED', change('w-1'));

    await eventually(() => expect(all.received).toHaveLength(1));
    await all.stop();
    expect(all.received[0]).toEqual(change('w-1'));
    expect(all.received[0].changedAt).toBeInstanceOf(Date);
  });

  it("should give a subscriber to one worker only that worker's events", async () => {
    const one = collectEvents<WorkerStatusChange>(subscriberSide, 'WORKER_STATUS_CHANGED', 'w-2');
    const all = collectEvents<WorkerStatusChange>(subscriberSide, 'WORKER_STATUS_CHANGED');
    await subscribed({ [fleet]: 1, [ofWorker('w-2')]: 1 });

    await publisherSide.publish('WORKER_STATUS_CHANGED', change('w-3'));
    await publisherSide.publish('WORKER_STATUS_CHANGED', change('w-2'));

    await eventually(() => expect(all.received).toHaveLength(2));
    await eventually(() => expect(one.received).toHaveLength(1));
    await Promise.all([one.stop(), all.stop()]);
    expect(one.received.map((event) => event.workerId)).toEqual(['w-2']);
    expect(all.received.map((event) => event.workerId)).toEqual(['w-3', 'w-2']);
  });

  it('should deliver events published together in the order they were published', async () => {
    const all = collectEvents<WorkerStatusChange>(subscriberSide, 'WORKER_STATUS_CHANGED');
    const one = collectEvents<WorkerStatusChange>(subscriberSide, 'WORKER_STATUS_CHANGED', 'w-7');
    await subscribed({ [fleet]: 1, [ofWorker('w-7')]: 1 });
    const workerIds = Array.from({ length: 50 }, (_, index) => `w-${index}`);

    // As a poll does: every sample of the cycle at once.
    await Promise.all(
      workerIds.map((workerId) => publisherSide.publish('WORKER_STATUS_CHANGED', change(workerId))),
    );

    await eventually(() => expect(all.received).toHaveLength(workerIds.length));
    await eventually(() => expect(one.received).toHaveLength(1));
    await Promise.all([one.stop(), all.stop()]);
    expect(all.received).toEqual(workerIds.map(change));
    expect(one.received).toEqual([change('w-7')]);
  });
});
