/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium } from '../support/browser';
import { buildDashboard } from '../support/dashboard-build';
import {
  accessibilityViolations,
  clippedElements,
  row,
  watchPage,
} from '../support/dashboard-page';
import {
  CreateWorkerDocument,
  ImportWorkerDocument,
  UpdateWorkerDocument,
  WorkerDocument,
} from '../generated/graphql';
import { emulatorControl } from '../support/emulator-control';
import { request, requestData } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';

if (!chromiumAvailable() && process.env.CI) {
  throw new Error(
    `Chromium is required in CI for the dashboard test and is missing at ${chromiumPath}`,
  );
}

const POLL_INTERVAL_SECONDS = 2;
const PHONE = { width: 390, height: 844 };
/** Within a few polls: the first at once, then one per interval. */
const WITHIN_POLLS = { timeout: 3 * POLL_INTERVAL_SECONDS * 1000 + 3_000 };

/** What the API answers to the request a dialog sent: the message the dialog must show. */
async function refusalOf(answer: Promise<{ errors?: readonly { message: string }[] }>) {
  const message = (await answer).errors?.[0]?.message;
  expect(message).toEqual(expect.any(String));
  return message ?? '';
}

/** The page's own document stayed: the change was shown without a reload. */
const markDocument = (page: Page) =>
  page.evaluate(() => Object.assign(window, { notReloaded: true }));
const sameDocument = (page: Page) =>
  page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

const hasFocusInside = (dialog: ReturnType<Page['getByRole']>) =>
  dialog.evaluate((element) => element.contains(document.activeElement));

