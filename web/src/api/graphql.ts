import type { TypedDocumentString } from '../generated/graphql';
import { authorization } from './session';

export const GRAPHQL_PATH = '/graphql';

interface ResponseError {
  message: string;
  extensions?: { code?: unknown; field?: unknown };
}

/**
 * A request the API refused or could not answer; `code` is the error's `extensions.code`, and
 * `field` the input field at fault when the API names one (`amiId`, `thresholds.cpu`).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
  }

  static fromErrors(errors: readonly ResponseError[]): ApiError {
    const [first] = errors;
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN';
    const field = typeof first?.extensions?.field === 'string' ? first.extensions.field : undefined;
    return new ApiError(errors.map((error) => error.message).join('; '), code, field);
  }
}

/** One operation over HTTP; resolves with its data or rejects with an ApiError. */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const auth = authorization();
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(auth === undefined ? {} : { authorization: auth }),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError('The service cannot be reached', 'NETWORK_ERROR');
  }
  const body = (await response.json().catch(() => null)) as {
    data?: TResult | null;
    errors?: ResponseError[];
  } | null;
  if (body === null) {
    throw new ApiError(`The service answered ${response.status} without GraphQL`, 'BAD_RESPONSE');
  }
  if (body.errors?.length) {
    throw ApiError.fromErrors(body.errors);
  }
  if (body.data === undefined || body.data === null) {
    throw new ApiError(`The service answered ${response.status} without data`, 'BAD_RESPONSE');
  }
  return body.data;
}

/** What to tell the operator about a failure, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface Connection {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** Every page of a connection, each fetched after the one before it. */
export async function* pages<TConnection extends Connection>(
  fetchPage: (after: string | undefined) => Promise<TConnection>,
): AsyncGenerator<TConnection> {
  let after: string | undefined;
  do {
    const page = await fetchPage(after);
    yield page;
    after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
  } while (after);
}
