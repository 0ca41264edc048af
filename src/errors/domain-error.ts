/** The error codes clients see in `extensions.code` (see the GraphQL contract). */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
}

/** An expected failure, safe to show to the client as it is. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, when one is. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, field);

export const notFound = (message: string, field?: string) =>
  new DomainError(ErrorCode.NOT_FOUND, message, field);

export const conflict = (message: string, field?: string) =>
  new DomainError(ErrorCode.CONFLICT, message, field);
