import { GraphQLError } from 'graphql';

export const EXECUTION_TIMEOUT = 'EXECUTION_TIMEOUT';
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

export interface OperationBudgetLimits {
  maxExecutionMs: number;
  maxResponseBytes: number;
}

/** How an operation with a budget ended: within it, or past one of its two stops. */
export type BudgetState = 'within' | 'timed-out' | 'too-large';

const BUDGET = Symbol('operation budget');

interface Budget {
  limits: OperationBudgetLimits;
  deadline: number;
  bytesLeft: number;
  state: BudgetState;
}

/**
 * Apollo Server runs an operation on a shallow copy of the context it was given, while the
 * loaders hold the original: both reach the budget through the one slot they share.
 */
interface Budgeted {
  [BUDGET]?: { budget?: Budget };
}

/** Gives a context the slot its operation's budget will be kept in. */
export function withBudgetSlot<T extends object>(context: T): T {
  return Object.assign(context, { [BUDGET]: {} });
}

/** Starts the clock and the byte count of the operation whose context is `context`. */
export function startBudget(context: object, limits: OperationBudgetLimits): void {
  const slot = ((context as Budgeted)[BUDGET] ??= {});
  slot.budget = {
    limits,
    deadline: performance.now() + limits.maxExecutionMs,
    bytesLeft: limits.maxResponseBytes,
    state: 'within',
  };
}

function budgetOf(context: object | undefined): Budget | undefined {
  return (context as Budgeted | undefined)?.[BUDGET]?.budget;
}

/** Undefined: the operation has no budget (a mutation, a subscription's event). */
export function budgetState(context: object | undefined): BudgetState | undefined {
  return budgetOf(context)?.state;
}

export function budgetError(state: Exclude<BudgetState, 'within'>, limits: OperationBudgetLimits) {
  return state === 'timed-out'
    ? new GraphQLError(
        `The operation ran longer than ${limits.maxExecutionMs} ms and was stopped: ask for less`,
        { extensions: { code: EXECUTION_TIMEOUT } },
      )
    : new GraphQLError(
        `The answer is larger than ${limits.maxResponseBytes} bytes: ask for fewer items ` +
          '(first, limit) or fewer fields',
        { extensions: { code: RESPONSE_TOO_LARGE } },
      );
}

/**
 * Loads what an operation answers (a root field's page, a loader's batch) within its budget.
 * graphql-js cannot abort an execution, so the budget holds where the data comes in: past the
 * deadline, or once the rows loaded would make the answer larger than its cap (all their
 * columns counted, whether asked for or not), every load still to come fails at once, nothing
 * loaded is completed into the answer, and the whole answer becomes one error. The wait for a
 * statement that hangs ends at the deadline. Failures are rejected promises, never throws:
 * graphql-js leaves the promises of a list's earlier items unobserved when a later item throws.
 */
export function withinBudget<T>(context: object | undefined, load: () => Promise<T>): Promise<T> {
  const budget = budgetOf(context);
  if (!budget) {
    return load();
  }
  const remainingMs = budget.deadline - performance.now();
  if (budget.state === 'within' && remainingMs <= 0) {
    budget.state = 'timed-out';
  }
  if (budget.state !== 'within') {
    return Promise.reject(budgetError(budget.state, budget.limits));
  }
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      if (budget.state === 'within') {
        budget.state = 'timed-out';
      }
      reject(budgetError(budget.state, budget.limits));
    }, remainingMs);
  });
  const charged = load().then((loaded) => {
    budget.bytesLeft = jsonBytesLeft(loaded, budget.bytesLeft);
    if (budget.bytesLeft < 0 && budget.state === 'within') {
      budget.state = 'too-large';
    }
    if (budget.state !== 'within') {
      throw budgetError(budget.state, budget.limits);
    }
    return loaded;
  });
  return Promise.race([charged, expiry]).finally(() => clearTimeout(timer));
}

/**
 * `budget` less the bytes of `value` as JSON, counted without serializing it and stopping as
 * soon as it is spent (negative then): a value far over costs no more to measure than one just
 * over. Counts UTF-16 code units, a lower bound of the UTF-8 bytes for anything but ASCII;
 * strings are assumed to need no escaping.
 */
export function jsonBytesLeft(value: unknown, budget: number): number {
  if (budget < 0) {
    return budget;
  }
  if (typeof value === 'string') {
    return budget - value.length - 2;
  }
  if (typeof value !== 'object') {
    return budget - (value === undefined ? 4 : 8);
  }
  if (value === null) {
    return budget - 4;
  }
  if (value instanceof Date) {
    return budget - 26;
  }
  // Indexed loops and Object.keys: a walk that allocates per value (entries, a work list) cost
  // four times as long on a page of 50 workers, a tenth of the query's CPU.
  let left = budget;
  if (Array.isArray(value)) {
    left -= value.length + 1;
    for (let index = 0; index < value.length && left >= 0; index += 1) {
      left = jsonBytesLeft(value[index], left);
    }
    return left;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let index = 0; index < keys.length && left >= 0; index += 1) {
    const key = keys[index];
    left = jsonBytesLeft(record[key], left - key.length - 4);
  }
  return left;
}
