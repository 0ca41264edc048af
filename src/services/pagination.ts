import { badInput } from '../errors/domain-error';

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

interface Cursor {
  createdAt: Date;
  id: string;
}

/** Opaque to clients; it pins the position in the newest-first order (createdAt, id). */
export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [createdAt, id] = decoded as unknown[];
      const date = new Date(String(createdAt));
      if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(date.getTime())) {
        return { createdAt: date, id };
      }
    }
  } catch {
    // Falls through to the error below: any undecodable cursor is the same mistake.
  }
  throw badInput('after', 'after is not a cursor returned by this API');
}
