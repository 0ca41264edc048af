import { quoteIdentifier } from '../../src/database/sql';
import { withClient } from '../support/environment';

/**
 * Minute samples ending at `end` (exclusive) for the workers registered on `schema`: a day for
 * every worker, `days` for those of `longer`. Rows go in in time order across the workers, as
 * polls write them, so one heap page holds a minute of many workers. Values follow the worker's
 * rank and the minute, not chance; every 97th sample has no CPU value. Vacuumed and analyzed
 * afterwards, as autovacuum leaves an append-only table.
 */
export async function seedSeriesHistory(options: {
  databaseUrl: string;
  schema: string;
  end: Date;
  longer: readonly string[];
  days: number;
}): Promise<number> {
  return withClient(options.databaseUrl, async (client) => {
    await client.query(`SET search_path TO ${quoteIdentifier(options.schema)}`);
    const older = await client.query(INSERT_MINUTES, [
      options.longer,
      new Date(options.end.getTime() - 86_400_000),
      (options.days - 1) * 1440,
    ]);
    const day = await client.query(INSERT_MINUTES, [null, options.end, 1440]);
    await client.query('VACUUM ANALYZE metric_sample');
    return (older.rowCount ?? 0) + (day.rowCount ?? 0);
  });
}

/** $1: the workers (null: all), $2: the end (exclusive), $3: minutes before it. */
const INSERT_MINUTES = `
  INSERT INTO metric_sample ("workerId", status, "systemCheck", "instanceCheck",
    "cpuUtilization", "memoryUtilization", "cpuDatapointAt", "memoryDatapointAt", "collectedAt")
  SELECT w.id, 'RUNNING', 'OK', 'OK',
    CASE WHEN (w.rank + s.minute) % 97 = 0 THEN NULL
      ELSE ((w.rank * 37 + s.minute * 11) % 1000) / 10.0 END,
    ((w.rank * 53 + s.minute * 7) % 900) / 10.0 + 5,
    $2::timestamptz - (s.minute + 1) * interval '1 minute',
    $2::timestamptz - (s.minute + 1) * interval '1 minute',
    $2::timestamptz - s.minute * interval '1 minute'
  FROM generate_series($3::int, 1, -1) AS s(minute)
  CROSS JOIN (SELECT id, row_number() OVER (ORDER BY id)::int AS rank FROM worker
    WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[])) AS w
  ORDER BY s.minute DESC, w.rank`;
