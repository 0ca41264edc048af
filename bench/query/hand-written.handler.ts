import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { quoteIdentifier } from '../../src/database/sql';
import { ALERTS_PER_WORKER, SAMPLES_PER_WORKER } from './fleet-dashboard.query';
import { groupBy } from '../../src/lib/maps';

export interface HandWrittenServer {
  readonly url: string;
  /** SQL statements sent since it started. */
  sqlStatementCount(): number;
  close(): Promise<void>;
}

interface WorkerRow {
  id: string;
  name: string;
  awsRegion: string;
  awsInstanceId: string;
  instanceType: string | null;
  status: string;
  systemCheck: string | null;
  instanceCheck: string | null;
  cpuUtilization: number | null;
  memoryUtilization: number | null;
  cpuThreshold: number;
  memoryThreshold: number;
  monitoringEnabled: boolean;
  lastPolledAt: Date | null;
  lastTransitionAt: Date | null;
  lastPollError: string | null;
  lastPollErrorAt: Date | null;
  consecutivePollFailures: number;
  createdAt: Date;
  totalCount: number;
}

interface SampleRow {
  workerId: string;
  collectedAt: Date;
  status: string;
  cpuUtilization: number | null;
  memoryUtilization: number | null;
}

interface AlertRow {
  workerId: string;
  id: string;
  kind: string;
  severity: string;
  state: string;
  value: number | null;
  threshold: number | null;
  message: string;
  startedAt: Date;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
}

/**
 * The count rides along with the page (an InitPlan, computed once), so the page costs one
 * round trip; one more than asked tells whether another page follows.
 */
const WORKER_PAGE = `
  SELECT id, name, "awsRegion", "awsInstanceId", "instanceType", status, "systemCheck",
         "instanceCheck", "cpuUtilization", "memoryUtilization", "cpuThreshold",
         "memoryThreshold", "monitoringEnabled", "lastPolledAt", "lastTransitionAt",
         "lastPollError", "lastPollErrorAt", "consecutivePollFailures", "createdAt",
         (SELECT count(*) FROM worker)::int AS "totalCount"
  FROM worker
  ORDER BY "createdAt" DESC, id DESC
  LIMIT $1`;

/** Each worker's index on (workerId, collectedAt) walked backwards, stopping at the limit. */
const NEWEST_SAMPLES = `
  SELECT s."workerId", s."collectedAt", s.status, s."cpuUtilization", s."memoryUtilization"
  FROM unnest($1::uuid[]) AS page(id)
  CROSS JOIN LATERAL (
    SELECT "workerId", "collectedAt", status, "cpuUtilization", "memoryUtilization"
    FROM metric_sample
    WHERE "workerId" = page.id
    ORDER BY "collectedAt" DESC
    LIMIT ${SAMPLES_PER_WORKER}
  ) AS s`;

const NEWEST_ALERTS = `
  SELECT a."workerId", a.id, a.kind, a.severity, a.state, a.value, a.threshold, a.message,
         a."startedAt", a."resolvedAt", a."acknowledgedAt"
  FROM unnest($1::uuid[]) AS page(id)
  CROSS JOIN LATERAL (
    SELECT * FROM alert
    WHERE "workerId" = page.id
    ORDER BY "startedAt" DESC, id DESC
    LIMIT ${ALERTS_PER_WORKER}
  ) AS a`;

const MAX_BODY_BYTES = 102_400;

/**
 * What a careful engineer would write without GraphQL for the fleet dashboard query: `pg` and
 * JSON, three statements (the last two at once), the same answer byte for byte. It serves that
 * one query, first page only; anything else is a 400.
 */
