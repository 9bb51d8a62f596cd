/**
 * What a browser suite sets up and tears down: the web app built if stale, a real server with the
 * suite's settings, Chromium, a context per user (pages do not share storage, so each is its own
 * log-in) and SDK clients for arranging things through the API. `close` releases all of it.
 */
import { PneumaticClient } from '@pneumatic/client';
import type { User } from '@pneumatic/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { PASSWORD, buildWebAppIfStale, launchChromium } from './helpers.js';

export interface BrowserWorldOptions {
  /** The server's environment, on top of RATE_LIMITS=off. */
  env?: Record<string, string>;
  viewport?: { width: number; height: number };
}

export class BrowserWorld {
  private readonly contexts: BrowserContext[] = [];
  private readonly clients: PneumaticClient[] = [];

  private constructor(
    readonly server: TestServer,
    readonly browser: Browser,
    private readonly viewport: { width: number; height: number },
  ) {}

  static async start(options: BrowserWorldOptions = {}): Promise<BrowserWorld> {
    buildWebAppIfStale();
    const server = await startServer({ env: { RATE_LIMITS: 'off', ...options.env } });
    const browser = await launchChromium().catch(async (error: unknown) => {
      await server.close();
      throw error;
    });
    return new BrowserWorld(server, browser, options.viewport ?? { width: 1280, height: 900 });
  }

  get url(): string {
    return this.server.url;
  }

  /** A page in a fresh context: a device of its own. */
  async newPage(): Promise<Page> {
    const context = await this.browser.newContext({ viewport: this.viewport });
    this.contexts.push(context);
    return context.newPage();
  }

  /** Registers `username` (the suites' PASSWORD) through the SDK: the client, logged in, and the user. */
  async account(username: string): Promise<{ client: PneumaticClient; user: User }> {
    const client = new PneumaticClient({ baseUrl: this.server.url });
    this.clients.push(client);
    const { user } = await client.register(username, PASSWORD);
    return { client, user };
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    for (const client of this.clients) client.close();
    await this.browser.close();
    await this.server.close();
  }
}
