/** A small JSON-over-HTTP client on node:http with keep-alive, for setup calls and HTTP load. */
import http from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
}

export function createAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, localAddress: '127.0.0.1' } as http.AgentOptions);
}

export interface RawHttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it arrived on the wire (still compressed if the server compressed it). */
  body: Buffer;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  timeoutMs?: number;
  /** Extra request headers (e.g. accept-encoding). */
  headers?: Record<string, string>;
}

/** One request; resolves once the whole body has arrived, without decoding it. */
export function requestRaw(agent: http.Agent, baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<RawHttpResponse> {
  const url = new URL(path, baseUrl);
  if (!['127.', 'localhost'].some((p) => url.hostname.startsWith(p))) {
    return Promise.reject(new Error(`refusing a non-loopback target: ${url.hostname}`));
  }
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, timeout: options.timeoutMs ?? 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function request(agent: http.Agent, baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const res = await requestRaw(agent, baseUrl, method, path, options);
  return { status: res.status, body: res.body.toString('utf8') };
}

export async function requestJson<T>(agent: http.Agent, baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const res = await request(agent, baseUrl, method, path, options);
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body) as T;
}

/** Runs `task` over `items` with at most `concurrency` in flight; resolves with the results in order. */
export async function mapBounded<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return results;
}
