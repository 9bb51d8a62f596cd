/**
 * Just enough of a browser's cookie store to walk oidc-provider's pages with fetch: cookies by
 * origin, name and path, dropped when expired. oidc-provider scopes its interaction cookies to
 * `/interaction/<uid>` and `/auth/<uid>` and clears them with an expired Set-Cookie, so paths
 * and expiry matter (RFC 6265 §5.1.4, §5.3).
 */
interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expiresAt: number;
}

export class CookieJar {
  private readonly byOrigin = new Map<string, StoredCookie[]>();

  /** Stores every Set-Cookie of a response to a request for `url`. */
  store(url: string, headers: Headers): void {
    const { origin } = new URL(url);
    for (const line of headers.getSetCookie()) {
      const cookie = parseSetCookie(line);
      const kept = (this.byOrigin.get(origin) ?? []).filter((c) => c.name !== cookie.name || c.path !== cookie.path);
      if (cookie.expiresAt > Date.now()) kept.push(cookie);
      this.byOrigin.set(origin, kept);
    }
  }

  /** The Cookie header a browser would send to `url`, or undefined when there is none. */
  headerFor(url: string): string | undefined {
    const { origin, pathname } = new URL(url);
    const now = Date.now();
    const matching = (this.byOrigin.get(origin) ?? []).filter(
      (c) => c.expiresAt > now && (pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
    );
    return matching.length === 0 ? undefined : matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

function parseSetCookie(line: string): StoredCookie {
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const cookie: StoredCookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1), path: '/', expiresAt: Infinity };
  for (const attribute of attributes) {
    const [rawKey = '', value = ''] = attribute.split('=');
    const key = rawKey.toLowerCase();
    if (key === 'path') cookie.path = value;
    else if (key === 'max-age') cookie.expiresAt = Date.now() + Number(value) * 1000;
    else if (key === 'expires' && cookie.expiresAt === Infinity) cookie.expiresAt = Date.parse(value);
  }
  return cookie;
}
