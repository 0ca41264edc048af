import { GraphQLError } from 'graphql';

/** The code of a document refused for its size or shape, before anything runs. */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

/** What a refused document is told, whichever limit it broke. */
export class QueryLimitError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: QUERY_TOO_COMPLEX } });
    this.name = 'QueryLimitError';
  }
}
