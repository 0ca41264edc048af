import { signal } from '@preact/signals';
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../generated/graphql';
import { ApiError, GRAPHQL_PATH } from './graphql';
import { authorization } from './session';

/** `live` while the socket is open; `reconnecting` from the moment it drops until it is back. */
export type LinkState = 'connecting' | 'live' | 'reconnecting';

export const linkState = signal<LinkState>('connecting');

/** A dropped socket is retried for as long as the page is open, waiting at most this long. */
const MAX_RETRY_WAIT_MS = 10_000;
/** Pings find a connection a proxy or a sleeping laptop killed without closing it. */
const KEEP_ALIVE_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;

export interface LiveOptions {
  /** Called each time the socket is open again after a drop: events may have been missed. */
  onReconnected: () => void;
}

/** One WebSocket for every subscription of the page, reopened whenever it drops. */
export function openLiveConnection(options: LiveOptions): Client {
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let everConnected = false;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const client: Client = createClient({
    url: url.href,
    lazy: false,
    keepAlive: KEEP_ALIVE_MS,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const wait = Math.min(MAX_RETRY_WAIT_MS, 500 * 2 ** retries) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, wait));
    },
    connectionParams: () => {
      const value = authorization();
      return value === undefined ? {} : { authorization: value };
    },
    on: {
      connecting: () => {
        linkState.value = everConnected ? 'reconnecting' : 'connecting';
      },
      connected: () => {
        linkState.value = 'live';
        if (everConnected) {
          options.onReconnected();
        }
        everConnected = true;
      },
      closed: () => {
        if (everConnected) {
          linkState.value = 'reconnecting';
        }
      },
      ping: (received) => {
        if (!received) {
          pongTimer = setTimeout(() => client.terminate(), PONG_TIMEOUT_MS);
        }
      },
      pong: (received) => {
        if (received) {
          clearTimeout(pongTimer);
        }
      },
    },
  });
  return client;
}

/** Subscribes on the shared socket; returns the unsubscribe function. */
export function subscribe<TResult>(
  client: Client,
  document: TypedDocumentString<TResult, Record<string, never>>,
  onData: (data: TResult) => void,
  onError: (error: ApiError) => void,
): () => void {
  return client.subscribe<TResult>(
    { query: document.toString() },
    {
      next: (result) => {
        if (result.errors?.length) {
          onError(ApiError.fromErrors(result.errors));
        } else if (result.data) {
          onData(result.data);
        }
      },
      error: (error) => onError(toApiError(error)),
      complete: () => undefined,
    },
  );
}

function toApiError(error: unknown): ApiError {
  if (Array.isArray(error)) {
    return ApiError.fromErrors(error as { message: string }[]);
  }
  if (error instanceof Error) {
    return new ApiError(error.message, 'SUBSCRIPTION_ERROR');
  }
  return new ApiError('The live connection failed', 'SUBSCRIPTION_ERROR');
}
