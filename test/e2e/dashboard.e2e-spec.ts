/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium } from '../support/browser';
import { buildDashboard, gzippedJavaScriptBytes } from '../support/dashboard-build';
import { accessibilityViolations, firingAlerts, row, watchPage } from '../support/dashboard-page';
import {
  ImportWorkerIdsDocument,
  StartWorkerDocument,
  UpdateWorkerDocument,
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
const JS_BUDGET_BYTES = 250 * 1024;
const VIEWER_KEY = 'dashboard-viewer-key-0123456789';
const OPERATOR_KEY = 'dashboard-operator-key-0123456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const DISCOVER = 'Discover and import…';

(chromiumAvailable() ? describe : describe.skip)('the fleet dashboard in a browser', () => {
  let dashboardDir: string;
  let browser: Browser;

  beforeAll(async () => {
    dashboardDir = await mkdtemp(path.join(tmpdir(), 'cwm-dashboard-'));
    await buildDashboard(dashboardDir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rm(dashboardDir, { recursive: true, force: true });
  });

  it('should ship at most 250 KB of gzipped JavaScript', async () => {
    const bytes = await gzippedJavaScriptBytes(dashboardDir);

    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(JS_BUDGET_BYTES);
  });

  describe('without authentication', () => {
    let app: TestApp;
    let context: BrowserContext;
    let page: Page;
    let watched: { problems: string[] };
    const emulator = (method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      emulatorControl(app.emulator?.endpoint ?? '', method, path, body);
    const instanceIdOf = async (name: string) =>
      (await row(page, name).locator('.mono').innerText()).trim();

    beforeAll(async () => {
      app = await startTestApp({
        DASHBOARD_DIR: dashboardDir,
        EMULATOR_DEMO_FLEET: 'true',
        WORKER_METRICS_POLL_INTERVAL: String(POLL_INTERVAL_SECONDS),
        // A license change is read within a poll, not the ten minutes CML's details wait.
        CML_DETAILS_REFRESH: `${POLL_INTERVAL_SECONDS}s`,
      });
      context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      page = await context.newPage();
      watched = watchPage(page, app.url);
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await app?.close();
    });

    afterEach(() => {
      expect(watched.problems).toEqual([]);
    });

    it('should list the demo fleet, go live and pass axe on the fleet view', async () => {
      await page.goto(app.url);

      await page.locator('[data-link="live"]').waitFor({ timeout: 10_000 });
      await row(page, 'cml-worker-04').waitFor();
      const names = await page.locator('.worker-row .name a').allInnerTexts();
      expect(names).toEqual(['cml-worker-01', 'cml-worker-02', 'cml-worker-03', 'cml-worker-04']);
      await expect(page.locator('[data-counter="total"]').innerText()).resolves.toBe('4');
      await expect(page.locator('[data-counter="running"]').innerText()).resolves.toBe('4');
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    it("should show each worker's CML status and running labs once polled, and follow them live", async () => {
      const cml = (name: string) => row(page, name).locator('.cell.cml');
      const within = { timeout: 2 * POLL_INTERVAL_SECONDS * 1000 + 2_000 };
      // The demo fleet's labs: 01 one started (8 nodes) and one stopped, 02 one started (12),
      // 03 none, 04 one never started.
      const expected = {
        'cml-worker-01': '1 lab · 8 nodes',
        'cml-worker-02': '1 lab · 12 nodes',
        'cml-worker-03': 'no lab',
        'cml-worker-04': 'no lab',
      };
      for (const [name, labs] of Object.entries(expected)) {
        await cml(name).locator('[data-cml-status="AVAILABLE"]').waitFor(within);
        await expect(cml(name).locator('.labs').innerText()).resolves.toBe(labs);
      }

      await emulator('POST', 'instances/cml-worker-04/labs', {
        title: 'started-live',
        nodes: 3,
        state: 'STARTED',
      });
      await cml('cml-worker-04').filter({ hasText: '1 lab · 3 nodes' }).waitFor(within);

      await emulator('POST', 'instances/cml-worker-02/cml', { available: false });
      const badge = cml('cml-worker-02').locator('[data-cml-status="UNAVAILABLE"]');
      await badge.waitFor(within);
      await row(page, 'cml-worker-02')
        .locator('.cell.alerts', { hasText: 'CML unavailable' })
        .waitFor(within);
      // The last labs seen stay, as the service keeps them.
      await expect(cml('cml-worker-02').locator('.labs').innerText()).resolves.toBe(
        '1 lab · 12 nodes',
      );
      // Samples carry no reason: a fetch of the fleet brings it, as the next resync would.
      await page.reload();
      await badge.waitFor();
      await expect(badge.getAttribute('title')).resolves.toMatch(
        /^The instance runs but the CML API did not answer: CML is unreachable: .+/,
      );
      await expect(badge.textContent()).resolves.toMatch(
        /^CML UNAVAILABLE: CML is unreachable: .+/,
      );
      expect(await accessibilityViolations(page)).toEqual([]);

      await emulator('DELETE', 'instances/cml-worker-02/cml');
      await cml('cml-worker-02').locator('[data-cml-status="AVAILABLE"]').waitFor(within);
      await expect(badge.count()).resolves.toBe(0);
    });

    it('should filter by name and sort by CPU', async () => {
      await page.getByLabel('Name').fill('worker-02');
      await expect(page.locator('.worker-row .name a').allInnerTexts()).resolves.toEqual([
        'cml-worker-02',
      ]);
      await page.getByLabel('Name').fill('');

      await page.getByRole('button', { name: /^CPU/ }).click();
      await page.locator('.worker-row').nth(3).waitFor();
      const shown = await page.locator('.worker-row .cell.load .value').allInnerTexts();
      const cpu = shown
        .filter((_value, index) => index % 2 === 0)
        .map((value) => Number.parseFloat(value));
      expect(cpu).toEqual([...cpu].sort((a, b) => b - a));
      await page.getByRole('button', { name: /^Name/ }).click();
    });

    it('should show a CPU alert on the row and in the panel within two poll intervals, without a reload', async () => {
      const instanceId = await instanceIdOf('cml-worker-01');
      const reloads: string[] = [];
      page.on('framenavigated', (frame) => reloads.push(frame.url()));

      await emulator('POST', `instances/${instanceId}/metrics`, { cpu: 97 });

      const within = { timeout: 2 * POLL_INTERVAL_SECONDS * 1000 + 1_000 };
      await row(page, 'cml-worker-01').and(page.locator('[data-alerting="true"]')).waitFor(within);
      const firing = firingAlerts(page);
      const cpuAlert = firing.filter({ hasText: 'cml-worker-01' }).filter({ hasText: 'CPU high' });
      await cpuAlert.waitFor(within);
      await expect(cpuAlert.innerText()).resolves.toContain('97.0%');
      await expect(
        row(page, 'cml-worker-01').locator('.cell.alerts').innerText(),
      ).resolves.toContain('CPU high');
      // The demo fleet's own curves may take another worker over its threshold meanwhile.
      const alertingRows = await page.locator('.worker-row[data-alerting="true"]').count();
      expect(alertingRows).toBeGreaterThanOrEqual(1);
      await expect(page.locator('[data-counter="alerting"]').innerText()).resolves.toBe(
        String(alertingRows),
      );
      expect(reloads).toEqual([]);
    });

    it('should acknowledge an alert', async () => {
      const alert = firingAlerts(page)
        .filter({ hasText: 'cml-worker-01' })
        .filter({ hasText: 'CPU high' });

      await alert.getByRole('button', { name: 'Acknowledge' }).click();

      await alert.locator('.acknowledged').waitFor();
      await expect(alert.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);
    });

    it('should open a worker with charts, thresholds and alerts, and pass axe there', async () => {
      await row(page, 'cml-worker-01').getByRole('link', { name: 'cml-worker-01' }).click();

      await page.getByRole('heading', { name: 'cml-worker-01' }).waitFor();
      await page.getByRole('img', { name: /^CPU chart, threshold 90 %/ }).waitFor();
      await page.getByRole('img', { name: /^Memory chart, threshold 90 %/ }).waitFor();
      await page.locator('.detail .alert-item', { hasText: 'CPU high' }).waitFor();
      expect(await page.locator('.chart canvas').count()).toBe(2);
      await expect(page.locator('.chart .u-legend').allInnerTexts()).resolves.toEqual([
        expect.stringContaining('Threshold'),
        expect.stringContaining('Threshold'),
      ]);
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    it("should show the worker's CML controller, its license and its labs, running ones first", async () => {
      const section = page.getByRole('region', { name: 'CML', exact: true });
      const fact = (label: string) =>
        section.locator('.facts > div', { has: page.locator('dt', { hasText: label }) });

      await section.locator('[data-cml-status="AVAILABLE"]').waitFor();
      await expect(fact('Endpoint').locator('dd').innerText()).resolves.toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/cml\/i-[0-9a-f]+$/,
      );
      await expect(fact('Version').locator('dd').innerText()).resolves.toMatch(/^2\./);
      await expect(fact('Ready').locator('dd').innerText()).resolves.toBe('yes');
      await expect(fact('Running').locator('dd').innerText()).resolves.toBe('1 lab · 8 nodes');
      await expect(fact('In all').locator('dd').innerText()).resolves.toBe('2 labs · 12 nodes');

      const license = section.getByRole('region', { name: 'License' });
      await expect(license.getAttribute('data-license')).resolves.toBe('valid');
      await expect(license.locator('dd').allInnerTexts()).resolves.toEqual([
        'COMPLETED',
        'IN_COMPLIANCE',
        expect.stringMatching(/\(in (299|300) d\)$/),
        'yes',
      ]);
      expect(await license.locator('.license-flag').count()).toBe(0);

      const labs = section.getByRole('table', { name: /^Labs on cml-worker-01/ });
      await expect(labs.locator('tbody tr').allInnerTexts()).resolves.toEqual([
        expect.stringMatching(/^ccna-lab-1\tStarted\tyes\tstudent07\t8\t/),
        expect.stringMatching(/^ospf-troubleshooting\tStopped\tno\tstudent12\t4\t/),
      ]);
    });

    it('should show STOPPING then STOPPED live after Stop, and the change on the timeline', async () => {
      const badge = page.locator('.detail-header [data-status]');
      await page.getByRole('button', { name: 'Stop', exact: true }).click();

      await page.locator('.detail-header [data-status="STOPPING"]').waitFor({ timeout: 5_000 });
      await page.locator('.detail-header [data-status="STOPPED"]').waitFor({ timeout: 15_000 });
      await expect(badge.innerText()).resolves.toBe('STOPPED');
      await page.locator('.timeline li', { hasText: 'STOPPED' }).first().waitFor();
    });

    it("should show a stopped worker's CML as not running, with no lab known", async () => {
      const section = page.getByRole('region', { name: 'CML', exact: true });

      await section.locator('[data-cml-status="NOT_APPLICABLE"]').waitFor({ timeout: 10_000 });

      await expect(section.locator('[data-cml-status]').textContent()).resolves.toBe(
        'CML not running',
      );
      await section
        .locator('[data-labs-empty]', { hasText: 'the instance is not running' })
        .waitFor({ timeout: 5_000 });
    });

    it("should show the API's message when an action is refused", async () => {
      await emulator('PUT', 'faults', {
        action: 'StartInstances',
        serverErrorRate: 1,
        serverErrorStatus: 503,
      });

      await page.getByRole('button', { name: 'Start', exact: true }).click();

      const refusal = page.locator('.actions [role="alert"]');
      await refusal.waitFor({ timeout: 20_000 });
      const workerId = decodeURIComponent(new URL(page.url()).hash.replace('#/workers/', ''));
      const answer = await request(app.graphqlUrl, StartWorkerDocument, { id: workerId });
      await expect(refusal.innerText()).resolves.toBe(answer.errors?.[0]?.message);
      expect(answer.errors?.[0]?.message).toContain('AWS failed the request');
      await expect(page.locator('.detail-header [data-status]').innerText()).resolves.toBe(
        'STOPPED',
      );
      await emulator('DELETE', 'faults');
    }, 40_000);

    it('should terminate only after the name is typed', async () => {
      await page.getByRole('button', { name: 'Terminate…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Terminate cml-worker-01?' });
      const confirm = dialog.getByRole('button', { name: 'Terminate', exact: true });
      await expect(confirm.isDisabled()).resolves.toBe(true);
      await dialog.getByRole('textbox').fill('cml-worker-0');
      await expect(confirm.isDisabled()).resolves.toBe(true);

      await dialog.getByRole('textbox').fill('cml-worker-01');
      await confirm.click();

      await page
        .locator(
          '.detail-header [data-status="SHUTTING_DOWN"], .detail-header [data-status="TERMINATED"]',
        )
        .waitFor({ timeout: 10_000 });
    });

    it('should flag an invalid license and one about to expire, with their alerts, and say when a worker has no lab', async () => {
      await emulator('POST', 'instances/cml-worker-03/cml', { license: 'unregistered' });
      await emulator('POST', 'instances/cml-worker-04/cml', { licenseExpiresInDays: 5 });
      await page.getByRole('link', { name: '← Fleet' }).click();
      const within = { timeout: 3 * POLL_INTERVAL_SECONDS * 1000 + 2_000 };
      const firing = firingAlerts(page);
      await firing
        .filter({ hasText: 'cml-worker-03' })
        .filter({ hasText: 'License invalid' })
        .waitFor(within);
      const expiring = firing
        .filter({ hasText: 'cml-worker-04' })
        .filter({ hasText: 'License expiring' });
      await expiring.waitFor(within);
      await expect(expiring.locator('.measured').innerText()).resolves.toMatch(
        /^[45] d left, warned from 14 d$/,
      );

      await row(page, 'cml-worker-03').getByRole('link', { name: 'cml-worker-03' }).click();
      const section = page.getByRole('region', { name: 'CML', exact: true });
      await section.locator('[data-license="invalid"]').waitFor();
      await expect(section.locator('.license-flag').innerText()).resolves.toContain('Not valid');
      await expect(section.getByRole('region', { name: /^Labs/ }).innerText()).resolves.toContain(
        'No labs on this controller.',
      );
      expect(await section.getByRole('table').count()).toBe(0);

      await page.getByRole('link', { name: '← Fleet' }).click();
      await row(page, 'cml-worker-04').getByRole('link', { name: 'cml-worker-04' }).click();
      await section.locator('[data-license="expiring"]').waitFor();
      await expect(section.locator('.license-flag').innerText()).resolves.toMatch(
        /^Expires in [45] d/,
      );
    });

    it('should discover unregistered instances, import the chosen ones and list them, with a failure said', async () => {
      await page.getByRole('link', { name: '← Fleet' }).click();
      const tags = { team: 'dashboard-e2e' };
      for (const name of ['lab-import-a', 'lab-import-b', 'lab-import-c']) {
        await emulator('POST', 'instances', { region: TEST_REGION, name, tags });
      }
      await emulator('POST', 'instances', {
        region: TEST_REGION,
        name: 'not-ours',
        tags: { team: 'other' },
      });
      const opener = page.getByRole('button', { name: DISCOVER });
      await opener.click();

      const dialog = page.getByRole('dialog', { name: 'Discover and import instances' });
      const listed = dialog.locator('tbody tr');
      await dialog.locator('tr', { hasText: 'not-ours' }).waitFor();
      // The demo fleet is registered already: only the new instances are offered.
      await expect(listed.count()).resolves.toBe(4);
      expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(
        true,
      );
      await dialog.getByLabel('Tags').fill('team=dashboard-e2e');
      await dialog.getByLabel('Tags').press('Enter');
      await dialog.locator('tr', { hasText: 'not-ours' }).waitFor({ state: 'detached' });
      const names = await listed.locator('td:nth-child(2)').allInnerTexts();
      expect(names.sort()).toEqual(['lab-import-a', 'lab-import-b', 'lab-import-c']);
      expect(await accessibilityViolations(page)).toEqual([]);

      await dialog.getByRole('checkbox', { name: 'Select lab-import-a' }).check();
      await dialog.getByRole('checkbox', { name: 'Select lab-import-b' }).press('Space');
      await dialog.getByRole('button', { name: 'Import 2 instances' }).click();

      const outcome = dialog.getByRole('status');
      await outcome.filter({ hasText: 'Imported 2 workers.' }).waitFor({ timeout: 10_000 });
      await expect(listed.locator('td:nth-child(2)').allInnerTexts()).resolves.toEqual([
        'lab-import-c',
      ]);
      await row(page, 'lab-import-a').waitFor();
      await row(page, 'lab-import-b').waitFor();

      // Registered by someone else since it was listed: the import says so, and why.
      const lateId = (await listed.first().getAttribute('data-instance-id')) ?? '';
      await requestData(app.graphqlUrl, ImportWorkerIdsDocument, {
        inputs: [{ awsInstanceId: lateId, awsRegion: TEST_REGION }],
      });
      await dialog.getByRole('checkbox', { name: 'Select all' }).check();
      await dialog.getByRole('button', { name: 'Import 1 instance' }).click();
      await outcome.filter({ hasText: 'Imported 0 workers.' }).waitFor({ timeout: 10_000 });
      await expect(
        dialog.getByRole('list', { name: 'Import failures' }).innerText(),
      ).resolves.toMatch(new RegExp(`^${lateId} CONFLICT: .+`));

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await opener.evaluate((element) => element === document.activeElement)).toBe(true);
    });
  });

  describe('when the live connection drops', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ DASHBOARD_DIR: dashboardDir, EMULATOR_DEMO_FLEET: 'true' });
    }, 60_000);

    afterAll(async () => {
      await app?.close();
    });

    it('should say it is reconnecting, then refetch what changed meanwhile', async () => {
      const context = await browser.newContext();
      // Sockets opened while the flag is up go to a closed port: the service seems gone.
      await context.addInitScript(() => {
        const NativeWebSocket = window.WebSocket;
        const state = window as unknown as { sockets: WebSocket[]; unreachable: boolean };
        state.sockets = [];
        state.unreachable = false;
        window.WebSocket = class extends NativeWebSocket {
          constructor(url: string | URL, protocols?: string | string[]) {
            super(state.unreachable ? 'ws://127.0.0.1:9/' : url, protocols);
            state.sockets.push(this);
          }
        };
      });
      const page = await context.newPage();
      await page.goto(app.url);
      await page.locator('[data-link="live"]').waitFor({ timeout: 10_000 });
      await row(page, 'cml-worker-03').waitFor();

      await page.evaluate(() => {
        const state = window as unknown as { sockets: WebSocket[]; unreachable: boolean };
        state.unreachable = true;
        state.sockets.forEach((socket) => socket.close());
      });
      await page.locator('[data-link="reconnecting"]').waitFor();
      // No event announces a new name: only a refetch can show it.
      const workerId = await row(page, 'cml-worker-03').getAttribute('data-worker-id');
      await requestData(app.graphqlUrl, UpdateWorkerDocument, {
        id: workerId ?? '',
        input: { name: 'renamed-while-offline' },
      });
      await page.waitForTimeout(300);
      await page.evaluate(() => {
        (window as unknown as { unreachable: boolean }).unreachable = false;
      });

      await page.locator('[data-link="live"]').waitFor({ timeout: 15_000 });
      await row(page, 'renamed-while-offline').waitFor({ timeout: 5_000 });
      await context.close();
    }, 40_000);
  });

  describe('with API keys', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({
        DASHBOARD_DIR: dashboardDir,
        EMULATOR_DEMO_FLEET: 'true',
        WORKER_METRICS_POLL_INTERVAL: String(POLL_INTERVAL_SECONDS),
        API_KEYS: `dash-viewer:viewer:${sha256(VIEWER_KEY)},dash-operator:operator:${sha256(OPERATOR_KEY)}`,
      });
    }, 60_000);

    afterAll(async () => {
      await app?.close();
    });

    async function signIn(
      key: string,
    ): Promise<{ page: Page; context: BrowserContext; watched: { problems: string[] } }> {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const watched = watchPage(page, app.url);
      await page.goto(app.url);
      await page.getByLabel('API key', { exact: true }).fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('[data-link="live"]').waitFor({ timeout: 10_000 });
      await row(page, 'cml-worker-01').waitFor();
      return { page, context, watched };
    }

    it('should ask for a key, say when it is refused, and pass axe on the prompt', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(app.url);
      await page.getByLabel('API key', { exact: true }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);

      await page.getByLabel('API key', { exact: true }).fill('not-a-key');
      await page.getByRole('button', { name: 'Sign in' }).click();

      await page.getByRole('alert').filter({ hasText: 'The key was refused' }).waitFor();
      await context.close();
    });

    it('should show a viewer no action buttons, and the live data', async () => {
      const { page, context, watched } = await signIn(VIEWER_KEY);
      await expect(page.locator('.identity').innerText()).resolves.toContain(
        'dash-viewer (viewer)',
      );
      const instanceId = (await row(page, 'cml-worker-02').locator('.mono').innerText()).trim();
      await emulatorControl(
        app.emulator?.endpoint ?? '',
        'POST',
        `instances/${instanceId}/metrics`,
        {
          cpu: 98,
        },
      );
      const firing = firingAlerts(page);
      await firing
        .filter({ hasText: 'cml-worker-02' })
        .filter({ hasText: 'CPU high' })
        .waitFor({ timeout: 10_000 });

      expect(await page.getByRole('button', { name: /^(Acknowledge|Silence…)$/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: DISCOVER }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'New worker…' }).count()).toBe(0);
      await row(page, 'cml-worker-02').getByRole('link', { name: 'cml-worker-02' }).click();
      await page.getByRole('heading', { name: 'cml-worker-02' }).waitFor();
      await page.locator('.detail .alert-item').first().waitFor();
      expect(await page.getByRole('group', { name: 'Worker actions' }).count()).toBe(0);
      expect(
        await page
          .getByRole('button', {
            name: /^(Start|Stop|Refresh|Edit…|Silence…|Terminate…|Remove…|Acknowledge)$/,
          })
          .count(),
      ).toBe(0);
      expect(watched.problems).toEqual([]);
      await context.close();
    });

    it('should show an operator the action buttons and the Discover button', async () => {
      const { page, context, watched } = await signIn(OPERATOR_KEY);
      await page.getByRole('button', { name: DISCOVER }).waitFor();
      await row(page, 'cml-worker-03').getByRole('link', { name: 'cml-worker-03' }).click();

      const actions = page.getByRole('group', { name: 'Worker actions' });
      await actions.waitFor();
      await expect(actions.getByRole('button').allInnerTexts()).resolves.toEqual([
        'Start',
        'Stop',
        'Refresh',
        'Edit…',
        'Silence…',
        'Terminate…',
        'Remove…',
      ]);
      await actions.getByRole('button', { name: 'Silence…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Silence alerts' });
      await expect(dialog.locator('.silence-preview strong').innerText()).resolves.toBe(
        'Every alert of cml-worker-03',
      );
      expect(await dialog.getByRole('radio').count()).toBe(0);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(watched.problems).toEqual([]);
      await context.close();
    });

    describe('with several workers firing', () => {
      let operator: Awaited<ReturnType<typeof signIn>>;
      const cpuGroup = (page = operator.page) =>
        page.locator('.alert-group', {
          has: page.getByRole('button', { name: /^CPU high · WARNING · / }),
        });
      const silenceEntry = (page: Page, list: string) =>
        page
          .getByRole('list', { name: list })
          .getByRole('listitem')
          .filter({ hasText: 'CPU high alerts of cml-worker-01' });

      beforeAll(async () => {
        operator = await signIn(OPERATOR_KEY);
      });

      afterAll(async () => {
        await operator?.context.close();
      });

      afterEach(() => {
        expect(operator.watched.problems).toEqual([]);
      });

      it('should head the workers firing one kind in one region with their count, closed until opened', async () => {
        const { page } = operator;
        const names = ['cml-worker-01', 'cml-worker-02', 'cml-worker-03', 'cml-worker-04'];
        for (const name of names) {
          const instanceId = (await row(page, name).locator('.mono').innerText()).trim();
          await emulatorControl(
            app.emulator?.endpoint ?? '',
            'POST',
            `instances/${instanceId}/metrics`,
            { cpu: 97 },
          );
        }
        const region = (
          await row(page, 'cml-worker-01').locator('.where span').first().innerText()
        ).trim();
        const header = page.getByRole('button', {
          name: `CPU high · WARNING · ${region} — 4 workers`,
          exact: true,
        });

        await header.waitFor({ timeout: 3 * POLL_INTERVAL_SECONDS * 1000 + 2_000 });
        await expect(header.getAttribute('aria-expanded')).resolves.toBe('false');
        expect(await cpuGroup().locator('.alert-item').count()).toBe(0);

        await header.click();

        await expect(header.getAttribute('aria-expanded')).resolves.toBe('true');
        const workers = await cpuGroup().locator('.alert-item a').allInnerTexts();
        expect(workers.sort()).toEqual(names);
      });

      it("should silence an alert from its row, mark it and count it in its group, and list the silence; the API's refusal is said in the dialog", async () => {
        const { page } = operator;
        const alert = cpuGroup().locator('.alert-item', { hasText: 'cml-worker-01' });
        await alert.getByRole('button', { name: 'Silence…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Silence alerts' });
        const preview = dialog.locator('.silence-preview strong');
        await expect(preview.innerText()).resolves.toBe('CPU high alerts of cml-worker-01');
        await dialog.getByRole('radio', { name: /^Every worker in / }).check();
        await expect(preview.innerText()).resolves.toMatch(/^CPU high alerts in [a-z]+-[a-z]+-\d$/);
        await dialog.getByRole('radio', { name: 'cml-worker-01 only' }).check();
        await dialog.getByLabel('Duration').selectOption({ label: '30 min' });
        const submit = dialog.getByRole('button', { name: 'Silence', exact: true });
        await expect(submit.isDisabled()).resolves.toBe(true);
        await dialog.getByLabel('Comment').fill('kernel upgrade on 01');

        // The API checks the end against its own clock: one in the past, as a skewed clock would send.
        await page.route('**/graphql', async (route) => {
          const body = route.request().postDataJSON() as {
            query: string;
            variables: { input?: { endsAt: string } };
          };
          if (body.variables.input && body.query.includes('createSilence')) {
            body.variables.input.endsAt = new Date(Date.now() - 60_000).toISOString();
          }
          await route.continue({ postData: JSON.stringify(body) });
        });
        await submit.click();
        await expect(dialog.getByRole('alert').innerText()).resolves.toMatch(/endsAt/);
        await page.unroute('**/graphql');

        await submit.click();

        await dialog.waitFor({ state: 'detached' });
        await alert.locator('.badge.silenced').waitFor();
        await expect(cpuGroup().getByRole('button').first().innerText()).resolves.toMatch(
          / — 4 workers · 1 silenced$/,
        );
        const entry = silenceEntry(page, 'Active and pending silences');
        await expect(entry.innerText()).resolves.toMatch(
          /^ACTIVE\s+CPU high alerts of cml-worker-01\s+started \d+ s ago · ends in (29|30) min\s+kernel upgrade on 01\s+by dash-operator\s+Expire$/,
        );
        expect(await accessibilityViolations(page)).toEqual([]);

        const viewer = await signIn(VIEWER_KEY);
        await silenceEntry(viewer.page, 'Active and pending silences').waitFor();
        await cpuGroup(viewer.page).getByRole('button').first().click();
        await cpuGroup(viewer.page).locator('.alert-item .badge.silenced').waitFor();
        expect(await viewer.page.getByRole('button', { name: /^(Silence…|Expire)$/ }).count()).toBe(
          0,
        );
        expect(viewer.watched.problems).toEqual([]);
        await viewer.context.close();
      });

      it('should expire a silence: listed as expired, and the alert no longer silenced', async () => {
        const { page } = operator;
        await silenceEntry(page, 'Active and pending silences')
          .getByRole('button', { name: 'Expire' })
          .click();

        const expired = silenceEntry(page, 'Expired silences');
        await expired.waitFor();
        await expect(expired.innerText()).resolves.toMatch(/^EXPIRED\s.+\sended \d+ s ago\s/s);
        expect(await expired.getByRole('button').count()).toBe(0);
        await page.getByText('Nothing is silenced.').waitFor();
        await cpuGroup()
          .locator('.alert-item', { hasText: 'cml-worker-01' })
          .locator('.badge.silenced')
          .waitFor({ state: 'detached' });
      });
    });
  });
});
