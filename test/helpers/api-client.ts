/** A small HTTP client for tests: real requests with fetch, JSON in and out. */
import { randomUUID } from 'node:crypto';
import type { Conversation, Message, User } from '@pneumatic/protocol';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, without JSON encoding (for malformed-input tests). */
  rawBody?: string;
  token?: string | null;
  headers?: Record<string, string>;
  /** A multipart/form-data body (fetch writes its Content-Type with the boundary). */
  form?: FormData;
}

export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null = null,
  ) {}

  as(token: string | null): Api {
    return new Api(this.baseUrl, token);
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | FormData | undefined;
    if (options.form !== undefined) body = options.form;
    else if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed = text.length > 0 && type.includes('json') ? JSON.parse(text) : text;
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body });
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }
}

export interface TestUser {
  user: User;
  token: string;
  password: string;
  api: Api;
}

let userCounter = 0;

/** Registers a fresh user with a unique name. */
export async function registerUser(baseUrl: string, prefix = 'user'): Promise<TestUser> {
  const username = `${prefix}${process.pid}_${++userCounter}_${randomUUID().slice(0, 6)}`.slice(0, 32);
  const password = 'correct horse battery';
  const response = await new Api(baseUrl).post('/users', { username, password });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { user: response.body.user, token: response.body.token, password, api: new Api(baseUrl, response.body.token) };
}

/**
 * Registers the user with exactly this name: one that ADMIN_USERNAMES names, so it is a server
 * admin from sign-up (docs/API.md, "Administration").
 */
export async function registerNamed(baseUrl: string, username: string, password = 'correct horse battery'): Promise<TestUser> {
  const response = await new Api(baseUrl).post('/users', { username, password });
  if (response.status !== 201) throw new Error(`register ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { user: response.body.user, token: response.body.token, password, api: new Api(baseUrl, response.body.token) };
}

export async function createConversation(owner: TestUser, members: TestUser[], title = 'Test conversation'): Promise<Conversation> {
  const response = await owner.api.post('/conversations', { title, member_ids: members.map((m) => m.user.id) });
  if (response.status !== 201) throw new Error(`create conversation failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function sendMessage(sender: TestUser, conversationId: string, content = 'hello', messageId = randomUUID()): Promise<Message> {
  const response = await sender.api.post('/messages', { message_id: messageId, conversation_id: conversationId, content });
  if (response.status !== 201) throw new Error(`send failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Asserts the RFC 9457 shape and returns the body. */
export function expectProblem(response: ApiResponse, status: number, code?: string): void {
  const problem = response.body as { status?: number; code?: string; title?: string; type?: string };
  const ok =
    response.status === status &&
    (response.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    typeof problem.code === 'string' &&
    typeof problem.title === 'string' &&
    problem.status === status &&
    (code === undefined || problem.code === code);
  if (!ok) {
    throw new Error(`expected problem ${status}${code ? ` ${code}` : ''}, got ${response.status} ${response.headers.get('content-type')} ${JSON.stringify(response.body)}`);
  }
}

/** Logs the user in again: a second session, with its own token. */
export async function loginAgain(user: TestUser): Promise<string> {
  const response = await user.api.as(null).post('/sessions', { username: user.user.username, password: user.password });
  if (response.status !== 201) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.token as string;
}

/** Registers one fresh user per prefix, concurrently; typed as a tuple for destructuring. */
export async function registerUsers<const P extends readonly string[]>(baseUrl: string, ...prefixes: P): Promise<{ [K in keyof P]: TestUser }> {
  return (await Promise.all(prefixes.map((prefix) => registerUser(baseUrl, prefix)))) as { [K in keyof P]: TestUser };
}
