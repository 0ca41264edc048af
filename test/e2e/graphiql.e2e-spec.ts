/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, chromiumPath, launchChromium } from '../support/browser';
import { ImportWorkerDocument, StopWorkerDocument } from '../generated/graphql';
import { requestData } from '../support/graphql-client';
import { startTestApp, TEST_REGION, type TestApp } from '../support/test-app';

if (!chromiumAvailable() && process.env.CI) {
  throw new Error(
    `Chromium is required in CI for the GraphiQL test and is missing at ${chromiumPath}`,
  );
}

/**
 * Replaces the text of GraphiQL's query editor (CodeMirror 5) and runs it. GraphiQL parses the
 * editor's text a moment after it changes, and picks HTTP or WebSocket from that parse, so the
 * click waits for it as a person's would.
 */
async function run(page: Page, query: string): Promise<void> {
  await page.evaluate((text) => {
    const editor = document.querySelector<
      HTMLElement & { CodeMirror: { setValue(value: string): void } }
    >('.graphiql-query-editor .CodeMirror');
    if (!editor) {
      throw new Error('GraphiQL query editor not found');
    }
    editor.CodeMirror.setValue(text);
  }, query);
  await page.waitForTimeout(500);
  await page.click('.graphiql-execute-button');
}

const responseText = (page: Page) => page.locator('.graphiql-response').innerText();

// Chromium comes from Debian's package, which .ci/run installs; outside CI a machine without it skips.
(chromiumAvailable() ? describe : describe.skip)('GraphiQL in a browser', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('should run a query and show a subscription event caused meanwhile', async () => {
    const [instance] =
      app.emulator?.fleet.addInstances({
        region: TEST_REGION,
        state: 'running',
        name: 'seen-in-browser',
      }) ?? [];
    const { importWorker: worker } = await requestData(app.graphqlUrl, ImportWorkerDocument, {
      input: { awsInstanceId: instance.instanceId },
    });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const origin = new URL(app.graphqlUrl).origin;
    const offOrigin: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(origin)) {
        offOrigin.push(req.url());
      }
    });

    await page.goto(app.graphqlUrl);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20_000 });
    const welcome = await page.evaluate(
      () =>
        document
          .querySelector<HTMLElement & { CodeMirror: { getValue(): string } }>(
            '.graphiql-query-editor .CodeMirror',
          )
          ?.CodeMirror.getValue() ?? '',
    );
    expect(welcome).toContain('query Fleet');
    expect(welcome).toContain('subscription LiveMetrics');
    await run(page, '{ workers { totalCount edges { node { name status } } } }');
    await page.waitForFunction(() =>
      document.querySelector('.graphiql-response')?.textContent?.includes('seen-in-browser'),
    );
    expect(await responseText(page)).toContain('"totalCount": 1');

    await run(
      page,
      `subscription { workerStatusChanged(workerId: "${worker.id}") { workerId previousStatus status } }`,
    );
    for (let attempt = 0; !(await responseText(page)).includes('UNKNOWN'); attempt += 1) {
      expect(attempt).toBeLessThan(200);
      await app.probe(worker.id);
      await page.waitForTimeout(50);
    }
    await requestData(app.graphqlUrl, StopWorkerDocument, { id: worker.id });
    await page.waitForFunction(
      () => document.querySelector('.graphiql-response')?.textContent?.includes('STOPPING'),
      undefined,
      {
        timeout: 10_000,
      },
    );

    expect(await responseText(page)).toContain('"previousStatus": "RUNNING"');
    expect(offOrigin).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
