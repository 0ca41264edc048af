import { performance } from 'node:perf_hooks';
import {
  context,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { GraphQLFormattedError, OperationDefinitionNode } from 'graphql';
import type { Logger } from '../logger';
import { elapsedMs, firstCode, logOperation, type OperationLine } from './operation-log';

const TRACER_NAME = 'cml-worker-monitor';
/** The semantic conventions' name for a GraphQL operation whose document is not read yet. */
const UNNAMED_OPERATION = 'GraphQL Operation';

interface WsOperation {
  span: Span;
  context: Context;
  startedAt: number;
  caller: string | undefined;
  name: string | null;
  type: OperationLine['type'];
  /** Set once graphql-ws runs it: before that, a refusal is the operation's end. */
  running: boolean;
  code: string | undefined;
  failed: boolean;
}

/**
 * graphql-ws runs an operation through several hooks (onSubscribe, execute or subscribe, each
 * event, onComplete) from a socket's message handler, outside any span: the graphql
 * instrumentation's parse, validate and execute spans would each start a trace. Here each
 * operation is one root `SERVER` span, active around every hook that does its work, and one
 * `graphql operation` line once it ends (for a subscription, when it stops streaming).
 */
export class WsOperations {
  private readonly byConnection = new WeakMap<object, Map<string, WsOperation>>();
  private readonly byContextValue = new WeakMap<object, WsOperation>();
  private readonly tracer = trace.getTracer(TRACER_NAME);

  constructor(private readonly logger: Logger) {}

  /** Starts operation `id` and runs `check` (its parse, validation and limits) under its span. */
  begin<T>(connection: object, id: string, caller: string | undefined, check: () => T): T {
    const span = this.tracer.startSpan(UNNAMED_OPERATION, { kind: SpanKind.SERVER, root: true });
    const operation: WsOperation = {
      span,
      context: trace.setSpan(ROOT_CONTEXT, span),
      startedAt: performance.now(),
      caller,
      name: null,
      type: 'unknown',
      running: false,
      code: undefined,
      failed: false,
    };
    let operations = this.byConnection.get(connection);
    if (!operations) {
      operations = new Map();
      this.byConnection.set(connection, operations);
    }
    operations.set(id, operation);
    return context.with(operation.context, check);
  }

  /** Names the span `<type> <name>`, as the semantic conventions name GraphQL server spans. */
  identify(connection: object, id: string, definition: OperationDefinitionNode): void {
    const operation = this.find(connection, id);
    if (!operation) {
      return;
    }
    operation.type = definition.operation;
    operation.name = definition.name?.value ?? null;
    operation.span.updateName(
      operation.name ? `${operation.type} ${operation.name}` : operation.type,
    );
    operation.span.setAttributes({
      'graphql.operation.type': operation.type,
      ...(operation.name ? { 'graphql.operation.name': operation.name } : {}),
    });
  }

  /** graphql-ws's `context` hook made `contextValue` for operation `id`. */
  bind(connection: object, id: string, contextValue: object): void {
    const operation = this.find(connection, id);
    if (operation) {
      this.byContextValue.set(contextValue, operation);
    }
  }

  /**
   * Runs `run` (an execute or a subscribe) under its operation's span; a subscription's events
   * are executed under it too, as graphql-ws pulls them.
   */
  async within<T>(contextValue: unknown, run: () => T | Promise<T>): Promise<T> {
    const operation =
      typeof contextValue === 'object' && contextValue !== null
        ? this.byContextValue.get(contextValue)
        : undefined;
    if (!operation) {
      return run();
    }
    operation.running = true;
    const result = await context.with(operation.context, run);
    return isAsyncIterator(result) ? (eventsWithin(operation.context, result) as T) : result;
  }

  /** The errors graphql-ws sends for operation `id`; a refused operation ends with them. */
  failed(connection: object, id: string, errors: readonly GraphQLFormattedError[]): void {
    const operation = this.find(connection, id);
    if (!operation) {
      return;
    }
    this.markFailed(operation, errors);
    if (!operation.running) {
      this.end(connection, id);
    }
  }

  /** A result graphql-ws sends for operation `id`, errors included. */
  result(connection: object, id: string, errors: readonly GraphQLFormattedError[] | undefined) {
    const operation = this.find(connection, id);
    if (operation && errors && errors.length > 0) {
      this.markFailed(operation, errors);
    }
  }

  /** Operation `id` is done: its span ends and its line is written. */
  end(connection: object, id: string): void {
    const operations = this.byConnection.get(connection);
    const operation = operations?.get(id);
    if (!operation) {
      return;
    }
    operations?.delete(id);
    context.with(operation.context, () =>
      logOperation(this.logger, {
        operation: operation.name,
        type: operation.type,
        transport: 'ws',
        durationMs: elapsedMs(operation.startedAt),
        outcome: operation.failed ? 'error' : 'ok',
        ...(operation.code === undefined ? {} : { code: operation.code }),
        caller: operation.caller,
      }),
    );
    operation.span.end();
  }

  /** The connection closed: whatever it still ran ends now. */
  endAll(connection: object): void {
    for (const id of [...(this.byConnection.get(connection)?.keys() ?? [])]) {
      this.end(connection, id);
    }
  }

  private find(connection: object, id: string): WsOperation | undefined {
    return this.byConnection.get(connection)?.get(id);
  }

  private markFailed(operation: WsOperation, errors: readonly GraphQLFormattedError[]): void {
    if (operation.failed) {
      return;
    }
    operation.failed = true;
    operation.code = firstCode(errors);
    operation.span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]?.message });
  }
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** graphql-ws pulls events from its own context: each pull runs in the operation's instead. */
function eventsWithin<T>(active: Context, events: AsyncIterator<T>): AsyncIterableIterator<T> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => context.with(active, () => events.next()),
    return: () =>
      context.with(
        active,
        (): Promise<IteratorResult<T>> =>
          events.return?.() ?? Promise.resolve({ done: true, value: undefined }),
      ),
  };
}
