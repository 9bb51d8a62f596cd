/**
 * Signs a person in at the test provider the way a browser would, over plain fetch: follows its
 * redirects by hand, keeps its cookies, fills oidc-provider's development login and consent
 * forms, and stops at the first redirect that leaves the provider — the relying party's callback
 * URL with `code` and `state` (or `error`) — without fetching it, so a test decides how (and with
 * which cookies) the callback is then visited.
 */
import { CookieJar } from './cookie-jar.js';

/**
 * The forms of oidc-provider 9's devInteractions (node_modules/oidc-provider/lib/views/), for a
 * browser test that fills them for real (Playwright selectors). The login form accepts any
 * login: it is the account id (the test provider's `accounts` key); the password is required by
 * the HTML but ignored. The consent form has only its submit button. Both pages carry a
 * "[ Cancel ]" link that ends the flow with `error=access_denied`.
 */
export const DEV_INTERACTION_SELECTORS = {
  loginForm: 'form:has(input[name=prompt][value=login])',
  login: 'input[name=login]',
  password: 'input[name=password]',
  /** "Sign-in" on the login form, "Continue" on the consent form. */
  submit: 'button[type=submit]',
  consentForm: 'form:has(input[name=prompt][value=consent])',
  cancel: 'a:has-text("[ Cancel ]")',
} as const;

export interface LoginOptions {
  /** Reuse a browser: with a live provider session from an earlier login the provider asks nothing and `accountId` is not used. */
  cookieJar?: CookieJar;
  /** Press "[ Cancel ]" on the first page instead, as a person who declines (the provider answers `error=access_denied`). */
  cancel?: boolean;
}

/** Steps before giving up: a login with consent takes about six redirects and two form posts. */
const MAX_STEPS = 20;

/**
 * Walks the provider from `authorizationUrl` signed in as `accountId`, and returns the URL the
 * provider finally redirects the browser to (not fetched).
 */
export async function loginAt(authorizationUrl: string, accountId: string, options: LoginOptions = {}): Promise<string> {
  const jar = options.cookieJar ?? new CookieJar();
  const providerOrigin = new URL(authorizationUrl).origin;
  let request: { url: string; init: RequestInit } = { url: authorizationUrl, init: { method: 'GET' } };
  for (let step = 0; step < MAX_STEPS; step++) {
    const response = await send(jar, request.url, request.init);
    const location = response.headers.get('location');
    if (location !== null) {
      const next = new URL(location, request.url).href;
      await response.body?.cancel();
      if (new URL(next).origin !== providerOrigin) return next;
      request = { url: next, init: { method: 'GET' } };
      continue;
    }
    const page = await response.text();
    if (response.status !== 200) throw new Error(`the provider answered ${response.status} at ${request.url}: ${page.slice(0, 500)}`);
    request = options.cancel ? { url: cancelUrl(page, request.url), init: { method: 'GET' } } : formSubmission(page, request.url, accountId);
  }
  throw new Error(`no redirect out of the provider after ${MAX_STEPS} steps (is "${accountId}" one of its accounts?)`);
}

/** Starts at the provider and declines there: resolves to the callback URL carrying `error=access_denied`. */
export function cancelAt(authorizationUrl: string, cookieJar?: CookieJar): Promise<string> {
  return loginAt(authorizationUrl, '', { cancel: true, ...(cookieJar ? { cookieJar } : {}) });
}

async function send(jar: CookieJar, url: string, init: RequestInit): Promise<Response> {
  const cookie = jar.headerFor(url);
  const headers = new Headers(init.headers);
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(url, response.headers);
  return response;
}

/** The POST a browser makes when the person fills the page's form (login or consent) and submits it. */
function formSubmission(page: string, pageUrl: string, accountId: string): { url: string; init: RequestInit } {
  const prompt = /<input type="hidden" name="prompt" value="(\w+)"/.exec(page)?.[1];
  const action = /<form[^>]* action="([^"]+)"/.exec(page)?.[1];
  if (!prompt || !action) throw new Error(`not a login or consent page at ${pageUrl}: ${page.slice(0, 300)}`);
  const fields: Record<string, string> = { prompt };
  if (prompt === 'login') Object.assign(fields, { login: accountId, password: 'any password (ignored by devInteractions)' });
  return {
    url: new URL(unescapeHtml(action), pageUrl).href,
    init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() },
  };
}

function cancelUrl(page: string, pageUrl: string): string {
  const href = /<a href="([^"]+)">\[ Cancel \]<\/a>/.exec(page)?.[1];
  if (!href) throw new Error(`no "[ Cancel ]" link at ${pageUrl}`);
  return new URL(unescapeHtml(href), pageUrl).href;
}

function unescapeHtml(text: string): string {
  return text.replace(/&#x2F;|&#47;/g, '/').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
