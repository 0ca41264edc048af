import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { Logger } from '../logger';

/** Codes graphql-js and Apollo give to errors the client made; shown as they are. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UPSTREAM_UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'EXECUTION_TIMEOUT',
  'RESPONSE_TOO_LARGE',
]);

export type ErrorFormatter = (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError;

/** The one place where errors become what clients see. */
export function createErrorFormatter(logger: Logger): ErrorFormatter {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    const { locations, path } = formatted;
    if (original instanceof DomainError) {
      logDomainError(logger, original, path);
      return {
        message: original.message,
        locations,
        path,
        extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
      };
    }
    if (original instanceof ArgumentValidationError) {
      const problems = flattenValidationErrors(original.extensions.validationErrors);
      return {
        message: problems.map((p) => p.message).join('; ') || 'invalid input',
        locations,
        path,
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: problems[0]?.field, problems },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      return formatted;
    }
    if (isUncodedClientError(original)) {
      return { message: formatted.message, locations, path, extensions: { code: 'BAD_REQUEST' } };
    }
    logger.error({ err: original, path }, 'unexpected error while serving a GraphQL request');
    return {
      message: 'Internal server error',
      locations,
      path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/**
 * Apollo refuses some requests with a 4xx and no code (an automatic persisted query whose hash
 * does not match its text): the client's mistake, not ours to mask and log as one.
 */
function isUncodedClientError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) {
    return false;
  }
  const status = (error.extensions.http as { status?: number } | undefined)?.status;
  return status !== undefined && status >= 400 && status < 500;
}

function logDomainError(
  logger: Logger,
  error: DomainError,
  path: GraphQLFormattedError['path'],
): void {
  switch (error.code) {
    case ErrorCode.BAD_USER_INPUT:
    case ErrorCode.NOT_FOUND:
    case ErrorCode.CONFLICT:
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.FORBIDDEN:
      logger.debug({ code: error.code, path }, error.message);
      return;
    case ErrorCode.UPSTREAM_UNAVAILABLE:
      logger.warn({ code: error.code, path, err: error.cause }, error.message);
      return;
  }
}

interface FieldProblem {
  field: string;
  message: string;
}

/** class-validator nests errors of nested inputs; clients want the dotted field path. */
function flattenValidationErrors(errors: ValidationError[], parent?: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(new RegExp(`^${error.property}\\b`), field),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
