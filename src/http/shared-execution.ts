import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { isExpired, type Principal } from '../auth/principal';
import { getOrAdd } from '../lib/maps';
import type { Execute } from './compiled-execution';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** Subscribers with the same document and key get the same results. */
interface Share {
  principal: Principal | null;
  key: string;
}

/** graphql-ws's `context` and `subscribe`, for subscriptions that share the execution of events. */
export interface SharedExecution {
  /** The context of one operation of this caller. */
  contextFor(principal: Principal | null): object;
  /** graphql-js's `subscribe`, executing each event once for all the subscribers alike. */
  readonly subscribe: (
    args: ExecutionArgs,
  ) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
}

/**
 * graphql-js executes a subscription's whole operation again for every subscriber on every event:
 * with thousands of dashboards watching the fleet, that is most of the service's CPU. Each
 * subscriber keeps its own event stream (its auth check, its worker's channel), but an event is
 * executed once per document, variables, operation name and caller roles, and every subscriber
 * alike is handed the same ExecutionResult object.
 *
 * Sound only while a result depends on the caller's roles, never on who the caller is: true of
 * every field a subscription reaches today (`viewer`, which names the caller, is a query). So
 * the shared execution sees nothing else of the caller (a principal holding its roles and no
 * name), and gets loaders of its own rather than one subscriber's, which may hold rows cached by
 * that subscriber's earlier events. A field that reads who is asking must not be shared this way.
 */
export function shareExecution(
  createContext: (principal: Principal | null) => object,
  execute: Execute,
): SharedExecution {
  const principals = new WeakMap<object, Principal | null>();
  // An event is the object a publication delivers to every listener of a channel, so it tells one
  // publication from the next: each is a new object (Redis parses every message afresh, and our
  // publishers build one per publish). Results go with their event when the last subscriber is
  // done with it.
  const results = new WeakMap<object, Map<DocumentNode, Map<string, Result>>>();

  const sharedResult = (event: object, args: ExecutionArgs, share: Share): Result => {
    const byDocument = getOrAdd(results, event, () => new Map<DocumentNode, Map<string, Result>>());
    const byKey = getOrAdd(byDocument, args.document, () => new Map<string, Result>());
    return getOrAdd(byKey, share.key, () =>
      execute({ ...args, rootValue: event, contextValue: createContext(rolesOf(share.principal)) }),
    );
  };

  return {
    contextFor(principal) {
      const context = createContext(principal);
      principals.set(context, principal);
      return context;
    },
    subscribe: async (args) => {
      const source = await createSourceEventStream(args);
      if (!isAsyncIterable(source)) {
        return source;
      }
      const principal = principals.get(args.contextValue as object);
      const share =
        principal === undefined ? undefined : { principal, key: shareKey(args, principal) };
      return mapEvents(source, (event) =>
        // An expired caller gets its own execution, which answers it as before: with the auth error.
        share && !(share.principal && isExpired(share.principal)) && isObject(event)
          ? sharedResult(event, args, share)
          : execute({ ...args, rootValue: event }),
      );
    },
  };
}

function shareKey(args: ExecutionArgs, principal: Principal | null): string {
  return JSON.stringify([
    args.operationName ?? null,
    args.variableValues ?? null,
    principal?.source ?? null,
    principal ? [...principal.roles].sort() : null,
  ]);
}

/** What a shared execution knows of its callers: what their share key holds. */
function rolesOf(principal: Principal | null): Principal | null {
  // Each subscriber's expiry is checked before it is handed a shared result.
  return (
    principal && { name: '', roles: principal.roles, source: principal.source, expiresAt: null }
  );
}

/** Like graphql-js's own mapping: `return()` reaches the source at once, not after its next event. */
function mapEvents<T>(
  source: AsyncIterable<unknown>,
  map: (event: unknown) => T | Promise<T>,
): AsyncIterableIterator<T> {
  const events = source[Symbol.asyncIterator]();
  const close = async (): Promise<IteratorResult<T>> => {
    await events.return?.();
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const event = await events.next();
      if (event.done) {
        return { done: true, value: undefined };
      }
      try {
        return { done: false, value: await map(event.value) };
      } catch (error) {
        await close().catch(() => undefined);
        throw error;
      }
    },
    return: close,
  };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return isObject(value) && Symbol.asyncIterator in value;
}
