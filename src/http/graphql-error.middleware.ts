import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger';

/** body-parser's errors carry the status to answer and a type naming what went wrong. */
interface BodyParserError {
  status?: number;
  type?: string;
}

/**
 * Whatever fails around Apollo Server on the GraphQL path (a body too large or not JSON) is
 * still answered as a GraphQL response, never as Express's HTML error page.
 */
export function graphqlErrorMiddleware(logger: Logger, maxBodyBytes: number): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, type } = (error ?? {}) as BodyParserError;
    if (status !== undefined && status >= 400 && status < 500) {
      res.status(status).json({
        errors: [{ message: describe(type, maxBodyBytes), extensions: { code: 'BAD_REQUEST' } }],
      });
      return;
    }
    logger.error({ err: error }, 'unexpected error while serving a GraphQL request');
    res.status(500).json({
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
  };
}

/** body-parser's error types, as clients should read them. */
const BODY_PROBLEMS: Record<string, string> = {
  'entity.parse.failed': 'Request body is not valid JSON',
  'charset.unsupported': 'Request body encoding not supported',
  'encoding.unsupported': 'Request body encoding not supported',
};

function describe(type: string | undefined, maxBodyBytes: number): string {
  if (type === 'entity.too.large') {
    return `Request body larger than ${maxBodyBytes} bytes`;
  }
  return BODY_PROBLEMS[type ?? ''] ?? 'Bad request';
}
