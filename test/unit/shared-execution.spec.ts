import { EventEmitter, on } from 'node:events';
import DataLoader from 'dataloader';
import {
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type DocumentNode,
  type ExecutionResult,
} from 'graphql';
import { Role, type Principal } from '../../src/auth/principal';
import { compiledExecution } from '../../src/http/compiled-execution';
import { shareExecution } from '../../src/http/shared-execution';

interface Tick {
  n: number;
  channel: string;
  item: string;
}

interface TestContext {
  principal: Principal | null;
  /** Caches like a request's loader: what it read first, it answers for the context's life. */
  prices: DataLoader<string, number>;
}

const viewer = (name = 'alice', expiresAt: Date | null = null): Principal => ({
  name,
  roles: [Role.VIEWER],
  source: 'api-key',
  expiresAt,
});
const operator: Principal = {
  name: 'olivia',
  roles: [Role.OPERATOR, Role.VIEWER],
  source: 'api-key',
  expiresAt: null,
};

/** Like the in-process pub/sub: a subscriber that leaves while waiting is released at once. */
function eventsOf(emitter: EventEmitter, channel: string): AsyncIterableIterator<unknown> {
  const events = on(emitter, channel);
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const event = await events.next();
      return event.done ? event : { done: false, value: (event.value as unknown[])[0] };
    },
    return: async () => {
      await events.return?.();
      return { done: true, value: undefined };
    },
  };
}

