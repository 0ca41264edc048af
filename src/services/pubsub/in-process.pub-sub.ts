import { EventEmitter, on } from 'node:events';
import { PubSub, Topic, TopicPayloads, channelOf, channelsFor } from './pub-sub';

/** The pub/sub of a single process, used when no Redis is configured. */
export class InProcessPubSub implements PubSub {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly closing = new AbortController();

  ping(): Promise<void> {
    return Promise.resolve();
  }

  publish<T extends Topic>(topic: T, payload: TopicPayloads[T]): Promise<void> {
    for (const channel of channelsFor('', topic, payload.workerId)) {
      this.emitter.emit(channel, payload);
    }
    return Promise.resolve();
  }

  /**
   * A hand-made iterator rather than an async generator: a subscriber that leaves while waiting
   * must be released at once, and a generator only sees `return()` after its next event.
   */
  subscribe(topic: string, workerId?: unknown): AsyncIterableIterator<unknown> {
    const signal = this.closing.signal;
    const events = on(this.emitter, channelOf('', topic, workerId), { signal });
    const finished: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(): Promise<IteratorResult<unknown>> {
        try {
          const event = await events.next();
          return event.done ? finished : { done: false, value: (event.value as unknown[])[0] };
        } catch (error) {
          if (signal.aborted) {
            return finished;
          }
          throw error;
        }
      },
      async return(): Promise<IteratorResult<unknown>> {
        await events.return?.();
        return finished;
      },
    };
  }

  close(): Promise<void> {
    this.closing.abort();
    return Promise.resolve();
  }
}
