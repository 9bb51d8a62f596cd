/** JSON over fetch with bearer auth, mapping RFC 9457 problem responses to {@link PneumaticError}. */
import { PneumaticError, fieldErrorsOf } from './errors.js';
import type { Problem } from './types.js';

export type FetchLike = (
  input: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal; credentials?: RequestCredentialsMode },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** Whether a browser sends and keeps cookies: only `startSso` asks, so its cookie sticks (fetch's default is `same-origin`). */
export type RequestCredentialsMode = 'omit' | 'same-origin' | 'include';

export interface HttpClientOptions {
  baseUrl: string;
  /** Defaults to the global fetch (browsers, Node 18+). */
  fetch?: FetchLike;
  /** Per-request timeout, ms. Default 15,000. */
  timeoutMs?: number;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Send without the bearer token (register, login, health). */
  anonymous?: boolean;
  /** Passed to fetch when given (a browser's cookies); otherwise left to fetch's default. */
  credentials?: RequestCredentialsMode;
}

export class HttpClient {
  readonly baseUrl: string;
  token: string | null = null;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Performs one request; resolves with the parsed JSON body (undefined for 204). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (!options.anonymous && this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let response: Awaited<ReturnType<FetchLike>>;
    let text: string;
    try {
      response = await this.fetchImpl(this.baseUrl + path + queryString(options.query), { method, headers, body, signal: controller.signal, ...(options.credentials ? { credentials: options.credentials } : {}) });
      text = await response.text();
    } catch (error) {
      throw new PneumaticError('network', `${method} ${path}: ${describe(error)}`, null, null, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (response.status >= 400) throw problemError(response.status, response.headers.get('retry-after'), text);
    if (text.length === 0) return undefined as T;
    if (!(response.headers.get('content-type') ?? '').includes('json')) return text as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new PneumaticError('invalid_response', `${method} ${path}: the body is not JSON`, response.status, null, { cause: error });
    }
  }
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** An HTTP error response (RFC 9457 problem+json, or anything else) as a {@link PneumaticError} with the server's code. */
export function problemError(status: number, retryAfter: string | null, text: string): PneumaticError {
  let problem: Partial<Problem> = {};
  try {
    problem = JSON.parse(text) as Partial<Problem>;
  } catch {
    // not problem+json (a proxy's error page): keep the status only
  }
  const code = typeof problem.code === 'string' ? problem.code : status >= 500 ? 'unavailable' : 'invalid_response';
  return new PneumaticError(code, problem.detail ?? problem.title ?? `HTTP ${status}`, status, parseRetryAfter(retryAfter), { errors: fieldErrorsOf(problem) });
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'AbortError' ? 'timed out' : error.message;
  return String(error);
}
