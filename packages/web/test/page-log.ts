/**
 * What the browser pages of a test said while it ran: console errors and warnings, uncaught
 * exceptions, failed requests and WebSocket closes, newest last. A browser test that fails on a
 * loaded CI machine is read from its failure report alone, so the report carries this log
 * (page-log-setup.ts): a page whose socket closed or whose script threw says so there.
 */
import type { BrowserContext, Page } from 'playwright-core';

const MAX_LINES = 40;
const lines: string[] = [];
let pages = 0;

function record(page: string, text: string): void {
  lines.push(`${new Date().toISOString().slice(11, 23)} ${page} ${text.slice(0, 400)}`);
  if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
}

function watchPage(page: Page): void {
  const name = `page${++pages}`;
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') record(name, `console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => record(name, `uncaught: ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => record(name, `request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('websocket', (socket) => {
    record(name, `websocket opened: ${socket.url().replace(/token=[^&]+/, 'token=…')}`);
    socket.on('socketerror', (error) => record(name, `websocket error: ${error}`));
    socket.on('close', () => record(name, 'websocket closed'));
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string' && payload.startsWith('{"type":"error"')) record(name, `websocket error frame: ${payload}`);
    });
  });
  page.on('crash', () => record(name, 'page crashed'));
}

/** Records every page the context opens from now on. */
export function watchContext(context: BrowserContext): void {
  context.on('page', watchPage);
  for (const page of context.pages()) watchPage(page);
}

/** The last lines logged, by any test of this file (pages often outlive the test that opened them). */
export function recentPageLog(): string[] {
  return [...lines];
}
