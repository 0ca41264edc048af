/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

/** Serious and critical axe-core violations of the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

/** Fails the test on anything the page logs as an error, a CSP refusal included, or asks of another origin. */
export function watchPage(page: Page, origin: string): { problems: string[] } {
  const watched = { problems: [] as string[] };
  page.on('pageerror', (error) => watched.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      watched.problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('request', (request) => {
    if (
      !request.url().startsWith(origin) &&
      !request.url().startsWith(origin.replace('http', 'ws'))
    ) {
      watched.problems.push(`request to another origin: ${request.url()}`);
    }
  });
  return watched;
}

export const row = (page: Page, name: string) => page.locator('.worker-row', { hasText: name });

/** The firing alerts' rows, whether alone or under their group's header. */
export const firingAlerts = (page: Page) =>
  page.getByRole('list', { name: 'Firing alerts' }).locator('.alert-item');

/**
 * The elements whose content is wider than their box and clipped (hidden overflow, an
 * ellipsis, a scroll), each as `tag.class "text"`: text cut off. The visually hidden ones are
 * for screen readers and clipped on purpose.
 */
export function clippedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const clipped: string[] = [];
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (element.closest('.visually-hidden') || element.clientWidth === 0) {
        continue;
      }
      const style = getComputedStyle(element);
      const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
      if (clips && element.scrollWidth > element.clientWidth + 1) {
        clipped.push(
          `${element.tagName.toLowerCase()}.${element.className} "${element.innerText.slice(0, 40)}"`,
        );
      }
    }
    return clipped;
  });
}
