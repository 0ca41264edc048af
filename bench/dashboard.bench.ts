/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../src/app';
import { CheckStatus, WorkerStatus } from '../src/entities/worker-status.enum';
import { seedFleetHistory } from './query/fleet-history.seed';
import { chromiumAvailable, chromiumPath, launchChromium } from '../test/support/browser';
import { buildDashboard, gzippedJavaScriptBytes } from '../test/support/dashboard-build';
import { dropSchemas, uniqueSchema } from './support/environment';
import { seedFleet, type SeededWorker } from './support/fleet';
import { startInProcessService } from './support/in-process-service';
import {
  type Benchmark,
  type BenchContext,
  type BenchResult,
  check,
  percentile,
} from './support/report';

const REGION = 'eu-west-1';
const SIZES = {
  full: { workers: 1_000, loads: 5 },
  tiny: { workers: 30, loads: 1 },
} as const;
/** A sparkline's hour at a poll a minute. */
const SAMPLES_PER_WORKER = 60;
const FIRST_RENDER_TARGET_MS = 1_000;
const JS_BUDGET_BYTES = 250 * 1024;
/** Six frames at 60 Hz: a pause a person can just notice while a whole fleet's poll lands. */
const LONGEST_FRAME_TARGET_MS = 100;
/** How long frames are watched, idle and during a burst. */
const WATCH_MS = 2_000;
const BURST_CPU = 12.3;

interface Load {
  firstRowMs: number;
  floorMs: number;
  allListedMs: number;
  rowsInPage: number;
  idleLongestFrameMs: number;
  burstLongestFrameMs: number;
  burstAppliedMs: number;
  heapMb: number;
}

/**
 * The dashboard in Chromium against the service with a fleet of 1,000 workers, each with an
 * hour of samples: its first render against the floor of the same origin's HTML and the two
 * requests that render waits for, and its frames while a whole fleet's samples land at once
 * against its frames at rest, in the same page.
 */
export const dashboardBenchmark: Benchmark = {
  name: 'dashboard',
  run: (context) => run(context),
};

async function run(context: BenchContext): Promise<BenchResult> {
  if (!chromiumAvailable()) {
    throw new Error(`the dashboard benchmark needs Chromium at ${chromiumPath} (CHROMIUM_PATH)`);
  }
  const size = SIZES[context.size];
  const schema = uniqueSchema('bench_dashboard');
  const buildDir = await mkdtemp(path.join(tmpdir(), 'cwm-dashboard-bench-'));
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  try {
    await buildDashboard(buildDir);
    const jsBytes = await gzippedJavaScriptBytes(buildDir);
    ({ app } = await startInProcessService(context.env, schema, {
      AWS_REGION: REGION,
      WORKER_METRICS_POLL_INTERVAL: '60',
      DASHBOARD_DIR: buildDir,
    }));
    if (!app.emulator) {
      throw new Error('the service started without its emulator (AWS_MODE is not emulator)');
    }
    const workers = await seedFleet({
      databaseUrl: context.env.databaseUrl,
      schema,
      emulator: app.emulator,
      region: REGION,
      count: size.workers,
    });
    await seedFleetHistory({
      databaseUrl: context.env.databaseUrl,
      schema,
      samplesPerWorker: SAMPLES_PER_WORKER,
      now: new Date(),
    });
    context.log(`dashboard: ${size.workers} workers, ${SAMPLES_PER_WORKER} samples each`);
    browser = await launchChromium();
    const loads: Load[] = [];
    for (let index = 0; index < size.loads; index += 1) {
      loads.push(await measureLoad(browser, app, workers));
    }
    return report(size.workers, jsBytes, loads);
  } finally {
    await browser?.close();
    await app?.close();
    await dropSchemas(context.env.databaseUrl, schema);
    await rm(buildDir, { recursive: true, force: true });
  }
}

