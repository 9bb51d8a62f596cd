/**
 * Helpers for the web app's browser tests: build the app when its sources changed, launch the
 * system Chromium through playwright-core, and small UI steps (sign up, open, send).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { watchContext } from './page-log.js';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = join(WEB_DIR, '..', '..');
export const ARTIFACTS_DIR = join(REPO_DIR, 'test-artifacts', 'web');

/** Whether Chromium is here; under CI=true its absence is a failure, elsewhere a skip with a reason. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true requires Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  console.warn(`\n⚠ Web app browser suite skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
  return false;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Runs `vite build packages/web` unless dist/index.html is newer than every source (the app's, its public files and the SDK's). */
export function buildWebAppIfStale(): void {
  const built = join(WEB_DIR, 'dist', 'index.html');
  const sources = [join(WEB_DIR, 'src'), join(WEB_DIR, 'public'), join(WEB_DIR, 'index.html'), join(WEB_DIR, 'vite.config.ts'), join(REPO_DIR, 'packages', 'sdk', 'src')];
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, [join(REPO_DIR, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'packages/web'], { cwd: REPO_DIR, stdio: 'pipe' });
}

/** `extraArgs`: more command-line switches, e.g. `--host-resolver-rules` to reach loopback by another name. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
  // Every context's pages feed the log a failed test reports (page-log.ts); newPage goes through newContext.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    watchContext(context);
    return context;
  };
  return browser;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`) });
}

/** Polls until `check` returns true, failing with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const PASSWORD = 'correct horse battery';

/** Fills the start screen's form with `username` and the shared password, and submits it with `button`. */
async function enter(page: Page, baseUrl: string, username: string, button: 'Sign up' | 'Log in'): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.getByRole('button', { name: 'New conversation' }).waitFor();
}

export const signUp = (page: Page, baseUrl: string, username: string): Promise<void> => enter(page, baseUrl, username, 'Sign up');

export const logIn = (page: Page, baseUrl: string, username: string): Promise<void> => enter(page, baseUrl, username, 'Log in');

/**
 * Creates a group from the UI and waits for its conversation view. A form that answers with an
 * error instead fails at once, saying what it said (a bare time-out would not).
 */
export async function createGroup(page: Page, title: string, members: string[]): Promise<void> {
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Members').fill(members.join(', '));
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const opened = page.getByRole('heading', { name: title, level: 2 });
  const refused = page.locator('.new-conversation').locator('.field__error, .form-error');
  await opened.or(refused).first().waitFor();
  if (!(await opened.isVisible())) throw new Error(`Creating the group "${title}" was refused: ${(await refused.allTextContents()).join(' ')}`);
}

export async function openConversation(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Conversation list' })
    .getByRole('link')
    .filter({ has: page.locator('.conversation-item__name').getByText(name, { exact: true }) })
    .click();
  await page.getByRole('heading', { name, level: 2 }).waitFor();
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

/** The texts of the confirmed and pending messages on screen, in order. */
export function messageTexts(page: Page): Promise<string[]> {
  return page.locator('.messages .message__text').allTextContents();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What has keyboard focus: its label (aria-label, a <label>, else its text). */
export function focusedName(page: Page): Promise<string> {
  // A string, evaluated in the page: this file is compiled without DOM types.
  return page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    const labelled = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '';
    return labelled.trim();
  })()`);
}

/**
 * Asserts that focus comes to rest on the element named `expected` within `timeoutMs`. Focus moves in an
 * effect after a panel renders, a moment after it is visible: reading it at once races that effect.
 */
export async function expectFocusOn(page: Page, expected: string | RegExp, timeoutMs = 5_000): Promise<void> {
  const matches = (name: string) => (typeof expected === 'string' ? name === expected : expected.test(name));
  const deadline = Date.now() + timeoutMs;
  let name = await focusedName(page);
  while (!matches(name) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    name = await focusedName(page);
  }
  if (!matches(name)) throw new Error(`expected focus on ${String(expected)}, but it is on "${name}"`);
}

/** Presses Tab (or Shift+Tab) until the element named `name` has focus: how a keyboard user gets there. */
export async function tabTo(page: Page, name: string, options: { backwards?: boolean; maxPresses?: number } = {}): Promise<void> {
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < (options.maxPresses ?? 40); i++) {
    if ((await focusedName(page)) === name) return;
    await page.keyboard.press(key);
  }
  throw new Error(`"${name}" was not reached with ${key}; focus is on "${await focusedName(page)}"`);
}
