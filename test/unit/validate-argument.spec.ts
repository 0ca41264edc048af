import * as classValidator from 'class-validator';
import { Max, Min } from 'class-validator';
import { graphql, type GraphQLSchema } from 'graphql';
import {
  Arg,
  Args,
  ArgsType,
  buildSchema,
  Field,
  InputType,
  Int,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import { FieldResolver, Root } from 'type-graphql';
import { validateArgument } from '../../src/schema/validate-argument';

@InputType()
class Span {
  @Field(() => Int)
  @Min(0)
  @Max(10)
  length!: number;
}

@ArgsType()
class PageArgs {
  @Field(() => Int)
  @Min(1)
  @Max(5)
  limit!: number;
}

@ObjectType()
class Item {
  @Field(() => Int)
  index!: number;
}

@Resolver(() => Item)
class ItemResolver {
  @Query(() => [Item])
  items(): Item[] {
    return [0, 1, 2].map((index) => Object.assign(new Item(), { index }));
  }

  @FieldResolver(() => Int, { nullable: true })
  limited(@Args() { limit }: PageArgs): number {
    return limit;
  }

  @FieldResolver(() => Int, { nullable: true })
  spans(@Arg('first') first: Span, @Arg('second') second: Span, @Root() item: Item): number {
    return first.length + second.length + item.index;
  }
}

describe(validateArgument.name, () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = await buildSchema({ resolvers: [ItemResolver], validateFn: validateArgument });
  });

  const run = (source: string, variableValues?: Record<string, unknown>) =>
    graphql({ schema, source, variableValues });

  it('should refuse an invalid argument on every parent, not only the first', async () => {
    const result = await run('{ items { index limited(limit: 9) } }');

    expect(result.errors).toHaveLength(3);
    expect(result.errors?.map((error) => error.path)).toEqual([
      ['items', 0, 'limited'],
      ['items', 1, 'limited'],
      ['items', 2, 'limited'],
    ]);
  });

  it('should validate a second argument of the type of one already found valid', async () => {
    const result = await run('{ items { spans(first: { length: 1 }, second: { length: 11 }) } }');

    expect(result.errors?.length).toBe(3);
    expect(result.errors?.[0]?.message).toBe('Argument Validation Error');
  });

  it('should validate the same field again with other variables', async () => {
    const query = 'query ($limit: Int!) { items { limited(limit: $limit) } }';

    const valid = await run(query, { limit: 2 });
    const invalid = await run(query, { limit: 7 });

    expect(valid.errors).toBeUndefined();
    expect(valid.data).toEqual({ items: [{ limited: 2 }, { limited: 2 }, { limited: 2 }] });
    expect(invalid.errors).toHaveLength(3);
  });

  it('should validate a value once for all the requests that send it, and each other value anew', async () => {
    const validations = jest.spyOn(classValidator, 'validateOrReject');
    const query =
      'query ($length: Int!) { items { spans(first: { length: $length }, second: { length: 0 }) } }';
    try {
      await run(query, { length: 4 });
      const afterFirst = validations.mock.calls.length;
      const again = await run(query, { length: 4 });
      const afterAgain = validations.mock.calls.length;
      const other = await run(query, { length: 12 });

      expect(afterFirst).toBe(2);
      expect(afterAgain).toBe(afterFirst);
      expect(again.data).toEqual({ items: [{ spans: 4 }, { spans: 5 }, { spans: 6 }] });
      expect(other.errors).toHaveLength(3);
      expect(validations.mock.calls.length).toBeGreaterThan(afterAgain);
    } finally {
      validations.mockRestore();
    }
  });
});
