import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { isoTimestamp } from '../lib/timestamps';

/**
 * graphql-scalars' DateTime, serialized to its text at once: that scalar hands the Date on, and
 * JSON.stringify then writes it through Date's toJSON, twice as slow again as toISOString.
 * Input and validation are graphql-scalars' own.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize(value) {
    const date = DateTimeResolver.serialize(value);
    return isoTimestamp(date);
  },
});