async function measureLoad(
  browser: Browser,
  app: RunningApp,
  workers: SeededWorker[],
): Promise<Load> {
  // Each in a context of its own: no cache, no open connection, as a new visitor finds them.
  const floorContext = await browser.newContext();
  const floorMs = await measureFloor(await floorContext.newPage(), app.url).finally(() =>
    floorContext.close(),
  );
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const marks = window as unknown as { firstRowAt?: number };
      new MutationObserver((_records, observer) => {
        if (document.querySelector('.worker-row')) {
          marks.firstRowAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(app.url);
    const total = String(workers.length);
    await page.waitForFunction(
      (count) => document.querySelector('[data-counter="total"]')?.textContent === count,
      total,
    );
    const allListedMs = await page.evaluate(() => performance.now());
    const firstRowMs = await page.evaluate(
      () => (window as unknown as { firstRowAt?: number }).firstRowAt ?? Number.NaN,
    );
    // The sparklines' requests come after the first render; let them land before the frames count.
    await page.waitForLoadState('networkidle');
    const idleLongestFrameMs = await longestFrame(page, () => Promise.resolve());
    let burstAppliedMs = Number.NaN;
    const burstLongestFrameMs = await longestFrame(page, async () => {
      const started = await page.evaluate(() => performance.now());
      await publishSamples(app, workers);
      await page.waitForFunction(
        (value) =>
          Array.from(document.querySelectorAll('.worker-row .cell.load .value'))
            .filter((_cell, index) => index % 2 === 0)
            .every((cell) => cell.textContent === value),
        `${BURST_CPU.toFixed(1)}%`,
      );
      burstAppliedMs = (await page.evaluate(() => performance.now())) - started;
    });
    return {
      firstRowMs,
      floorMs,
      allListedMs,
      rowsInPage: await page.locator('.worker-row').count(),
      idleLongestFrameMs,
      burstLongestFrameMs,
      burstAppliedMs,
      heapMb:
        (await page.evaluate(
          () =>
            (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
              ?.usedJSHeapSize ?? 0,
        )) / 1e6,
    };
  } finally {
    await context.close();
  }
}

/**
 * What no page on this origin can beat: the HTML, then the two requests its first render waits
 * for (who the caller is, the first workers), without the page's JavaScript.
 */
async function measureFloor(page: Page, url: string): Promise<number> {
  await page.route(/\/assets\//, (route) => route.abort());
  await page.goto(url);
  return await page.evaluate(async () => {
    const post = (query: string) =>
      fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      }).then((response) => response.json());
    await post(
      '{ viewer { name roles authenticationEnabled } monitoringStatus { enabled pollIntervalSeconds jobs { scheduled running overdue } lastCycle { finishedAt } } }',
    );
    await post(
      '{ workers(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name awsRegion awsInstanceId instanceType status statusChecks { system instance } cpuUtilization memoryUtilization thresholds { cpu memory } monitoringEnabled lastPolledAt lastTransitionAt pollError { message occurredAt consecutiveFailures } cml { status error labsRunning nodesRunning } } } } }',
    );
    return performance.now();
  });
}

/** The longest gap between animation frames while `during` runs and for WATCH_MS in all. */
async function longestFrame(page: Page, during: () => Promise<void>): Promise<number> {
  await page.evaluate((watchMs) => {
    const state = window as unknown as { frameGaps: number[] };
    state.frameGaps = [];
    const until = performance.now() + watchMs;
    let last = performance.now();
    const tick = (time: number) => {
      state.frameGaps.push(time - last);
      last = time;
      if (time < until) {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  }, WATCH_MS);
  await during();
  await page.waitForTimeout(WATCH_MS);
  const gaps = await page.evaluate(() => (window as unknown as { frameGaps: number[] }).frameGaps);
  return Math.max(...gaps);
}

/** A whole fleet's poll, published as the collector publishes it. */
async function publishSamples(app: RunningApp, workers: SeededWorker[]): Promise<void> {
  const now = new Date();
  await Promise.all(
    workers.map((worker) =>
      app.pubSub.publish('WORKER_METRICS', {
        workerId: worker.id,
        status: WorkerStatus.RUNNING,
        systemCheck: CheckStatus.OK,
        instanceCheck: CheckStatus.OK,
        cpuUtilization: BURST_CPU,
        memoryUtilization: 40,
        cpuDatapointAt: now,
        memoryDatapointAt: now,
        cmlStatus: null,
        labsRunning: null,
        nodesRunning: null,
        collectedAt: now,
      }),
    ),
  );
}

function report(workers: number, jsBytes: number, loads: Load[]): BenchResult {
  const median = (pick: (load: Load) => number) =>
    percentile(
      loads.map(pick).sort((a, b) => a - b),
      0.5,
    );
  const firstRow = median((load) => load.firstRowMs);
  const floor = median((load) => load.floorMs);
  const idleFrame = median((load) => load.idleLongestFrameMs);
  const burstFrame = median((load) => load.burstLongestFrameMs);
  const rowsInPage = Math.max(...loads.map((load) => load.rowsInPage));
  return {
    name: 'dashboard',
    description: `The dashboard in Chromium with ${workers} workers: medians of ${loads.length} page loads.`,
    rows: [
      {
        measure: 'first row shown ms',
        value: firstRow,
        baseline: floor,
        'vs baseline': firstRow / floor,
      },
      {
        measure: 'all workers listed ms',
        value: median((load) => load.allListedMs),
        baseline: floor,
        'vs baseline': median((load) => load.allListedMs) / floor,
      },
      {
        measure: 'longest frame, all samples landing ms',
        value: burstFrame,
        baseline: idleFrame,
        'vs baseline': burstFrame / idleFrame,
      },
      {
        measure: 'all samples shown ms',
        value: median((load) => load.burstAppliedMs),
        baseline: null,
        'vs baseline': null,
      },
      {
        measure: 'rows in the page',
        value: rowsInPage,
        baseline: workers,
        'vs baseline': rowsInPage / workers,
      },
      {
        measure: 'JS heap MB',
        value: median((load) => load.heapMb),
        baseline: null,
        'vs baseline': null,
      },
      {
        measure: 'JavaScript KB gzipped',
        value: jsBytes / 1024,
        baseline: null,
        'vs baseline': null,
      },
    ],
    targets: [
      check(
        'first render',
        `< ${FIRST_RENDER_TARGET_MS} ms`,
        `${firstRow.toFixed(0)} ms`,
        firstRow < FIRST_RENDER_TARGET_MS,
      ),
      check(
        'JavaScript gzipped',
        `<= ${JS_BUDGET_BYTES / 1024} KB`,
        `${(jsBytes / 1024).toFixed(1)} KB`,
        jsBytes <= JS_BUDGET_BYTES,
      ),
      check(
        'longest frame while a whole fleet lands',
        `< ${LONGEST_FRAME_TARGET_MS} ms`,
        `${burstFrame.toFixed(0)} ms`,
        burstFrame < LONGEST_FRAME_TARGET_MS,
      ),
      check('rows in the page (virtualized)', '< 60', String(rowsInPage), rowsInPage < 60),
    ],
  };
}
