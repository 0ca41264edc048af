import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { createJobBackend, JobScheduler } from '../../src/jobs/scheduler';
import { createServiceLogger } from '../../src/logger';

/**
 * The floor of a poll cycle: the service's own job store, with the same settings, running
 * poll jobs that do nothing. One process of the benchmark (NOOP_JOB_COUNT > 0) creates the
 * jobs, due far ahead; the benchmark then makes them due, as the service's jobs are.
 *
 * Talks to its parent over IPC: `ready` once started, `{ statements }` when asked `stats`,
 * and closes on `stop`.
 */
export type NoopJobsRequest = { type: 'stats' } | { type: 'stop' };
export type NoopJobsReport = { type: 'ready' } | { type: 'stats'; statements: number };

const FAR_AHEAD_MS = 24 * 3600_000;

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.database.kind !== 'external') {
    throw new Error('DATABASE_URL is required');
  }
  const logger = createServiceLogger(config.logLevel);
  let statements = 0;
  const scheduler = await JobScheduler.open({
    backend: createJobBackend(config.jobs.store, {
      url: config.database.url,
      schema: config.database.schema,
      logger,
      onStatement: () => {
        statements += 1;
      },
    }),
    jobs: config.jobs,
    pollIntervalMs: config.monitoring.pollIntervalSeconds * 1000,
    retryBaseMs: config.notifications.retryBaseMs,
    notificationGrouping: config.notifications.grouping,
    logger,
  });
  await scheduler.register('poll-worker', () => Promise.resolve());
  const count = Number(process.env.NOOP_JOB_COUNT ?? 0);
  if (count > 0) {
    const ids = Array.from({ length: count }, () => randomUUID());
    await scheduler.schedulePolls(ids, new Date(Date.now() + FAR_AHEAD_MS));
  }
  await scheduler.start();
  const send = (report: NoopJobsReport) => process.send?.(report);
  process.on('message', (request: NoopJobsRequest) => {
    if (request.type === 'stats') {
      send({ type: 'stats', statements });
    } else {
      scheduler.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'closing the job store failed');
          process.exit(1);
        },
      );
    }
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
