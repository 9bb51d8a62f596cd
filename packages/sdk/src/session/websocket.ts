/**
 * The WebSocket implementation: the platform's own where there is one (browsers, Node 22+),
 * else the `ws` package (Node 20), loaded lazily so that browser bundles never include it.
 */

/** The part of the WHATWG WebSocket interface the SDK uses; both browsers and `ws` provide it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a socket to `url`; `token` goes in a header where the implementation allows it. */
export type WebSocketFactory = (url: string, token: string) => WebSocketLike;

type NativeConstructor = new (url: string) => WebSocketLike;
type WsConstructor = new (url: string, options: { headers: Record<string, string> }) => WebSocketLike;

export const OPEN = 1;

/** A factory for the environment: native WebSocket with `?token=`, or `ws` with an Authorization header. */
export async function defaultWebSocketFactory(): Promise<WebSocketFactory> {
  const native = (globalThis as { WebSocket?: NativeConstructor }).WebSocket;
  if (native) return (url, token) => new native(withToken(url, token));
  // A non-literal specifier keeps bundlers (esbuild, webpack, Vite) from pulling `ws` into a browser build.
  const specifier = 'ws';
  let module: { default?: WsConstructor; WebSocket?: WsConstructor };
  try {
    module = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof module;
  } catch (error) {
    throw new Error('No global WebSocket and the "ws" package is not installed (npm install ws).', { cause: error });
  }
  const Ws = module.WebSocket ?? module.default;
  if (!Ws) throw new Error('The "ws" package exports no WebSocket class.');
  return (url, token) => new Ws(url, { headers: { authorization: `Bearer ${token}` } });
}

function withToken(url: string, token: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

/** `http(s)://host` → `ws(s)://host/ws`. */
export function socketUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/ws`;
}