export async function startHandWrittenServer(options: {
  databaseUrl: string;
  schema: string;
  poolSize: number;
}): Promise<HandWrittenServer> {
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize,
    options: `-c search_path=${quoteIdentifier(options.schema)}`,
  });
  let statements = 0;
  const query = async <Row extends object>(text: string, values: unknown[]): Promise<Row[]> => {
    statements += 1;
    return (await pool.query<Row>(text, values)).rows;
  };
  const dashboard = async (first: number) => {
    const workers = await query<WorkerRow>(WORKER_PAGE, [first + 1]);
    const page = workers.slice(0, first);
    const ids = page.map((worker) => worker.id);
    const [samples, alerts] = await Promise.all([
      query<SampleRow>(NEWEST_SAMPLES, [ids]),
      query<AlertRow>(NEWEST_ALERTS, [ids]),
    ]);
    return dashboardJson(
      workers,
      page,
      groupBy(samples, (row) => row.workerId),
      groupBy(alerts, (row) => row.workerId),
    );
  };

  const server = createServer((request, response) => {
    handle(request, response, dashboard).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    sqlStatementCount: () => statements,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  dashboard: (first: number) => Promise<string>,
): Promise<void> {
  const first = request.method === 'POST' ? firstOf(await readBody(request)) : undefined;
  if (first === undefined) {
    response.writeHead(400, { 'content-type': 'text/plain' });
    response.end('POST the fleet dashboard query with 1 <= first <= 500');
    return;
  }
  const body = await dashboard(first);
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BODY_BYTES) {
      return '';
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function firstOf(body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { variables?: { first?: unknown } };
    const first = parsed.variables?.first ?? 50;
    return Number.isInteger(first) && Number(first) >= 1 && Number(first) <= 500
      ? Number(first)
      : undefined;
  } catch {
    return undefined;
  }
}

function dashboardJson(
  fetched: WorkerRow[],
  page: WorkerRow[],
  samples: Map<string, SampleRow[]>,
  alerts: Map<string, AlertRow[]>,
): string {
  const edges = page.map((worker) => ({
    cursor: cursorOf(worker),
    node: {
      ...nodeOf(worker),
      metrics: (samples.get(worker.id) ?? []).map((sample) => ({
        collectedAt: sample.collectedAt,
        status: sample.status,
        cpuUtilization: sample.cpuUtilization,
        memoryUtilization: sample.memoryUtilization,
      })),
      alerts: (alerts.get(worker.id) ?? []).map((alert) => ({
        id: alert.id,
        kind: alert.kind,
        severity: alert.severity,
        state: alert.state,
        value: alert.value,
        threshold: alert.threshold,
        message: alert.message,
        startedAt: alert.startedAt,
        resolvedAt: alert.resolvedAt,
        acknowledgedAt: alert.acknowledgedAt,
      })),
    },
  }));
  const workers = {
    totalCount: fetched[0]?.totalCount ?? 0,
    pageInfo: {
      hasNextPage: fetched.length > page.length,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    edges,
  };
  // Apollo Server ends its JSON with a newline; so does this, for the same bytes on the wire.
  return `${JSON.stringify({ data: { workers } })}\n`;
}

/** The API's cursor format, so a client could page on from either handler's answer. */
function cursorOf(worker: WorkerRow): string {
  return Buffer.from(JSON.stringify([worker.createdAt.toISOString(), worker.id])).toString(
    'base64url',
  );
}

function nodeOf(worker: WorkerRow) {
  const checked = worker.systemCheck !== null && worker.instanceCheck !== null;
  const failing =
    worker.consecutivePollFailures > 0 &&
    worker.lastPollError !== null &&
    worker.lastPollErrorAt !== null;
  return {
    id: worker.id,
    name: worker.name,
    awsRegion: worker.awsRegion,
    awsInstanceId: worker.awsInstanceId,
    instanceType: worker.instanceType,
    status: worker.status,
    statusChecks: checked ? { system: worker.systemCheck, instance: worker.instanceCheck } : null,
    cpuUtilization: worker.cpuUtilization,
    memoryUtilization: worker.memoryUtilization,
    thresholds: { cpu: worker.cpuThreshold, memory: worker.memoryThreshold },
    monitoringEnabled: worker.monitoringEnabled,
    lastPolledAt: worker.lastPolledAt,
    lastTransitionAt: worker.lastTransitionAt,
    pollError: failing
      ? {
          message: worker.lastPollError,
          occurredAt: worker.lastPollErrorAt,
          consecutiveFailures: worker.consecutivePollFailures,
        }
      : null,
  };
}
