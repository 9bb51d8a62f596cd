/**
 * Single sign-on in the web app (docs/API.md, "Single sign-on"): the browser goes to the
 * provider's page and comes back to this app with `#/sso/<login_code>` (a login) or
 * `#/sso-linked/<provider>` (a provider linked in Settings).
 */
import type { PneumaticClient } from '@pneumatic/client';
import { Atom } from './stores/atom.js';

/**
 * Asks the server to start the flow and sends the browser to the provider. The way back is this
 * page (a path on the server that serves the app), without its hash: the server appends its own.
 * Resolves only if the navigation did not happen; rejects with the server's refusal.
 */
export async function goToProvider(client: PneumaticClient, provider: string, options: { link?: boolean } = {}): Promise<void> {
  const { authorization_url } = await client.startSso(provider, { returnTo: `${location.pathname}${location.search}`, link: options.link });
  location.assign(authorization_url);
}

/** The provider just linked (`#/sso-linked/<provider>`), for Settings to confirm once; null otherwise. */
export const justLinked = new Atom<string | null>(null);
