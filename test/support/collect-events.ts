import type { PubSub } from '../../src/services/pubsub/pub-sub';

/** Records what a subscription receives until `stop()` is called. */
export function collectEvents<T>(pubSub: PubSub, topic: string, workerId?: string) {
  const received: T[] = [];
  const iterator = pubSub.subscribe(topic, workerId)[Symbol.asyncIterator]();
  const pump = (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        return;
      }
      received.push(next.value as T);
    }
  })();
  return {
    received,
    async stop(): Promise<void> {
      await iterator.return?.();
      await pump;
    },
  };
}
