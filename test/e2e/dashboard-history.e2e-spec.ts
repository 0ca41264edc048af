/// <reference lib="dom" />
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { chromiumAvailable, chromiumPath, launchChromium } from '../support/browser';
import { buildDashboard } from '../support/dashboard-build';
import { accessibilityViolations, row, watchPage } from '../support/dashboard-page';
import { StartWorkerDocument } from '../generated/graphql';
import { emulatorControl } from '../support/emulator-control';
import { request } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDataSource } from '../support/test-database';

if (!chromiumAvailable() && process.env.CI) {
  throw new Error(
    `Chromium is required in CI for the dashboard test and is missing at ${chromiumPath}`,
  );
}

const POLL_INTERVAL_SECONDS = 2;
/** Within a few polls, and well before the page's once-a-minute refetch could show it instead. */
const WITHIN_POLLS = { timeout: 4 * POLL_INTERVAL_SECONDS * 1000 + 3_000 };
const VIEWER_KEY = 'history-viewer-key-0123456789';
const OPERATOR_KEY = 'history-operator-key-0123456789';
const OPERATOR = 'dash-operator';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HOUR_MS = 3_600_000;
const PHONE = { width: 390, height: 844 };

/** The page's own document stayed: the change was shown without a reload. */
const markDocument = (page: Page) =>
  page.evaluate(() => Object.assign(window, { notReloaded: true }));
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

