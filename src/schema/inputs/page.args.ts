import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';

export const PAGE_SIZE_MAX = 500;

/** Cursor pagination of a connection, newest first. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50 })
  @Min(1, { message: `first must be between 1 and ${PAGE_SIZE_MAX}` })
  @Max(PAGE_SIZE_MAX, { message: `first must be between 1 and ${PAGE_SIZE_MAX}` })
  first: number;

  @Field(() => String, { nullable: true })
  after?: string;
}
