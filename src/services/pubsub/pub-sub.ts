import type { PubSub as TypeGraphQLPubSub } from 'type-graphql';
import type { Alert } from '../../entities/alert.entity';
import type { MetricSampleEvent } from '../../entities/metric-sample.entity';
import type { WorkerPollFailure } from '../../entities/worker-poll-failure.type';
import type { WorkerStatusChange } from '../../entities/worker-status-change.type';

/** Every topic and the payload it carries. Each payload names its worker. */
export interface TopicPayloads {
  WORKER_STATUS_CHANGED: WorkerStatusChange;
  WORKER_METRICS: MetricSampleEvent;
  THRESHOLD_ALERT: Alert;
  WORKER_POLL_FAILED: WorkerPollFailure;
}

export type Topic = keyof TopicPayloads;

/**
 * Publishes events to subscribers, in this process or across processes. Each event goes to its
 * topic's fleet-wide channel and to the channel of its worker, so a client watching one worker
 * only ever receives that worker's traffic.
 */
export interface PubSub extends TypeGraphQLPubSub {
  // type-graphql only subscribes through this object; publishing is ours, and awaited.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  publish<T extends Topic>(topic: T, payload: TopicPayloads[T]): Promise<void>;
  subscribe(topic: string, workerId?: unknown): AsyncIterable<unknown>;
  /** Resolves when the pub/sub can carry events now; rejects when its server is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function channelsFor(prefix: string, topic: Topic, workerId: string): [string, string] {
  return [channelOf(prefix, topic), channelOf(prefix, topic, workerId)];
}

/** `workerId` is what type-graphql passes from the subscription's `topicId`: a string or nothing. */
export function channelOf(prefix: string, topic: string, workerId?: unknown): string {
  return typeof workerId === 'string' ? `${prefix}${topic}.${workerId}` : `${prefix}${topic}`;
}
