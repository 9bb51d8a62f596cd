/** A real OpenID provider and a scripted person at its login pages, for the SSO suites. */
export { CookieJar } from './cookie-jar.js';
export { cancelAt, DEV_INTERACTION_SELECTORS, loginAt, type LoginOptions } from './login-driver.js';
export type { ClientMetadata } from './memory-store.js';
export { createSigningKey, type SigningJwk } from './signing-key.js';
export { startOidcProvider, type AccountClaims, type OidcProviderOptions, type TestOidcProvider } from './start-oidc-provider.js';
export type { TokenReplacement, TokenResponse } from './token-tampering.js';