(chromiumAvailable() ? describe : describe.skip)('managing the fleet from the dashboard', () => {
  let dashboardDir: string;
  let browser: Browser;

  beforeAll(async () => {
    dashboardDir = await mkdtemp(path.join(tmpdir(), 'cwm-dashboard-management-'));
    await buildDashboard(dashboardDir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rm(dashboardDir, { recursive: true, force: true });
  });

  describe('as an operator', () => {
    let app: TestApp;
    let context: BrowserContext;
    let page: Page;
    let watched: { problems: string[] };
    const emulator = (method: 'POST' | 'PUT' | 'DELETE', route: string, body?: unknown) =>
      emulatorControl(app.emulator?.endpoint ?? '', method, route, body);

    beforeAll(async () => {
      app = await startTestApp({
        DASHBOARD_DIR: dashboardDir,
        EMULATOR_DEMO_FLEET: 'true',
        WORKER_METRICS_POLL_INTERVAL: String(POLL_INTERVAL_SECONDS),
      });
      context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      page = await context.newPage();
      watched = watchPage(page, app.url);
      await page.goto(app.url);
      await page.locator('[data-link="live"]').waitFor({ timeout: 10_000 });
      await row(page, 'cml-worker-04').waitFor();
      await markDocument(page);
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await app?.close();
    });

    afterEach(() => {
      expect(watched.problems).toEqual([]);
    });

    it("should launch a worker from the New worker dialog, and show the API's message when it refuses", async () => {
      const opener = page.getByRole('button', { name: 'New worker…' });
      await opener.click();
      const dialog = page.getByRole('dialog', { name: 'New worker' });
      expect(await hasFocusInside(dialog)).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);

      await dialog.getByLabel('Name', { exact: true }).fill('dash-launched');
      await dialog.getByLabel('AMI').fill('ami-nope');
      await dialog.getByRole('button', { name: 'Launch and register' }).click();

      const refusal = dialog.getByRole('alert');
      await refusal.waitFor();
      const expected = await refusalOf(
        request(app.graphqlUrl, CreateWorkerDocument, {
          input: { name: 'dash-launched', amiId: 'ami-nope' },
        }),
      );
      expect(expected).toMatch(/amiId/);
      await expect(refusal.innerText()).resolves.toBe(expected);
      await expect(dialog.getByLabel('AMI').getAttribute('aria-invalid')).resolves.toBe('true');
      expect(await accessibilityViolations(page)).toEqual([]);

      await dialog.getByLabel('AMI').fill('');
      await dialog.getByLabel('CPU', { exact: true }).fill('70');
      await dialog.getByRole('button', { name: 'Launch and register' }).click();

      await dialog.waitFor({ state: 'detached' });
      expect(await opener.evaluate((element) => element === document.activeElement)).toBe(true);
      await row(page, 'dash-launched').waitFor();
      await expect(page.locator('.notice').innerText()).resolves.toMatch(
        /^dash-launched is launching: instance i-[0-9a-f]+, (PENDING|RUNNING)\.$/,
      );
      await expect(
        row(page, 'dash-launched').locator('.load-cpu .value').getAttribute('title'),
      ).resolves.toBe('CPU: alerts above 70 %');
      expect(await sameDocument(page)).toBe(true);
    });

    it('should import a worker by its instance id, say why one is refused, and show it polled', async () => {
      const response = await fetch(`${app.emulator?.endpoint ?? ''}/_emulator/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ region: TEST_REGION, name: 'dash-by-id' }),
      });
      const [added] = ((await response.json()) as { instances: { instanceId: string }[] })
        .instances;
      const instanceId = added?.instanceId ?? '';
      await page.getByRole('button', { name: 'Discover and import…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Discover and import instances' });
      const byId = dialog.getByRole('form', { name: 'Import by instance id' });
      await dialog.locator('tr', { hasText: 'dash-by-id' }).waitFor();

      const unknown = 'i-0123456789abcdef0';
      await byId.getByLabel('Instance id').fill(unknown);
      await byId.getByRole('button', { name: 'Import', exact: true }).click();
      const refusal = byId.getByRole('alert');
      await refusal.waitFor({ timeout: 10_000 });
      await expect(refusal.innerText()).resolves.toBe(
        await refusalOf(
          request(app.graphqlUrl, ImportWorkerDocument, { input: { awsInstanceId: unknown } }),
        ),
      );
      expect(await accessibilityViolations(page)).toEqual([]);

      await byId.getByLabel('Instance id').fill(instanceId);
      await byId.getByRole('button', { name: 'Import', exact: true }).click();

      await byId
        .getByRole('status')
        .filter({ hasText: `Imported dash-by-id (${instanceId}, RUNNING).` })
        .waitFor({ timeout: 10_000 });
      await expect(refusal.count()).resolves.toBe(0);
      // Imported, it is no longer offered for discovery.
      await dialog.locator('tr', { hasText: 'dash-by-id' }).waitFor({ state: 'detached' });
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      const cpu = row(page, 'dash-by-id').locator('.load-cpu .value');
      await cpu.filter({ hasText: /^\d+\.\d%$/ }).waitFor(WITHIN_POLLS);
      await expect(row(page, 'dash-by-id').locator('.mono').innerText()).resolves.toBe(instanceId);
      expect(await sameDocument(page)).toBe(true);
    });

    it('should edit thresholds, which the chart then draws, and refuse what the API refuses', async () => {
      await row(page, 'dash-by-id').getByRole('link', { name: 'dash-by-id' }).click();
      await page.getByRole('img', { name: /^CPU chart, threshold 90 %/ }).waitFor();
      const opener = page.getByRole('button', { name: 'Edit…' });
      await opener.click();
      const dialog = page.getByRole('dialog', { name: 'Edit dash-by-id' });
      const save = dialog.getByRole('button', { name: 'Save' });
      expect(await hasFocusInside(dialog)).toBe(true);
      await expect(save.isDisabled()).resolves.toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);

      await dialog.getByLabel('CPU', { exact: true }).fill('150');
      await save.click();
      const refusal = dialog.getByRole('alert');
      await refusal.waitFor();
      const workerId = decodeURIComponent(new URL(page.url()).hash.replace('#/workers/', ''));
      await expect(refusal.innerText()).resolves.toBe(
        await refusalOf(
          request(app.graphqlUrl, UpdateWorkerDocument, {
            id: workerId,
            input: { thresholds: { cpu: 150 } },
          }),
        ),
      );
      await expect(
        dialog.getByLabel('CPU', { exact: true }).getAttribute('aria-invalid'),
      ).resolves.toBe('true');

      await dialog.getByLabel('CPU', { exact: true }).fill('75');
      await dialog.getByLabel('Memory', { exact: true }).fill('80');
      await save.click();

      await dialog.waitFor({ state: 'detached' });
      expect(await opener.evaluate((element) => element === document.activeElement)).toBe(true);
      await page.getByRole('img', { name: /^CPU chart, threshold 75 %/ }).waitFor();
      await page.getByRole('img', { name: /^Memory chart, threshold 80 %/ }).waitFor();
      await page.locator('.facts dd', { hasText: '(alerts above 75 %)' }).waitFor();
      // The line drawn: the chart's legend gives its value where the cursor is.
      const cpuChart = page.locator('.chart').first();
      await cpuChart.locator('.u-over').hover();
      await expect(
        cpuChart.locator('.u-series', { hasText: 'Threshold' }).locator('.u-value').innerText(),
      ).resolves.toBe('75 %');
      const stored = await requestData(app.graphqlUrl, WorkerDocument, { id: workerId });
      expect(stored.worker?.thresholds).toEqual({ cpu: 75, memory: 80 });
    });

    it('should show a firing alert strictly above its threshold, and once resolved, why', async () => {
      await emulator('POST', 'instances/dash-by-id/metrics', { cpu: 97 });
      const cpuAlert = page.locator('.detail .alert-item', { hasText: 'CPU high' });
      await cpuAlert.and(page.locator('[data-state="FIRING"]')).waitFor(WITHIN_POLLS);
      await expect(cpuAlert.locator('.measured').innerText()).resolves.toBe('97.0%, above 75.0%');

      await emulator('POST', 'instances/dash-by-id/metrics', { cpu: 10 });

      await cpuAlert.and(page.locator('[data-state="RESOLVED"]')).waitFor(WITHIN_POLLS);
      await expect(cpuAlert.locator('.alert-message').innerText()).resolves.toBe(
        'Resolved: CPU at 10 %, below 70 %',
      );
      await expect(cpuAlert.locator('.measured').innerText()).resolves.toBe(
        'fired at 97.0%, resolved at 10.0%',
      );
      await emulator('DELETE', 'instances/dash-by-id/metrics');
    });

    it('should stop and start monitoring a worker from the Edit dialog', async () => {
      const lastPoll = page.locator('.facts > div', {
        has: page.locator('dt', { hasText: 'Last poll' }),
      });
      await page.getByRole('button', { name: 'Edit…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit dash-by-id' });
      await dialog.getByRole('checkbox', { name: /^Monitored/ }).uncheck();
      await dialog.getByRole('button', { name: 'Save' }).click();

      await dialog.waitFor({ state: 'detached' });
      await lastPoll.locator('dd', { hasText: 'not monitored' }).waitFor();

      await page.getByRole('button', { name: 'Edit…' }).click();
      await dialog.getByRole('checkbox', { name: /^Monitored/ }).check();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await lastPoll.locator('dd', { hasText: / ago$/ }).waitFor();
    });

    it('should remove a worker only once its name is typed, and leave its instance running', async () => {
      const workerId = decodeURIComponent(new URL(page.url()).hash.replace('#/workers/', ''));
      await page.getByRole('button', { name: 'Remove…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Remove dash-by-id?' });
      const confirm = dialog.getByRole('button', { name: 'Remove', exact: true });
      expect(await accessibilityViolations(page)).toEqual([]);
      await expect(confirm.isDisabled()).resolves.toBe(true);
      await dialog.getByRole('textbox').fill('dash-by-i');
      await dialog.getByRole('textbox').press('Enter');
      await expect(confirm.isDisabled()).resolves.toBe(true);
      await expect(dialog.isVisible()).resolves.toBe(true);

      await dialog.getByRole('textbox').fill('dash-by-id');
      await confirm.click();

      await page.locator('.worker-row').first().waitFor();
      await expect(page.locator('.notice').innerText()).resolves.toMatch(
        /^dash-by-id is removed: it is no longer polled, and its EC2 instance i-[0-9a-f]+ is left as it is\.$/,
      );
      await expect(row(page, 'dash-by-id').count()).resolves.toBe(0);
      const stored = await requestData(app.graphqlUrl, WorkerDocument, { id: workerId });
      expect(stored.worker).toBeNull();
      const instance = await fetch(
        `${app.emulator?.endpoint ?? ''}/_emulator/instances/dash-by-id`,
      ).then((answer) => answer.json() as Promise<{ state: string }>);
      expect(instance.state).toBe('running');
      expect(await sameDocument(page)).toBe(true);
    });

    it('should fit the fleet and a worker on a phone: no horizontal scroll, nothing cut off, axe clean', async () => {
      const phone = await browser.newContext({ viewport: PHONE });
      const small = await phone.newPage();
      const problems = watchPage(small, app.url);
      await small.goto(app.url);
      await row(small, 'cml-worker-04').waitFor();
      await small.locator('.workers[data-layout="cards"]').waitFor();
      // Samples and sparklines in, as a phone would show them.
      await row(small, 'cml-worker-04')
        .locator('.load-cpu .value')
        .filter({ hasText: '%' })
        .waitFor();

      const scrollWidth = () => small.evaluate(() => document.documentElement.scrollWidth);
      await expect(scrollWidth()).resolves.toBeLessThanOrEqual(PHONE.width);
      await expect(clippedElements(small)).resolves.toEqual([]);
      expect(await accessibilityViolations(small)).toEqual([]);

      for (const [width, layout] of [
        [768, 'compact'],
        [1280, 'table'],
      ] as const) {
        await small.setViewportSize({ width, height: 900 });
        await small.locator(`.workers[data-layout="${layout}"]`).waitFor();
        await expect(clippedElements(small)).resolves.toEqual([]);
      }
      await small.setViewportSize(PHONE);

      await row(small, 'cml-worker-01').getByRole('link', { name: 'cml-worker-01' }).click();
      await small.getByRole('heading', { name: 'cml-worker-01', exact: true }).waitFor();
      await small.getByRole('region', { name: 'CML', exact: true }).locator('table').waitFor();
      await small.locator('.chart canvas').first().waitFor();
      await expect(scrollWidth()).resolves.toBeLessThanOrEqual(PHONE.width);
      await expect(
        small.locator('.detail').evaluate((detail) => detail.scrollWidth <= detail.clientWidth),
      ).resolves.toBe(true);
      await expect(clippedElements(small)).resolves.toEqual([]);
      expect(await accessibilityViolations(small)).toEqual([]);
      expect(problems.problems).toEqual([]);
      await phone.close();
    }, 30_000);
  });

  describe('on a service with monitoring off', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ DASHBOARD_DIR: dashboardDir, WORKER_MONITORING_ENABLED: 'false' });
    }, 60_000);

    afterAll(async () => {
      await app?.close();
    });

    it('should say "Monitoring off" in the header, not "Live"', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const watched = watchPage(page, app.url);
      await page.goto(app.url);

      const indicator = page.locator('header [data-link]');
      await page.locator('[data-link="monitoring-off"]').waitFor({ timeout: 10_000 });
      await expect(indicator.innerText()).resolves.toBe('Monitoring off');
      await expect(indicator.getAttribute('title')).resolves.toMatch(
        /^WORKER_MONITORING_ENABLED=false/,
      );
      expect(watched.problems).toEqual([]);
      await context.close();
    });
  });
});
