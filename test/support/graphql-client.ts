import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<TData> {
  status: number;
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

/** Sends one typed operation over HTTP, as any GraphQL client would. */
export async function request<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables?: TVariables,
  /** The `Authorization` header, e.g. `Bearer <key>`. */
  authorization?: string,
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body };
}

/** Like `request`, for operations expected to succeed: fails the test with the errors otherwise. */
export async function requestData<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables?: TVariables,
  authorization?: string,
): Promise<TData> {
  const response = await request(url, document, variables, authorization);
  if (response.errors || !response.data) {
    throw new Error(`GraphQL request failed: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

export function wsClient(
  graphqlUrl: string,
  options: { authorization?: string; onClosed?: (code: number, reason: string) => void } = {},
): Client {
  return createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: options.authorization ? { authorization: options.authorization } : undefined,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        options.onClosed?.(code, String(reason));
      },
    },
  });
}

export interface Subscription<TData> {
  /** The next event, or a failure after `timeoutMs`. */
  next(timeoutMs?: number): Promise<TData>;
  close(): Promise<void>;
}

/**
 * Subscribes and resolves once the server is delivering: `probe` publishes a marker event until
 * one arrives, so an event caused afterwards cannot be lost to a subscription still starting.
 * Marker events (`isProbe`) are dropped.
 */
export async function subscribeReady<TData, TVariables>(
  client: Client,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  probe: () => Promise<void>,
  isProbe: (data: TData) => boolean,
): Promise<Subscription<TData>> {
  const iterator = client.iterate<TData>({
    query: print(document),
    variables: variables as Record<string, unknown>,
  });
  const nextData = async (): Promise<TData> => {
    const result = await iterator.next();
    if (result.done) {
      throw new Error('subscription ended');
    }
    if (result.value.errors) {
      throw new Error(`subscription error: ${JSON.stringify(result.value.errors)}`);
    }
    return result.value.data as TData;
  };

  const firstEvent = nextData();
  let delivered = false;
  void firstEvent.then(
    () => (delivered = true),
    () => (delivered = true),
  );
  for (let attempt = 0; !delivered; attempt += 1) {
    if (attempt > 200) {
      throw new Error('the subscription never started delivering');
    }
    await probe();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await firstEvent;

  return {
    async next(timeoutMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        for (;;) {
          const data = await Promise.race([nextData(), timeout]);
          if (!isProbe(data)) {
            return data;
          }
        }
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await iterator.return?.();
    },
  };
}
