import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { Logger } from '../../logger';
import { ConnectionWatch } from '../../observability/connection-watch';
import { PubSub, Topic, TopicPayloads, channelOf, channelsFor } from './pub-sub';

/** Payload fields named `...At` are timestamps; JSON turns them into strings on the way. */
const reviveDates = (key: string, value: unknown): unknown =>
  key.endsWith('At') && typeof value === 'string' ? new Date(value) : value;

/** Pub/sub across every service process, over Redis channels under a key prefix. */
export class RedisPubSubAdapter implements PubSub {
  private readonly redis: RedisPubSub;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly watch: ConnectionWatch;

  constructor(
    url: string,
    private readonly prefix: string,
    logger: Logger,
  ) {
    // A poll publishes many samples at once: auto-pipelining writes the commands of one tick
    // together instead of one write each.
    this.publisher = new Redis(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 3,
      enableAutoPipelining: true,
    });
    this.subscriber = new Redis(url, { lazyConnect: false });
    // ioredis reconnects by itself; without listeners it prints each failed attempt to stderr.
    this.watch = new ConnectionWatch({ name: 'redis', logger });
    for (const [client, redis] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      redis.on('error', (error) => this.watch.down(client, error));
      redis.on('ready', () => this.watch.up(client));
    }
    this.redis = new RedisPubSub({
      publisher: this.publisher,
      subscriber: this.subscriber,
      reviver: reviveDates,
    });
  }

  /** Bypasses RedisPubSub's publish, which serializes the payload again for each channel. */
  async publish<T extends Topic>(topic: T, payload: TopicPayloads[T]): Promise<void> {
    const message = JSON.stringify(payload);
    await Promise.all(
      channelsFor(this.prefix, topic, payload.workerId).map((channel) =>
        this.publisher.publish(channel, message),
      ),
    );
  }

  subscribe(topic: string, workerId?: unknown): AsyncIterable<unknown> {
    return this.redis.asyncIterableIterator<unknown>(
      channelOf(this.prefix, topic, workerId),
    ) as AsyncIterable<unknown>;
  }

  async ping(): Promise<void> {
    // Both connections: a subscriber that lost Redis delivers nothing even if publishing works.
    await Promise.all([this.publisher.ping(), this.subscriber.ping()]);
  }

  async close(): Promise<void> {
    this.watch.close();
    await this.redis.close();
  }
}
