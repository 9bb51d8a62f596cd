/**
 * Browsers send Origin on WebSocket upgrades; a page from another site must not open a socket
 * with a user's token. Clients that send no Origin (native apps, servers) are not affected.
 * Matching is exact on the serialized origin (RFC 6454 §6.1): no suffix or prefix matching, and
 * the scheme counts (an https page is not the same origin as an http-only server).
 * `ownOrigins` comes from the host policy (PUBLIC_URL, or the request's scheme and an allowed Host).
 */
export function isOriginAllowed(origin: string | undefined, ownOrigins: readonly string[], allowList: readonly string[]): boolean {
  if (origin === undefined) return true;
  return allowList.includes(origin) || ownOrigins.includes(origin);
}
