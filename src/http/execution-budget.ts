import type { ApolloServerPlugin } from '@apollo/server';
import {
  OperationTypeNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import {
  budgetError,
  budgetState,
  jsonBytesLeft,
  startBudget,
  withinBudget,
  type OperationBudgetLimits,
} from '../schema/operation-budget';

/**
 * The two hard stops of a query behind the cost estimate, for what it cannot see: a statement
 * slower than its peers (a database under load) and values larger than their kind (long
 * strings, lists without a size argument). They hold as data is loaded (schema/operation-
 * budget.ts: the root fields here, the loaders in the context) and once more on the answer
 * itself. Mutations have neither: one that ran must say so.
 */
export interface ExecutionBudget {
  /** Starts the clock and the byte count of a query, whose context is `context`. */
  start(context: object): void;
  /**
   * What the client gets instead of `result`, when the query ran out of time or its answer
   * out of bytes; undefined when `result` may go as it is, or the operation had no budget.
   */
  overrun(context: object, result: Answer): GraphQLFormattedError | undefined;
  /** Both stops over HTTP. */
  readonly apolloPlugin: ApolloServerPlugin;
  /**
   * Apollo Server's `stringifyResult`: the same text as its own, but the data of a query whose
   * size the plugin measured is not serialized a second time.
   */
  readonly stringifyResult: (result: FormattedExecutionResult) => string;
}

/** An execution's result, its errors formatted or not. */
type Answer = Pick<ExecutionResult, 'data' | 'extensions'> & {
  errors?: readonly { message: string }[];
};

const bounded = new WeakSet<GraphQLSchema>();

export function createExecutionBudget(
  schema: GraphQLSchema,
  limits: OperationBudgetLimits,
): ExecutionBudget {
  boundRootFields(schema);
  const budget: ExecutionBudget = {
    start(context) {
      startBudget(context, limits);
    },
    overrun(context, result) {
      return overrunMeasured(
        context,
        () =>
          jsonBytesLeft(
            [result.data, result.extensions],
            limits.maxResponseBytes - errorBytesOf(result),
          ) < 0,
      );
    },
    apolloPlugin: {
      requestDidStart: () =>
        Promise.resolve({
          executionDidStart: ({ operation, contextValue }) => {
            // Typed as always there, yet missing when no operation has the name asked for.
            if (operation?.operation === OperationTypeNode.QUERY) {
              budget.start(contextValue);
            }
            return Promise.resolve();
          },
          willSendResponse: ({ contextValue, response }) => {
            if (response.body.kind === 'single') {
              const overrun = overrunOnceSerialized(contextValue, response.body.singleResult);
              if (overrun) {
                response.body.singleResult = { data: null, errors: [overrun] };
              }
            }
            return Promise.resolve();
          },
        }),
    },
    stringifyResult: (result) => {
      const { data } = result;
      const dataText = data ? serializedData.get(data) : undefined;
      if (dataText === undefined) {
        return `${JSON.stringify(result)}\n`;
      }
      // JSON.stringify's own text: keys in order, undefined ones left out.
      const members = [
        result.errors === undefined ? undefined : `"errors":${JSON.stringify(result.errors)}`,
        `"data":${dataText}`,
        result.extensions === undefined
          ? undefined
          : `"extensions":${JSON.stringify(result.extensions)}`,
      ];
      return `{${members.filter((member) => member !== undefined).join(',')}}\n`;
    },
  };

  /**
   * As `overrun`, but the answer is measured by serializing its data, which walking it cost
   * as much as; the text is kept for stringifyResult, so the answer is serialized once.
   */
  const serializedData = new WeakMap<object, string>();
  const overrunOnceSerialized = (context: object, result: Answer) =>
    overrunMeasured(context, () => {
      const dataText = result.data ? JSON.stringify(result.data) : 'null';
      const extensionsText = result.extensions ? JSON.stringify(result.extensions) : '';
      const bytes =
        Buffer.byteLength(dataText) + Buffer.byteLength(extensionsText) + errorBytesOf(result);
      if (bytes > limits.maxResponseBytes) {
        return true;
      }
      if (result.data) {
        serializedData.set(result.data, dataText);
      }
      return false;
    });

  /**
   * The error of a query that ran out of time or bytes as it loaded, else of one whose answer
   * `tooLarge` finds over the cap; undefined for an operation without a budget.
   */
  const overrunMeasured = (context: object, tooLarge: () => boolean) => {
    const state = budgetState(context);
    if (state === undefined) {
      return undefined;
    }
    if (state !== 'within') {
      return budgetError(state, limits).toJSON();
    }
    return tooLarge() ? budgetError('too-large', limits).toJSON() : undefined;
  };
  return budget;
}

/** An error's own properties lead to the document's syntax tree: its message is what counts. */
const errorBytesOf = (result: Answer) =>
  (result.errors ?? []).reduce((sum, error) => sum + error.message.length + 100, 0);

/** The root query fields load within the budget, as the loaders beneath them do. */
function boundRootFields(schema: GraphQLSchema): void {
  const query = schema.getQueryType();
  if (!query || bounded.has(schema)) {
    return;
  }
  bounded.add(schema);
  for (const field of Object.values(query.getFields())) {
    const resolve = field.resolve;
    if (!resolve) {
      continue;
    }
    field.resolve = (source, args, context: object | undefined, info) =>
      withinBudget(context, async () => await resolve(source, args, context, info));
  }
}
