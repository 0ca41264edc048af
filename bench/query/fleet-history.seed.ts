import { quoteIdentifier } from '../../src/database/sql';
import { withClient } from '../support/environment';

/**
 * A polled fleet's history for the workers already registered on `schema`: `samplesPerWorker`
 * samples a minute apart, a few resolved alerts and some firing ones, and each worker's columns
 * as its last poll left them (some failing their status checks, some failing to poll). Values
 * follow the worker's rank, not chance, so every run reads the same data.
 */
export async function seedFleetHistory(options: {
  databaseUrl: string;
  schema: string;
  samplesPerWorker: number;
  now: Date;
}): Promise<{ samples: number; alerts: number }> {
  return withClient(options.databaseUrl, async (client) => {
    await client.query(`SET search_path TO ${quoteIdentifier(options.schema)}`);
    await client.query('BEGIN');
    let counts: { samples: number; alerts: number };
    try {
      const samples = await client.query(INSERT_SAMPLES, [options.now, options.samplesPerWorker]);
      const alerts = await client.query(INSERT_ALERTS, [options.now]);
      await client.query(UPDATE_WORKERS, [options.now]);
      await client.query('COMMIT');
      counts = { samples: samples.rowCount ?? 0, alerts: alerts.rowCount ?? 0 };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    // Fresh statistics, so both handlers' statements get the plans a live database would.
    await client.query('ANALYZE worker, metric_sample, alert');
    return counts;
  });
}

const RANKED_WORKERS = `(SELECT id, row_number() OVER (ORDER BY id)::int AS rank FROM worker)`;

const INSERT_SAMPLES = `
  INSERT INTO metric_sample ("workerId", status, "systemCheck", "instanceCheck",
    "cpuUtilization", "memoryUtilization", "cpuDatapointAt", "memoryDatapointAt", "collectedAt")
  SELECT w.id, 'RUNNING', 'OK', 'OK',
    ((w.rank * 37 + s.minute * 11) % 1000) / 10.0,
    ((w.rank * 53 + s.minute * 7) % 900) / 10.0 + 5,
    $1::timestamptz - (s.minute + 1) * interval '1 minute',
    $1::timestamptz - (s.minute + 1) * interval '1 minute',
    $1::timestamptz - s.minute * interval '1 minute'
  FROM ${RANKED_WORKERS} AS w
  CROSS JOIN generate_series(0, $2::int - 1) AS s(minute)`;

/**
 * Per worker: four resolved alerts over the last hours, a firing CPU_HIGH on every third and a
 * firing STATUS_CHECK_FAILED on every fifth (one open alert per worker and kind, as the index
 * wants).
 */
const INSERT_ALERTS = `
  INSERT INTO alert ("workerId", kind, state, severity, value, threshold, "resolvedValue",
    message, resolution, "startedAt", "resolvedAt", "acknowledgedAt", "lastNotifiedAt")
  SELECT w.id, a.kind::alert_kind, a.state::alert_state, a.severity::alert_severity,
    a.value, a.threshold, a."resolvedValue", a.message, a.resolution,
    a."startedAt", a."resolvedAt", a."acknowledgedAt", a."startedAt"
  FROM ${RANKED_WORKERS} AS w
  CROSS JOIN LATERAL (
    SELECT 'CPU_HIGH' AS kind, 'RESOLVED' AS state, 'WARNING' AS severity,
      92.5 + r.n AS value, 90.0::float8 AS threshold, 40.0 + r.n AS "resolvedValue",
      'CPU utilization ' || (92.5 + r.n) || '% is at or above 90%' AS message,
      'value back under the threshold' AS resolution,
      $1::timestamptz - ((w.rank % 7) * 10 + r.n * 90 + 60) * interval '1 minute' AS "startedAt",
      $1::timestamptz - ((w.rank % 7) * 10 + r.n * 90 + 45) * interval '1 minute' AS "resolvedAt",
      CASE WHEN r.n % 2 = 0
        THEN $1::timestamptz - ((w.rank % 7) * 10 + r.n * 90 + 50) * interval '1 minute'
      END AS "acknowledgedAt"
    FROM generate_series(0, 2) AS r(n)
    UNION ALL
    SELECT 'MEMORY_HIGH', 'RESOLVED', 'WARNING', 95.0, 90.0, 60.0,
      'Memory utilization 95% is at or above 90%', 'value back under the threshold',
      $1::timestamptz - interval '2 hours 30 minutes', $1::timestamptz - interval '2 hours', NULL
    UNION ALL
    SELECT 'CPU_HIGH', 'FIRING', 'WARNING', 97.0, 90.0, NULL,
      'CPU utilization 97% is at or above 90%', NULL,
      $1::timestamptz - interval '20 minutes', NULL, NULL
    WHERE w.rank % 3 = 0
    UNION ALL
    SELECT 'STATUS_CHECK_FAILED', 'FIRING', 'CRITICAL', NULL, NULL, NULL,
      'EC2 status checks failed (system OK, instance IMPAIRED)', NULL,
      $1::timestamptz - interval '5 minutes', NULL, NULL
    WHERE w.rank % 5 = 0
  ) AS a`;

const UPDATE_WORKERS = `
  UPDATE worker SET
    "systemCheck" = 'OK',
    "instanceCheck" = CASE WHEN w.rank % 5 = 0 THEN 'IMPAIRED' ELSE 'OK' END::check_status,
    "cpuUtilization" = newest."cpuUtilization",
    "memoryUtilization" = newest."memoryUtilization",
    "lastPolledAt" = newest."collectedAt",
    "lastActivityAt" = newest."collectedAt",
    "lastTransitionAt" = $1::timestamptz - w.rank * interval '1 hour',
    "createdAt" = $1::timestamptz - w.rank * interval '1 day',
    "lastPollError" = CASE WHEN w.rank % 25 = 0 THEN 'RequestLimitExceeded: Request limit exceeded.' END,
    "lastPollErrorAt" = CASE WHEN w.rank % 25 = 0 THEN $1::timestamptz END,
    "consecutivePollFailures" = CASE WHEN w.rank % 25 = 0 THEN 2 ELSE 0 END
  FROM ${RANKED_WORKERS} AS w
  CROSS JOIN LATERAL (
    SELECT "cpuUtilization", "memoryUtilization", "collectedAt" FROM metric_sample
    WHERE "workerId" = w.id ORDER BY "collectedAt" DESC LIMIT 1
  ) AS newest
  WHERE worker.id = w.id`;
