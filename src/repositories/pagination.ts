import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { quoteIdentifier } from '../database/sql';
import { badInput } from '../errors/domain-error';

/**
 * Pagination goes forward only (first/after). A page asked after a cursor has something before
 * it, the cursor's own row or the place it held; knowing whether that row still exists would
 * cost a statement more, and Relay lets a forward-only server answer this way.
 */
export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
  hasPreviousPage: boolean;
  startCursor: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** An empty `after` is no cursor, as the queries read it. */
export function pageInfoOf(
  edges: readonly { cursor: string }[],
  hasNextPage: boolean,
  after: string | null | undefined,
): PageInfo {
  return {
    hasNextPage,
    endCursor: edges.at(-1)?.cursor ?? null,
    hasPreviousPage: Boolean(after),
    startCursor: edges[0]?.cursor ?? null,
  };
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

/**
 * One page of a filtered query, newest first by (`timeColumn`, id): its total count, then the
 * rows after the cursor, one more than asked to know whether another page follows. The rows are
 * plain data of `columns` (all of the entity's when null) with the entity's prototype, not
 * hydrated entities: an answer reads them as they come.
 */
export async function newestFirstPage<T extends ObjectLiteral & { id: string }>(
  filtered: SelectQueryBuilder<T>,
  timeColumn: keyof T & string,
  query: { first: number; after?: string },
  columns: readonly (keyof T & string)[] | null = null,
): Promise<Page<T>> {
  const totalCount = await filtered.clone().getCount();
  const alias = filtered.alias;
  const { metadata } = filtered.expressionMap.mainAlias ?? {};
  if (!metadata) {
    throw new Error(`the query of ${alias} has no entity to page`);
  }
  const read = columns
    ? [...new Set<string>(['id', timeColumn, ...columns])]
    : metadata.columns.map((column) => column.propertyName);
  const page = filtered
    .select(
      read.map((column) => `${alias}.${quoteIdentifier(column)} AS ${quoteIdentifier(column)}`),
    )
    .orderBy(`${alias}.${timeColumn}`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC');
  if (query.after) {
    const cursor = decodeCursor(query.after);
    page.andWhere(`(${alias}.${timeColumn}, ${alias}.id) < (:cursorAt, :cursorId)`, {
      cursorAt: cursor.createdAt,
      cursorId: cursor.id,
    });
  }
  const prototype = (metadata.target as { prototype: object }).prototype;
  const rows = await page.limit(query.first + 1).getRawMany<T>();
  const edges = rows.slice(0, query.first).map((row) => {
    const node = Object.setPrototypeOf(row, prototype) as T;
    return { cursor: encodeCursor({ createdAt: node[timeColumn], id: node.id }), node };
  });
  return {
    edges,
    pageInfo: pageInfoOf(edges, rows.length > query.first, query.after),
    totalCount,
  };
}
