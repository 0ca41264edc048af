import type { DataSource, EntityManager } from 'typeorm';

/** A transaction, or the data source itself outside one: what a repository method runs on. */
export type Queryable = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

/** Services own transactions; repositories take the transaction's manager as `Queryable`. */
export interface Transactor {
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * TypeORM answers UPDATE and DELETE with `[rows, affected]`, INSERT and SELECT with the rows:
 * every statement's rows come through here, so no caller unwraps by hand.
 */
export async function rowsOf<T>(
  db: Queryable,
  statement: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  const result: unknown = await db.query(statement, [...parameters]);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  return (driverError?.code ?? (error as { code?: unknown } | null)?.code) === UNIQUE_VIOLATION;
}
