/**
 * Issue 13, defect 8 as a person meets it: the OpenAPI UI at /docs, opened in headless Chromium
 * over plain HTTP by a name other than localhost (mapped to loopback inside the browser), renders,
 * and neither it nor the page at / loses a request to a policy that upgrades its own assets to
 * https. Skipped with a message when Chromium is missing, except under CI=true.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../packages/web/test/helpers.js';
import { startServer, type TestServer } from '../helpers/server.js';

const available = chromiumAvailable();
const NAME = 'chat.example.test';

describe.skipIf(!available)('pages over plain HTTP on a public name, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;
  beforeAll(async () => {
    server = await startServer({ env: { ALLOWED_HOSTS: NAME } });
    origin = `http://${NAME}:${new URL(server.url).port}`;
    browser = await launchChromium([`--host-resolver-rules=MAP ${NAME} 127.0.0.1`]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * Opens `path` and collects every request that failed: with upgrade-insecure-requests the
   * page's own scripts and styles went to https, where nothing answers. (Console complaints are
   * not counted: Chromium notes over http that it ignores Cross-Origin-Opener-Policy, and the
   * UI's bundle tries one inline style that its policy refuses, on any host and scheme.)
   */
  async function open(path: string): Promise<{ page: Page; failures: string[] }> {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('requestfailed', (request) => failures.push(`${request.url()}: ${request.failure()?.errorText}`));
    await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    return { page, failures };
  }

  it('regression (issue 13, defect 8): /docs renders the API documentation, every asset loaded over http', async () => {
    const { page, failures } = await open('/docs');
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Pneumatic' }).waitFor({ timeout: 15_000 });
    // An operation of the document, so the UI fetched /docs/json too.
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(failures).toEqual([]);
    expect(page.url().startsWith('http://')).toBe(true);
    await page.close();
  });

  it('/ loads with every asset over http', async () => {
    const { page, failures } = await open('/');
    await page.waitForLoadState('networkidle');
    expect(failures).toEqual([]);
    await page.close();
  });
});