/** A subscription over an event emitter, with the pieces the service's schema has. */
function fixture() {
  const emitter = new EventEmitter().setMaxListeners(0);
  const prices = new Map([['apple', 1]]);
  let executions = 0;

  const authorize = ({ principal }: TestContext) => {
    if (!principal || (principal.expiresAt && principal.expiresAt <= new Date())) {
      throw new Error('expired');
    }
  };
  const TickType = new GraphQLObjectType<Tick, TestContext>({
    name: 'Tick',
    fields: {
      n: { type: GraphQLInt },
      channel: { type: GraphQLString },
      price: {
        type: GraphQLInt,
        resolve: (tick, _args, context) => context.prices.load(tick.item),
      },
      forOperators: {
        type: GraphQLString,
        resolve: (_tick, _args, { principal }) =>
          principal?.roles.includes(Role.OPERATOR) ? 'secret' : null,
      },
      caller: { type: GraphQLString, resolve: (_tick, _args, { principal }) => principal?.name },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { n: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType<unknown, TestContext>({
      name: 'Subscription',
      fields: {
        tick: {
          type: TickType,
          args: { channel: { type: GraphQLString } },
          subscribe: (_root, args: { channel?: string }, context) => {
            authorize(context);
            return eventsOf(emitter, args.channel ?? 'all');
          },
          resolve: (tick, _args, context) => {
            executions += 1;
            authorize(context);
            return tick;
          },
        },
      },
    }),
  });
  const shared = shareExecution(
    (principal): TestContext => ({
      principal,
      prices: new DataLoader((items) =>
        Promise.resolve(items.map((item) => prices.get(item) ?? 0)),
      ),
    }),
    compiledExecution(schema, { compileAfterRuns: 0, maxCompiledDocuments: 100 }),
  );

  return {
    shared,
    prices,
    executions: () => executions,
    listeners: (channel: string) => emitter.listenerCount(channel),
    /** Like the service's publishers: one new object, to the fleet and to its own channel. */
    publish(tick: Tick) {
      emitter.emit('all', tick);
      emitter.emit(tick.channel, tick);
    },
    async subscribe(
      document: DocumentNode,
      principal: Principal | null,
      variableValues?: Record<string, unknown>,
    ): Promise<AsyncIterableIterator<ExecutionResult>> {
      const stream = await shared.subscribe({
        schema,
        document,
        variableValues,
        contextValue: shared.contextFor(principal),
      });
      if (!(Symbol.asyncIterator in stream)) {
        throw new Error(`not subscribed: ${JSON.stringify(stream.errors)}`);
      }
      return stream;
    },
  };
}

const TICKS = parse(
  'subscription Ticks($channel: String) { tick(channel: $channel) { n channel price } }',
);

async function nextOf(streams: AsyncIterableIterator<ExecutionResult>[]) {
  return Promise.all(streams.map(async (stream) => (await stream.next()).value as ExecutionResult));
}

describe(shareExecution.name, () => {
  it('should execute an event once for all the subscribers of one operation, handing each the same result', async () => {
    const { subscribe, publish, executions } = fixture();
    const streams = await Promise.all([1, 2, 3, 4, 5].map(() => subscribe(TICKS, viewer())));

    const pending = nextOf(streams);
    publish({ n: 1, channel: 'a', item: 'apple' });
    const results = await pending;

    expect(results[0]).toEqual({ data: { tick: { n: 1, channel: 'a', price: 1 } } });
    results.forEach((result) => expect(result).toBe(results[0]));
    expect(executions()).toBe(1);
  });

  it("should execute apart for other variables, each subscriber hearing only its channel's events", async () => {
    const { subscribe, publish, executions } = fixture();
    const [fleet, onA, onB] = await Promise.all([
      subscribe(TICKS, viewer()),
      subscribe(TICKS, viewer(), { channel: 'a' }),
      subscribe(TICKS, viewer(), { channel: 'b' }),
    ]);

    const pending = nextOf([fleet, onA, onB]);
    publish({ n: 1, channel: 'a', item: 'apple' });
    publish({ n: 2, channel: 'b', item: 'apple' });
    const [fleetFirst, a, b] = await pending;
    const fleetSecond = (await fleet.next()).value as ExecutionResult;

    expect([fleetFirst, fleetSecond, a, b].map((result) => result.data?.tick)).toEqual([
      { n: 1, channel: 'a', price: 1 },
      { n: 2, channel: 'b', price: 1 },
      { n: 1, channel: 'a', price: 1 },
      { n: 2, channel: 'b', price: 1 },
    ]);
    expect(a).not.toBe(fleetFirst);
    expect(executions()).toBe(4);
    // The event on b never reached the subscriber of a: its next one is the next on a.
    const nextOnA = onA.next();
    publish({ n: 3, channel: 'a', item: 'apple' });
    expect(((await nextOnA).value as ExecutionResult).data?.tick).toMatchObject({ n: 3 });
  });

  it('should execute apart for other roles, each getting what its roles may see', async () => {
    const { subscribe, publish, executions } = fixture();
    const document = parse('subscription { tick { n forOperators } }');
    const streams = await Promise.all([
      subscribe(document, viewer('alice')),
      subscribe(document, viewer('bob')),
      subscribe(document, operator),
    ]);

    const pending = nextOf(streams);
    publish({ n: 1, channel: 'a', item: 'apple' });
    const [alice, bob, olivia] = await pending;

    expect(alice.data).toEqual({ tick: { n: 1, forOperators: null } });
    expect(bob).toBe(alice);
    expect(olivia.data).toEqual({ tick: { n: 1, forOperators: 'secret' } });
    expect(executions()).toBe(2);
  });

  it("should not show one caller's name to another sharing its results", async () => {
    const { subscribe, publish } = fixture();
    const document = parse('subscription { tick { caller } }');
    const streams = await Promise.all([
      subscribe(document, viewer('alice')),
      subscribe(document, viewer('bob')),
    ]);

    const pending = nextOf(streams);
    publish({ n: 1, channel: 'a', item: 'apple' });
    const results = await pending;

    expect(results.map((result) => result.data?.tick)).not.toContainEqual({ caller: 'alice' });
  });

  it('should answer a subscriber whose credentials expired with its own auth error', async () => {
    const { subscribe, publish, executions } = fixture();
    const soon = viewer('eve', new Date(Date.now() + 200));
    const [expiring, other] = await Promise.all([
      subscribe(TICKS, soon),
      subscribe(TICKS, viewer('alice')),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 250));

    const pending = nextOf([expiring, other]);
    publish({ n: 1, channel: 'a', item: 'apple' });
    const [refused, served] = await pending;

    expect(refused.errors?.map((error) => error.message)).toEqual(['expired']);
    expect(served.data?.tick).toEqual({ n: 1, channel: 'a', price: 1 });
    expect(executions()).toBe(2);
  });

  it("should read rows as they are at each event, whatever one subscriber's loaders cached", async () => {
    const { subscribe, publish, prices } = fixture();
    const streams = await Promise.all([subscribe(TICKS, viewer()), subscribe(TICKS, viewer())]);

    const first = nextOf(streams);
    publish({ n: 1, channel: 'a', item: 'apple' });
    await first;
    prices.set('apple', 2);
    const second = nextOf(streams);
    publish({ n: 2, channel: 'a', item: 'apple' });

    expect((await second).map((result) => result.data?.tick)).toEqual([
      { n: 2, channel: 'a', price: 2 },
      { n: 2, channel: 'a', price: 2 },
    ]);
  });

  it('should leave the source at once when a waiting subscriber leaves', async () => {
    const { subscribe, listeners } = fixture();
    const stream = await subscribe(TICKS, viewer(), { channel: 'a' });
    const waiting = stream.next();
    expect(listeners('a')).toBe(1);

    await stream.return?.();

    expect(listeners('a')).toBe(0);
    await expect(waiting).resolves.toMatchObject({ done: true });
  });
});
