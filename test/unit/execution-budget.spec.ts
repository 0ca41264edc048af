import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import {
  buildSchema,
  OperationTypeNode,
  type FormattedExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import { createExecutionBudget } from '../../src/http/execution-budget';

const schema = buildSchema('type Query { n: Int }');
const QUERY = { operation: OperationTypeNode.QUERY } as OperationDefinitionNode;

/** Runs a query's answer through the plugin as Apollo Server does: what the client is sent. */
async function sent(
  result: FormattedExecutionResult,
  maxResponseBytes = 1_000,
): Promise<{ text: string; sentResult: FormattedExecutionResult }> {
  const budget = createExecutionBudget(schema, { maxExecutionMs: 10_000, maxResponseBytes });
  const plugin = budget.apolloPlugin as Required<ApolloServerPlugin<object>>;
  const contextValue = {};
  type Listener = Required<GraphQLRequestListener<object>>;
  const listener = (await plugin.requestDidStart({} as never)) as Listener;
  await listener.executionDidStart({ operation: QUERY, contextValue } as never);
  const response = { body: { kind: 'single' as const, singleResult: result } };
  await listener.willSendResponse({ contextValue, response } as never);
  const sentResult = response.body.singleResult;
  return { text: budget.stringifyResult(sentResult), sentResult };
}

describe(createExecutionBudget.name, () => {
  it.each<[string, FormattedExecutionResult]>([
    ['data', { data: { n: 1, text: 'é "quoted"' } }],
    ['errors and data', { errors: [{ message: 'no', path: ['n'] }], data: { n: null } }],
    ['data and extensions', { data: { n: 2 }, extensions: { cost: 3 } }],
    [
      'errors, data and extensions',
      { errors: [{ message: 'no' }], data: { n: null }, extensions: { cost: 3 } },
    ],
    ['null data', { errors: [{ message: 'no' }], data: null }],
  ])(
    "should send %s as JSON.stringify writes them, in Apollo Server's order, serialized once",
    async (_case, result) => {
      const stringify = jest.spyOn(JSON, 'stringify');
      let text: string;
      let ofData: number;
      try {
        ({ text } = await sent(result));
        ofData = stringify.mock.calls.filter(([value]) => value === result.data).length;
      } finally {
        stringify.mockRestore();
      }

      expect(text).toBe(`${JSON.stringify(result)}\n`);
      expect(ofData).toBe(result.data ? 1 : 0);
    },
  );

  it('should send RESPONSE_TOO_LARGE instead of data over the cap, measured in UTF-8 bytes', async () => {
    const fits = await sent({ data: { text: 'x'.repeat(50) } }, 100);
    const over = await sent({ data: { text: 'é'.repeat(50) } }, 100);

    expect(fits.text).toBe(`${JSON.stringify({ data: { text: 'x'.repeat(50) } })}\n`);
    expect(over.sentResult).toEqual({
      data: null,
      errors: [expect.objectContaining({ extensions: { code: 'RESPONSE_TOO_LARGE' } })],
    });
    expect(JSON.parse(over.text)).toEqual(over.sentResult);
  });
});
