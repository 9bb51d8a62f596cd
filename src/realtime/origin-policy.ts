/**
 * Browsers send Origin on WebSocket upgrades; a page from another site must not open a socket
 * with a user's token. Clients that send no Origin (native apps, servers) are not affected.
 * Matching is exact on the serialized origin (RFC 6454 §6.1): no suffix or prefix matching.
 */
export function isOriginAllowed(origin: string | undefined, ownHost: string | undefined, allowList: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowList.includes(origin)) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin !== origin || ownHost === undefined) return false;
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host === ownHost.toLowerCase();
}