(chromiumAvailable() ? describe : describe.skip)('the dashboard history views in a browser', () => {
  let dashboardDir: string;
  let browser: Browser;
  let app: TestApp;
  let db: DataSource;
  let operator: { page: Page; context: BrowserContext; watched: { problems: string[] } };
  const emulator = (method: 'PUT' | 'DELETE', route: string, body?: unknown) =>
    emulatorControl(app.emulator?.endpoint ?? '', method, route, body);

  async function signIn(key: string, viewport = { width: 1440, height: 900 }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const watched = watchPage(page, app.url);
    await page.goto(app.url);
    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-link="live"]').waitFor({ timeout: 10_000 });
    await row(page, 'cml-worker-01').waitFor();
    return { page, context, watched };
  }

  const workerIds = new Map<string, string>();
  const workerIdOf = (name: string) => workerIds.get(name) ?? '';

  const openWorker = async (name: string) => {
    const { page } = operator;
    await page.goto(`${app.url}/#/`);
    await row(page, name).getByRole('link', { name }).click();
    await page.getByRole('heading', { name }).waitFor();
  };

  const cpuChart = () => operator.page.getByRole('img', { name: /^CPU chart/ });

  /** The time axis as uPlot drew it, in epoch milliseconds. */
  async function timeAxis(): Promise<{ min: number; max: number }> {
    const chart = cpuChart();
    return {
      min: Date.parse((await chart.getAttribute('data-x-min')) ?? ''),
      max: Date.parse((await chart.getAttribute('data-x-max')) ?? ''),
    };
  }

  /** The CPU average the chart's legend reads under the cursor, `fraction` across the plot. */
  async function averageAt(fraction: number): Promise<string> {
    const plot = cpuChart().locator('.u-over');
    const box = await plot.boundingBox();
    if (!box) {
      throw new Error('the CPU chart is not drawn');
    }
    await operator.page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2);
    const average = cpuChart().locator('.u-legend tr.u-series', { hasText: 'Average' });
    return (await average.locator('.u-value').innerText()).trim();
  }

  beforeAll(async () => {
    dashboardDir = await mkdtemp(path.join(tmpdir(), 'cwm-dashboard-history-'));
    await buildDashboard(dashboardDir);
    browser = await launchChromium();
    app = await startTestApp({
      DASHBOARD_DIR: dashboardDir,
      EMULATOR_DEMO_FLEET: 'true',
      WORKER_METRICS_POLL_INTERVAL: String(POLL_INTERVAL_SECONDS),
      // A failed poll is told of at its first failure, not after the SDK's retries.
      AWS_MAX_ATTEMPTS: '1',
      API_KEYS: `dash-viewer:viewer:${sha256(VIEWER_KEY)},${OPERATOR}:operator:${sha256(OPERATOR_KEY)}`,
    });
    db = await createTestDataSource(app.schema);
    operator = await signIn(OPERATOR_KEY);
    for (const name of ['cml-worker-01', 'cml-worker-02']) {
      workerIds.set(name, (await row(operator.page, name).getAttribute('data-worker-id')) ?? '');
    }
  }, 120_000);

  afterAll(async () => {
    await operator?.context.close();
    await db?.destroy();
    await app?.close();
    await browser?.close();
    await rm(dashboardDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(operator.watched.problems).toEqual([]);
  });

  it('should draw 24 h and 7 d of samples over exactly their window, in the buckets the API chose, and pass axe', async () => {
    // A week of samples every five minutes, as the polls of a week would have left them.
    await db.query(
      `INSERT INTO metric_sample ("workerId", status, "cpuUtilization", "memoryUtilization", "collectedAt")
       SELECT $1, 'RUNNING', 20 + m % 40, 50 + m % 20, now() - m * interval '5 minutes'
       FROM generate_series(1, 2016) AS m`,
      [workerIdOf('cml-worker-01')],
    );
    await openWorker('cml-worker-01');
    const { page } = operator;
    const caption = page.locator('.chart-caption').first();

    await page.getByRole('button', { name: '24 h', exact: true }).click();
    await caption.filter({ hasText: 'Last 24 h: average per 5 min' }).waitFor();

    const day = await timeAxis();
    expect(Math.abs(day.max - day.min - 24 * HOUR_MS)).toBeLessThanOrEqual(2);
    expect(Math.abs(day.max - Date.now())).toBeLessThan(10_000);
    // The seeded day is drawn from its start, not only the last samples.
    expect(await averageAt(0.05)).toMatch(/^\d+\.\d %$/);

    await page.getByRole('button', { name: '7 d', exact: true }).click();
    await caption.filter({ hasText: 'Last 7 d: average per 1 h' }).waitFor();

    const week = await timeAxis();
    expect(Math.abs(week.max - week.min - 7 * 24 * HOUR_MS)).toBeLessThanOrEqual(2);
    expect(await averageAt(0.05)).toMatch(/^\d+\.\d %$/);
    await expect(
      page.getByRole('button', { name: '7 d', exact: true }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('should put a stop on the status timeline with who asked for it, live and after a reload', async () => {
    await openWorker('cml-worker-02');
    const { page } = operator;
    const stopping = page.locator('.timeline li', { hasText: /RUNNING\s*→\s*STOPPING/ }).first();

    await page.getByRole('button', { name: 'Stop', exact: true }).click();

    await stopping.waitFor({ timeout: 5_000 });
    await expect(stopping.innerText()).resolves.toMatch(
      new RegExp(
        `^RUNNING\\s*→\\s*STOPPING\\s+.+\\d{1,2}:\\d{2}:\\d{2}.*\\s+asked by ${OPERATOR}$`,
      ),
    );
    const stopped = page.locator('.timeline li', { hasText: /→\s*STOPPED/ }).first();
    await stopped.waitFor({ timeout: 15_000 });
    await expect(stopped.innerText()).resolves.toContain('seen by a poll');

    await page.reload();
    await stopping.waitFor();
    await expect(stopping.getAttribute('data-actor')).resolves.toBe(OPERATOR);
    await expect(stopping.getAttribute('data-source')).resolves.toBe('MUTATION');
  });

  it("should list the stop on the Audit page as the operator's stopWorker that succeeded, filter by outcome and load more", async () => {
    const { page } = operator;
    const records = page.locator('.audit-table tbody tr');

    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await records.first().waitFor();

    const stop = records.filter({ hasText: 'stopWorker' }).first();
    const cell = (label: string) => stop.locator(`td[data-label="${label}"]`);
    await expect(cell('Caller').innerText()).resolves.toBe(OPERATOR);
    await expect(cell('Outcome').innerText()).resolves.toBe('SUCCEEDED');
    await expect(cell('Worker').getByRole('link').innerText()).resolves.toBe('cml-worker-02');
    await expect(cell('Worker').getByRole('link').getAttribute('href')).resolves.toBe(
      `#/workers/${workerIdOf('cml-worker-02')}`,
    );
    const times = await records
      .locator('time')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort().reverse());
    expect(await accessibilityViolations(page)).toEqual([]);
    // More refusals than a page holds: a worker that does not exist cannot be started.
    const missing = randomUUID();
    for (let attempt = 0; attempt < 51; attempt += 1) {
      await request(app.graphqlUrl, StartWorkerDocument, { id: missing }, `Bearer ${OPERATOR_KEY}`);
    }

    await page.getByLabel('Outcome').selectOption({ label: 'Failed' });

    await page
      .getByRole('status')
      .filter({ hasText: '51 records, the newest 50 shown.' })
      .waitFor();
    expect(page.url()).toMatch(/#\/audit\?outcome=FAILED$/);
    await expect(records.count()).resolves.toBe(50);
    await expect(records.locator('td[data-label="Outcome"]').allInnerTexts()).resolves.toEqual(
      Array(50).fill('FAILED'),
    );
    await expect(records.first().locator('td[data-label="Error code"]').innerText()).resolves.toBe(
      'NOT_FOUND',
    );

    await page.getByRole('button', { name: 'Load more' }).click();

    await page
      .getByRole('status')
      .filter({ hasText: /^51 records\.$/ })
      .waitFor();
    await expect(records.count()).resolves.toBe(51);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });

  it('should not offer the Audit page to a viewer', async () => {
    const viewer = await signIn(VIEWER_KEY);

    expect(await viewer.page.getByRole('link', { name: 'Audit', exact: true }).count()).toBe(0);
    await viewer.page.goto(`${app.url}/#/audit`);
    await viewer.page.getByText('The audit log is for operators').waitFor();
    expect(await viewer.page.locator('.audit-table').count()).toBe(0);
    expect(viewer.watched.problems).toEqual([]);
    await viewer.context.close();
  });

  it('should fit the Audit page in a 390 px wide phone without a horizontal scroll, and pass axe there', async () => {
    const phone = await signIn(OPERATOR_KEY, PHONE);
    await phone.page.goto(`${app.url}/#/audit`);
    await phone.page.locator('.audit-table tbody tr').first().waitFor();

    const widths = await phone.page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
      table: document.querySelector('.audit-table')?.getBoundingClientRect().right ?? Infinity,
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    expect(widths.table).toBeLessThanOrEqual(widths.viewport);
    expect(await accessibilityViolations(phone.page)).toEqual([]);
    expect(phone.watched.problems).toEqual([]);
    await phone.context.close();
  });

  it('should show a failed poll on the worker page and the row without a reload, and clear it with the next sample', async () => {
    await openWorker('cml-worker-03');
    const { page } = operator;
    await markDocument(page);
    const onPage = page.locator('.detail p.error', { hasText: 'poll(s) failed' });
    const onRow = row(page, 'cml-worker-03').locator('.poll-error');

    await emulator('PUT', 'faults', {
      action: 'DescribeInstanceStatus',
      serverErrorRate: 1,
      serverErrorStatus: 503,
    });
    try {
      await onPage.waitFor(WITHIN_POLLS);
      await page.getByRole('link', { name: '← Fleet' }).click();
      await onRow.waitFor(WITHIN_POLLS);
      await expect(onRow.innerText()).resolves.toMatch(/^Poll failed ×\d+/);
    } finally {
      await emulator('DELETE', 'faults');
    }

    await onRow.waitFor({ state: 'detached', ...WITHIN_POLLS });
    expect(await sameDocument(page)).toBe(true);
  }, 60_000);
});
