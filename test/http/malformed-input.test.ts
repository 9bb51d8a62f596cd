/**
 * A table of malformed inputs, over HTTP and the WebSocket. Each must be refused as the
 * client's fault: HTTP with a 4xx problem+json carrying a `code`, the socket with an `error`
 * frame carrying a `code` while the connection stays open. None may produce a 500.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type ApiResponse, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { expectRawProblem, rawExchange, rawRequest } from '../helpers/raw-http.js';
import { TestSocket } from '../helpers/ws-client.js';

interface Ctx {
  conversationId: string;
  messageId: string;
  victimToken: string;
}

interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** JSON-encoded. */
  body?: unknown;
  /** Sent as is, with Content-Type application/json unless `headers` says otherwise. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Defaults to alice's token; null sends none. */
  token?: string | null;
}

interface HttpRow {
  description: string;
  http: (ctx: Ctx) => HttpRequest;
  status?: number;
  code?: string;
  /** The field the problem's detail must name, and the first token of a pointer in its `errors`. */
  field?: string;
}

interface WsRow {
  description: string;
  /** A string is sent as a text frame, a Buffer as a binary frame. */
  ws: (ctx: Ctx) => string | Buffer;
  code?: string;
}

const UUID_A = '3f1c2a4e-8b9d-4e6f-a1b2-c3d4e5f60718';
const lone = { high: '\ud800', low: '\udc00' };
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const msg = (ctx: Ctx, overrides: Record<string, unknown> = {}) => ({ message_id: randomUUID(), conversation_id: ctx.conversationId, content: 'hi', ...overrides });
const without = (value: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));
const post = (path: string, body: unknown): HttpRequest => ({ method: 'POST', path, body });
const raw = (path: string, rawBody: string, headers?: Record<string, string>): HttpRequest => ({ method: 'POST', path, rawBody, ...(headers ? { headers } : {}) });
const history = (ctx: Ctx, query: string): HttpRequest => ({ method: 'GET', path: `/conversations/${ctx.conversationId}/messages?${query}` });
const read = (ctx: Ctx, body: unknown): HttpRequest => post(`/conversations/${ctx.conversationId}/read`, body);
const readRaw = (ctx: Ctx, rawBody: string): HttpRequest => raw(`/conversations/${ctx.conversationId}/read`, rawBody);

const HTTP_ROWS: HttpRow[] = [
  // Not JSON, or JSON that is not an object.
  { description: 'truncated JSON', http: () => raw('/messages', '{"message_id":'), status: 400, code: 'invalid_json' },
  { description: 'JSON with a trailing comma', http: () => raw('/messages', '{"content":"a",}'), status: 400, code: 'invalid_json' },
  { description: 'single-quoted pseudo-JSON', http: () => raw('/messages', "{'content':'a'}"), status: 400, code: 'invalid_json' },
  { description: 'a JSON array', http: () => raw('/messages', '[]'), status: 400, code: 'invalid_request' },
  { description: 'a JSON string', http: () => raw('/messages', '"x"'), status: 400, code: 'invalid_request' },
  { description: 'a JSON number', http: () => raw('/messages', '1'), status: 400, code: 'invalid_request' },
  { description: 'JSON null', http: () => raw('/messages', 'null'), status: 400, code: 'invalid_request' },
  { description: 'JSON true', http: () => raw('/messages', 'true'), status: 400, code: 'invalid_request' },
  { description: 'an empty body with Content-Type application/json', http: () => raw('/messages', ''), status: 400 },
  { description: 'no body and no Content-Type', http: () => ({ method: 'POST', path: '/messages' }), status: 400 },
  { description: 'a body deeply nested 20,000 levels', http: (ctx) => raw('/messages', `{"message_id":${nested(20_000)},"conversation_id":"${ctx.conversationId}","content":"a"}`), status: 400, field: 'message_id' },
  { description: 'a __proto__ key', http: (ctx) => raw('/messages', `{"__proto__":{"sender_id":"${UUID_A}"},"message_id":"${randomUUID()}","conversation_id":"${ctx.conversationId}","content":"a"}`), status: 400 },
  { description: 'a constructor.prototype key', http: (ctx) => raw('/messages', `{"constructor":{"prototype":{"admin":true}},"message_id":"${randomUUID()}","conversation_id":"${ctx.conversationId}","content":"a"}`), status: 400 },
  { description: 'a duplicate key whose last value has the wrong type', http: (ctx) => raw('/messages', `{"message_id":"${randomUUID()}","conversation_id":"${ctx.conversationId}","content":"a","content":5}`), status: 400, field: 'content' },
  // Wrong Content-Type and size.
  { description: 'Content-Type text/plain', http: (ctx) => raw('/messages', JSON.stringify(msg(ctx)), { 'content-type': 'text/plain' }), status: 415, code: 'unsupported_media_type' },
  { description: 'Content-Type application/x-www-form-urlencoded', http: () => raw('/messages', 'content=a', { 'content-type': 'application/x-www-form-urlencoded' }), status: 415 },
  { description: 'Content-Type application/xml', http: () => raw('/messages', '<content>a</content>', { 'content-type': 'application/xml' }), status: 415 },
  { description: 'a body over 64 KiB', http: (ctx) => post('/messages', msg(ctx, { content: 'x'.repeat(70_000) })), status: 413, code: 'payload_too_large' },
  // POST /messages fields: wrong types, null, missing, bad formats.
  { description: 'message_id a number', http: (ctx) => post('/messages', msg(ctx, { message_id: 123 })), status: 400, code: 'invalid_request', field: 'message_id' },
  { description: 'message_id null', http: (ctx) => post('/messages', msg(ctx, { message_id: null })), status: 400, field: 'message_id' },
  { description: 'message_id missing', http: (ctx) => post('/messages', without(msg(ctx), 'message_id')), status: 400, field: 'message_id' },
  { description: 'message_id not a UUID', http: (ctx) => post('/messages', msg(ctx, { message_id: 'not-a-uuid' })), status: 400, field: 'message_id' },
  { description: 'message_id a UUID in braces', http: (ctx) => post('/messages', msg(ctx, { message_id: `{${randomUUID()}}` })), status: 400, field: 'message_id' },
  { description: 'message_id a UUID with a trailing newline', http: (ctx) => post('/messages', msg(ctx, { message_id: `${randomUUID()}\n` })), status: 400, field: 'message_id' },
  { description: 'message_id path traversal', http: (ctx) => post('/messages', msg(ctx, { message_id: '../../etc/passwd' })), status: 400, field: 'message_id' },
  { description: 'conversation_id a number', http: (ctx) => post('/messages', msg(ctx, { conversation_id: 42 })), status: 400, field: 'conversation_id' },
  { description: 'conversation_id null', http: (ctx) => post('/messages', msg(ctx, { conversation_id: null })), status: 400, field: 'conversation_id' },
  { description: 'conversation_id missing', http: (ctx) => post('/messages', without(msg(ctx), 'conversation_id')), status: 400, field: 'conversation_id' },
  { description: 'conversation_id an array of the id', http: (ctx) => post('/messages', msg(ctx, { conversation_id: [ctx.conversationId] })), status: 400, field: 'conversation_id' },
  { description: 'conversation_id an object', http: (ctx) => post('/messages', msg(ctx, { conversation_id: { id: ctx.conversationId } })), status: 400, field: 'conversation_id' },
  { description: 'content a number', http: (ctx) => post('/messages', msg(ctx, { content: 5 })), status: 400, field: 'content' },
  { description: 'content null', http: (ctx) => post('/messages', msg(ctx, { content: null })), status: 400, field: 'content' },
  { description: 'content missing', http: (ctx) => post('/messages', without(msg(ctx), 'content')), status: 400, field: 'content' },
  { description: 'content empty', http: (ctx) => post('/messages', msg(ctx, { content: '' })), status: 400, field: 'content' },
  { description: 'content a boolean', http: (ctx) => post('/messages', msg(ctx, { content: true })), status: 400, field: 'content' },
  { description: 'content an array of strings', http: (ctx) => post('/messages', msg(ctx, { content: ['a'] })), status: 400, field: 'content' },
  { description: 'content 4001 characters', http: (ctx) => post('/messages', msg(ctx, { content: 'x'.repeat(4001) })), status: 400, field: 'content' },
  { description: 'content 4001 emoji characters', http: (ctx) => post('/messages', msg(ctx, { content: '😀'.repeat(4001) })), status: 400, field: 'content' },
  { description: 'content with a lone high surrogate', http: (ctx) => post('/messages', msg(ctx, { content: `a${lone.high}b` })), status: 400, field: 'content' },
  { description: 'content with a lone low surrogate', http: (ctx) => post('/messages', msg(ctx, { content: lone.low })), status: 400, field: 'content' },
  { description: 'content with a NUL character', http: (ctx) => post('/messages', msg(ctx, { content: 'a\u0000b' })), status: 400, field: 'content' },
  { description: 'sender_id a number', http: (ctx) => post('/messages', msg(ctx, { sender_id: 7 })), status: 400, field: 'sender_id' },
  { description: 'sender_id null', http: (ctx) => post('/messages', msg(ctx, { sender_id: null })), status: 400, field: 'sender_id' },
  { description: 'sender_id not a UUID', http: (ctx) => post('/messages', msg(ctx, { sender_id: 'me' })), status: 400, field: 'sender_id' },
  { description: 'POST /conversations/{id}/messages with message_id a number', http: (ctx) => post(`/conversations/${ctx.conversationId}/messages`, { message_id: 1, content: 'a' }), status: 400, field: 'message_id' },
  // POST /conversations.
  { description: 'title a number', http: () => post('/conversations', { title: 123, member_ids: [] }), status: 400, field: 'title' },
  { description: 'title null', http: () => post('/conversations', { title: null, member_ids: [] }), status: 400, field: 'title' },
  { description: 'title empty', http: () => post('/conversations', { title: '', member_ids: [] }), status: 400, field: 'title' },
  { description: 'title 201 characters', http: () => post('/conversations', { title: 't'.repeat(201), member_ids: [] }), status: 400, field: 'title' },
  { description: 'title with a NUL character', http: () => post('/conversations', { title: 'a\u0000', member_ids: [] }), status: 400, field: 'title' },
  { description: 'title a lone surrogate', http: () => post('/conversations', { title: lone.low, member_ids: [] }), status: 400, field: 'title' },
  { description: 'member_ids a string', http: () => post('/conversations', { title: 't', member_ids: UUID_A }), status: 400, field: 'member_ids' },
  { description: 'member_ids containing a number', http: () => post('/conversations', { title: 't', member_ids: [1] }), status: 400, field: 'member_ids' },
  { description: 'member_ids null', http: () => post('/conversations', { title: 't', member_ids: null }), status: 400, field: 'member_ids' },
  { description: 'member_ids missing', http: () => post('/conversations', { title: 't' }), status: 400, field: 'member_ids' },
  { description: 'member_ids containing a non-UUID', http: () => post('/conversations', { title: 't', member_ids: ['../admin'] }), status: 400, field: 'member_ids' },
  { description: 'member_ids with 1001 ids', http: () => post('/conversations', { title: 't', member_ids: Array.from({ length: 1001 }, () => randomUUID()) }), status: 400, field: 'member_ids' },
  // POST /users and POST /sessions.
  { description: 'username a number', http: () => ({ ...post('/users', { username: 12345, password: 'long enough pw' }), token: null }), status: 400, field: 'username' },
  { description: 'username too short', http: () => ({ ...post('/users', { username: 'ab', password: 'long enough pw' }), token: null }), status: 400, field: 'username' },
  { description: 'username 33 characters', http: () => ({ ...post('/users', { username: 'u'.repeat(33), password: 'long enough pw' }), token: null }), status: 400, field: 'username' },
  { description: 'username with a space', http: () => ({ ...post('/users', { username: 'bad name', password: 'long enough pw' }), token: null }), status: 400, field: 'username' },
  { description: 'username with non-ASCII letters', http: () => ({ ...post('/users', { username: 'ålice', password: 'long enough pw' }), token: null }), status: 400, field: 'username' },
  { description: 'password a number', http: () => ({ ...post('/users', { username: 'numeric_pw', password: 1234567890 }), token: null }), status: 400, field: 'password' },
  { description: 'password too short', http: () => ({ ...post('/users', { username: 'short_pw', password: 'short' }), token: null }), status: 400, field: 'password' },
  { description: 'password 1025 characters', http: () => ({ ...post('/users', { username: 'long_pw', password: 'p'.repeat(1025) }), token: null }), status: 400, field: 'password' },
  { description: 'POST /users without username', http: () => ({ ...post('/users', { password: 'long enough pw' }), token: null }), status: 400, field: 'username' },
  { description: 'POST /sessions with an empty object', http: () => ({ ...post('/sessions', {}), token: null }), status: 400, field: 'username' },
  { description: 'POST /sessions with username null', http: () => ({ ...post('/sessions', { username: null, password: 'long enough pw' }), token: null }), status: 400, field: 'username' },
  // POST /conversations/{id}/read.
  { description: 'seq a float', http: (ctx) => read(ctx, { seq: 1.5 }), status: 400, field: 'seq' },
  { description: 'seq a numeric string', http: (ctx) => read(ctx, { seq: '3' }), status: 400, field: 'seq' },
  { description: 'seq negative', http: (ctx) => read(ctx, { seq: -1 }), status: 400, field: 'seq' },
  { description: 'seq null', http: (ctx) => read(ctx, { seq: null }), status: 400, field: 'seq' },
  { description: 'seq a boolean', http: (ctx) => read(ctx, { seq: true }), status: 400, field: 'seq' },
  { description: 'seq missing', http: (ctx) => read(ctx, {}), status: 400, field: 'seq' },
  { description: 'seq 1e400 (overflows to Infinity)', http: (ctx) => readRaw(ctx, '{"seq":1e400}'), status: 400, field: 'seq' },
  { description: 'seq a huge negative number', http: (ctx) => readRaw(ctx, '{"seq":-1e300}'), status: 400, field: 'seq' },
  // PATCH /messages/{message_id}.
  { description: 'PATCH content a number', http: (ctx) => ({ method: 'PATCH', path: `/messages/${ctx.messageId}`, body: { content: 5 } }), status: 400, field: 'content' },
  { description: 'PATCH content empty', http: (ctx) => ({ method: 'PATCH', path: `/messages/${ctx.messageId}`, body: { content: '' } }), status: 400, field: 'content' },
  { description: 'PATCH content with a NUL character', http: (ctx) => ({ method: 'PATCH', path: `/messages/${ctx.messageId}`, body: { content: '\u0000' } }), status: 400, field: 'content' },
  { description: 'PATCH a non-UUID message id', http: () => ({ method: 'PATCH', path: '/messages/not-a-uuid', body: { content: 'a' } }), status: 400, field: 'message_id' },
  // Query strings.
  { description: 'limit=1e2', http: (ctx) => history(ctx, 'limit=1e2'), status: 400, field: 'limit' },
  { description: 'limit= (empty)', http: (ctx) => history(ctx, 'limit='), status: 400, field: 'limit' },
  { description: 'limit=0', http: (ctx) => history(ctx, 'limit=0'), status: 400, field: 'limit' },
  { description: 'limit=201', http: (ctx) => history(ctx, 'limit=201'), status: 400, field: 'limit' },
  { description: 'limit=1.5', http: (ctx) => history(ctx, 'limit=1.5'), status: 400, field: 'limit' },
  { description: 'limit=abc', http: (ctx) => history(ctx, 'limit=abc'), status: 400, field: 'limit' },
  { description: 'limit with 20 digits', http: (ctx) => history(ctx, 'limit=99999999999999999999'), status: 400, field: 'limit' },
  { description: 'limit given twice', http: (ctx) => history(ctx, 'limit=1&limit=2'), status: 400, field: 'limit' },
  { description: 'before=-1', http: (ctx) => history(ctx, 'before=-1'), status: 400, field: 'before' },
  { description: 'after=-1', http: (ctx) => history(ctx, 'after=-1'), status: 400, field: 'after' },
  { description: 'before=0x10', http: (ctx) => history(ctx, 'before=0x10'), status: 400, field: 'before' },
  { description: 'both before and after', http: (ctx) => history(ctx, 'before=5&after=1'), status: 400, code: 'invalid_request' },
  { description: 'GET /conversations?limit=1e2', http: () => ({ method: 'GET', path: '/conversations?limit=1e2' }), status: 400, field: 'limit' },
  { description: 'GET /conversations?before= (empty cursor)', http: () => ({ method: 'GET', path: '/conversations?before=' }), status: 400, field: 'before' },
  { description: 'GET /conversations?before=garbage', http: () => ({ method: 'GET', path: '/conversations?before=garbage' }), status: 400, code: 'invalid_request' },
  { description: 'GET /users without username', http: () => ({ method: 'GET', path: '/users' }), status: 400, field: 'username' },
  { description: 'GET /users?username= with a NUL character', http: () => ({ method: 'GET', path: '/users?username=a%00b' }), status: 400, field: 'username' },
  { description: 'DELETE /sessions?all=yes', http: (ctx) => ({ method: 'DELETE', path: '/sessions?all=yes', token: ctx.victimToken }), status: 400, field: 'all' },
  // Path parameters.
  { description: 'encoded path traversal as a conversation id', http: () => ({ method: 'GET', path: '/conversations/..%2F..%2Fetc%2Fpasswd' }), status: 400, field: 'id' },
  { description: 'encoded dot segments as a user id', http: () => ({ method: 'GET', path: '/users/%2e%2e%2fusers%2fme' }), status: 400, field: 'id' },
  { description: 'an encoded NUL as a user id', http: () => ({ method: 'GET', path: '/users/%00' }), status: 400, field: 'id' },
  { description: 'bad percent-encoding in the path', http: () => ({ method: 'GET', path: '/users/%zz' }), status: 400 },
  { description: 'a UUID with a trailing encoded newline as a conversation id', http: (ctx) => ({ method: 'GET', path: `/conversations/${ctx.conversationId}%0A` }), status: 400, field: 'id' },
  { description: 'a non-UUID user id when removing a member', http: (ctx) => ({ method: 'DELETE', path: `/conversations/${ctx.conversationId}/members/not-a-uuid` }), status: 400, field: 'user_id' },
  { description: 'a non-UUID message id when deleting', http: () => ({ method: 'DELETE', path: '/messages/%3Cscript%3E' }), status: 400, field: 'message_id' },
  { description: 'a non-UUID user id in the socket seed path /ws/{user_id}', http: () => ({ method: 'GET', path: '/ws/notauuid' }), status: 400, code: 'invalid_request', field: 'user_id' },
  { description: 'an encoded path traversal in the socket seed path', http: () => ({ method: 'GET', path: '/ws/..%2Fusers%2Fme' }), status: 400, code: 'invalid_request', field: 'user_id' },
  // Authorization.
  { description: 'Authorization: Bearer with no token', http: () => ({ method: 'GET', path: '/users/me', token: null, headers: { authorization: 'Bearer' } }), status: 401, code: 'unauthorized' },
  { description: 'Authorization with two tokens', http: () => ({ method: 'GET', path: '/users/me', token: null, headers: { authorization: 'Bearer a b' } }), status: 401, code: 'unauthorized' },
  { description: 'Authorization: Basic', http: () => ({ method: 'GET', path: '/users/me', token: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } }), status: 401, code: 'unauthorized' },
  { description: 'a 4 KiB garbage token', http: () => ({ method: 'GET', path: '/users/me', token: 'A'.repeat(4096) }), status: 401, code: 'unauthorized' },
];

const frame = (value: unknown) => JSON.stringify(value);
const wsMsg = (ctx: Ctx, overrides: Record<string, unknown> = {}) => frame({ type: 'message', ...msg(ctx), ...overrides });
const wsMsgWithout = (ctx: Ctx, key: string) => frame(without({ type: 'message', ...msg(ctx) }, key));
const wsRead = (ctx: Ctx, seq: string) => `{"type":"read","conversation_id":"${ctx.conversationId}","seq":${seq}}`;

const WS_ROWS: WsRow[] = [
  { description: 'not JSON', ws: () => 'not json', code: 'invalid_json' },
  { description: 'an empty frame', ws: () => '', code: 'invalid_json' },
  { description: 'truncated JSON', ws: () => '{"type":', code: 'invalid_json' },
  { description: 'a JSON array', ws: () => '[]', code: 'invalid_request' },
  { description: 'a JSON string', ws: () => '"x"', code: 'invalid_request' },
  { description: 'a JSON number', ws: () => '1', code: 'invalid_request' },
  { description: 'JSON null', ws: () => 'null', code: 'invalid_request' },
  { description: 'JSON true', ws: () => 'true', code: 'invalid_request' },
  { description: 'an object without type', ws: () => '{}', code: 'invalid_request' },
  { description: 'type null', ws: () => '{"type":null}', code: 'invalid_request' },
  { description: 'type a number', ws: () => '{"type":5}', code: 'invalid_request' },
  { description: 'type an array', ws: () => '{"type":["ping"]}', code: 'invalid_request' },
  { description: 'an unknown type', ws: () => '{"type":"subscribe"}', code: 'unknown_type' },
  { description: 'an empty type', ws: () => '{"type":""}', code: 'unknown_type' },
  { description: 'type in upper case', ws: () => '{"type":"PING"}', code: 'unknown_type' },
  { description: 'type "__proto__"', ws: () => '{"type":"__proto__"}', code: 'unknown_type' },
  { description: 'type "constructor"', ws: () => '{"type":"constructor"}', code: 'unknown_type' },
  { description: 'type "toString"', ws: () => '{"type":"toString"}', code: 'unknown_type' },
  { description: 'type "hasOwnProperty"', ws: () => '{"type":"hasOwnProperty"}', code: 'unknown_type' },
  // Refused as the same text is as an HTTP body: invalid_json (issue 13, defect 9).
  { description: 'a __proto__ key carrying the type', ws: () => '{"__proto__":{"type":"ping"}}', code: 'invalid_json' },
  { description: 'a constructor.prototype key carrying the type', ws: () => '{"constructor":{"prototype":{"type":"ping"}}}', code: 'invalid_json' },
  { description: 'a ping with an empty __proto__ key', ws: () => '{"type":"ping","__proto__":{}}', code: 'invalid_json' },
  { description: 'a ping with a __proto__ key spelled with escapes', ws: () => '{"type":"ping","\\u005f_\\u0070roto__":{"x":1}}', code: 'invalid_json' },
  { description: 'message: a __proto__ key carrying sender_id', ws: (ctx) => `${wsMsg(ctx).slice(0, -1)},"__proto__":{"sender_id":"${UUID_A}"}}`, code: 'invalid_json' },
  { description: 'message: a constructor.prototype key', ws: (ctx) => `${wsMsg(ctx).slice(0, -1)},"constructor":{"prototype":{"admin":true}}}`, code: 'invalid_json' },
  { description: 'message: a __proto__ key nested in an array', ws: (ctx) => `${wsMsg(ctx).slice(0, -1)},"extra":[{"a":{"__proto__":{"polluted":true}}}]}`, code: 'invalid_json' },
  { description: 'join: a __proto__ key', ws: (ctx) => `{"type":"join","conversation_id":"${ctx.conversationId}","__proto__":{"polluted":true}}`, code: 'invalid_json' },
  { description: 'a duplicate type key, the last unknown', ws: () => '{"type":"ping","type":"nope"}', code: 'unknown_type' },
  { description: 'binary garbage', ws: () => Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0xc0]), code: 'invalid_json' },
  { description: 'a binary frame holding a JSON array', ws: () => Buffer.from('[1,2]'), code: 'invalid_request' },
  { description: 'a frame deeply nested 20,000 levels', ws: () => `{"type":"join","conversation_id":${nested(20_000)}}`, code: 'invalid_request' },
  { description: 'message: message_id a number', ws: (ctx) => wsMsg(ctx, { message_id: 123 }), code: 'invalid_request' },
  { description: 'message: message_id not a UUID', ws: (ctx) => wsMsg(ctx, { message_id: 'abc' }), code: 'invalid_request' },
  { description: 'message: message_id missing', ws: (ctx) => wsMsgWithout(ctx, 'message_id'), code: 'invalid_request' },
  { description: 'message: conversation_id missing', ws: (ctx) => wsMsgWithout(ctx, 'conversation_id'), code: 'invalid_request' },
  { description: 'message: conversation_id null', ws: (ctx) => wsMsg(ctx, { conversation_id: null }), code: 'invalid_request' },
  { description: 'message: conversation_id path traversal', ws: (ctx) => wsMsg(ctx, { conversation_id: '../../etc/passwd' }), code: 'invalid_request' },
  { description: 'message: content missing', ws: (ctx) => wsMsgWithout(ctx, 'content'), code: 'invalid_request' },
  { description: 'message: content null', ws: (ctx) => wsMsg(ctx, { content: null }), code: 'invalid_request' },
  { description: 'message: content a number', ws: (ctx) => wsMsg(ctx, { content: 5 }), code: 'invalid_request' },
  { description: 'message: content an object', ws: (ctx) => wsMsg(ctx, { content: { text: 'a' } }), code: 'invalid_request' },
  { description: 'message: content empty', ws: (ctx) => wsMsg(ctx, { content: '' }), code: 'invalid_request' },
  { description: 'message: content 4001 characters', ws: (ctx) => wsMsg(ctx, { content: 'x'.repeat(4001) }), code: 'invalid_request' },
  { description: 'message: content 4001 emoji characters', ws: (ctx) => wsMsg(ctx, { content: '😀'.repeat(4001) }), code: 'invalid_request' },
  { description: 'message: content with a lone surrogate', ws: (ctx) => wsMsg(ctx, { content: `x${lone.high}` }), code: 'invalid_request' },
  { description: 'message: content with a NUL character', ws: (ctx) => wsMsg(ctx, { content: '\u0000' }), code: 'invalid_request' },
  { description: 'join: conversation_id missing', ws: () => '{"type":"join"}', code: 'invalid_request' },
  { description: 'join: conversation_id a number', ws: () => '{"type":"join","conversation_id":123}', code: 'invalid_request' },
  { description: 'join: conversation_id not a UUID', ws: () => '{"type":"join","conversation_id":"general"}', code: 'invalid_request' },
  { description: 'typing: conversation_id null', ws: () => '{"type":"typing","conversation_id":null}', code: 'invalid_request' },
  { description: 'read: seq a float', ws: (ctx) => wsRead(ctx, '1.5'), code: 'invalid_request' },
  { description: 'read: seq a numeric string', ws: (ctx) => wsRead(ctx, '"1"'), code: 'invalid_request' },
  { description: 'read: seq negative', ws: (ctx) => wsRead(ctx, '-1'), code: 'invalid_request' },
  { description: 'read: seq null', ws: (ctx) => wsRead(ctx, 'null'), code: 'invalid_request' },
  { description: 'read: seq 1e400 (overflows to Infinity)', ws: (ctx) => wsRead(ctx, '1e400'), code: 'invalid_request' },
  { description: 'read: seq missing', ws: (ctx) => `{"type":"read","conversation_id":"${ctx.conversationId}"}`, code: 'invalid_request' },
];

/** `errors` holds well-formed field errors, one of them pointing at `field` or inside it. */
function namesField(errors: unknown, field: string): boolean {
  if (!Array.isArray(errors) || errors.length === 0) return false;
  const wellFormed = errors.every((e) => typeof e?.pointer === 'string' && (e.pointer === '' || e.pointer.startsWith('/')) && typeof e.detail === 'string');
  return wellFormed && errors.some((e) => e.pointer.split('/')[1] === field);
}

/** Host headers naming a host the server does not answer to (DNS rebinding and its siblings): 421 `host_not_allowed`. */
const HOST_ROWS: { description: string; host: string; path: string }[] = [
  { description: 'Host: another name', host: 'evil.com', path: '/users/me' },
  { description: 'Host: another name with the server\'s port', host: 'evil.com:8000', path: '/healthz' },
  { description: 'Host: a name that starts like an IP address', host: '127.0.0.1.evil.com', path: '/conversations' },
  { description: 'Host: a name that starts with localhost', host: 'localhost.evil.com', path: '/users/me' },
  { description: 'Host: userinfo before another name', host: '127.0.0.1:1@evil.com', path: '/users/me' },
  { description: 'Host: a path after the name', host: 'evil.com/127.0.0.1', path: '/users/me' },
  { description: 'Host: an unclosed IPv6 bracket', host: '[::1', path: '/users/me' },
  { description: 'Host: a port that is not a number', host: 'localhost:http', path: '/users/me' },
  { description: 'Host: empty', host: '', path: '/users/me' },
  { description: 'Host: another name, on the socket endpoint', host: 'evil.com', path: '/ws' },
];

/**
 * Bytes on the socket that are not acceptable HTTP/1.1, refused by Node's parser or server before
 * any route runs: answered like every other refusal, problem+json with a code and the security
 * headers, and the connection closed (issue 13, defect 4).
 */
const RAW_HOST = 'Host: 127.0.0.1';
const rawPost = (headers: string, body = '') => `POST /users HTTP/1.1\r\n${RAW_HOST}\r\nContent-Type: application/json\r\n${headers}\r\n\r\n${body}`;
const rawGet = (line: string, headers = RAW_HOST) => `${line}\r\n${headers}\r\n\r\n`;
const RAW_ROWS: { description: string; request: string; status: number; code: string }[] = [
  { description: 'a header line without a colon', request: rawGet('GET /healthz HTTP/1.1', `${RAW_HOST}\r\nthis is not a header`), status: 400, code: 'invalid_request' },
  { description: 'a raw 0xff byte in the path', request: rawGet('GET /\xff HTTP/1.1'), status: 400, code: 'invalid_request' },
  { description: 'a control character in the path', request: rawGet('GET /he\x01althz HTTP/1.1'), status: 400, code: 'invalid_request' },
  { description: 'a NUL byte in a header value', request: rawGet('GET /healthz HTTP/1.1', `${RAW_HOST}\r\nX-A: a\x00b`), status: 400, code: 'invalid_request' },
  { description: 'a space before a header colon', request: rawGet('GET /healthz HTTP/1.1', `${RAW_HOST}\r\nX-A : b`), status: 400, code: 'invalid_request' },
  { description: 'an obsolete folded header line', request: rawGet('GET /healthz HTTP/1.1', `${RAW_HOST}\r\nX-A: a\r\n b`), status: 400, code: 'invalid_request' },
  { description: 'bare LF line endings', request: `GET /healthz HTTP/1.1\n${RAW_HOST}\n\n`, status: 400, code: 'invalid_request' },
  { description: 'a space inside the method', request: rawGet('GE T /healthz HTTP/1.1'), status: 400, code: 'invalid_request' },
  { description: 'HTTP version 9.9', request: rawGet('GET /healthz HTTP/9.9'), status: 400, code: 'invalid_request' },
  { description: 'a TLS ClientHello on the plain-text port', request: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', status: 400, code: 'invalid_request' },
  { description: 'both Content-Length and Transfer-Encoding', request: rawPost('Content-Length: 5\r\nTransfer-Encoding: chunked', '0\r\n\r\n'), status: 400, code: 'invalid_request' },
  { description: 'two different Content-Lengths', request: rawPost('Content-Length: 5\r\nContent-Length: 6', '{}'), status: 400, code: 'invalid_request' },
  { description: 'a negative Content-Length', request: rawPost('Content-Length: -1', '{}'), status: 400, code: 'invalid_request' },
  { description: 'a Content-Length beyond 64 bits', request: rawPost('Content-Length: 99999999999999999999999'), status: 400, code: 'invalid_request' },
  { description: 'a chunk size that is not hexadecimal', request: rawPost('Transfer-Encoding: chunked', 'zz\r\n{}\r\n0\r\n\r\n'), status: 400, code: 'invalid_request' },
  { description: 'Transfer-Encoding: gzip without chunked', request: rawPost('Transfer-Encoding: gzip', '{}'), status: 400, code: 'invalid_request' },
  { description: 'Transfer-Encoding with chunked not last', request: rawPost('Transfer-Encoding: chunked, identity', '{}'), status: 400, code: 'invalid_request' },
  { description: 'an HTTP/1.1 request without Host', request: 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', status: 400, code: 'invalid_request' },
  { description: 'a 20 KB header', request: rawGet('GET /healthz HTTP/1.1', `${RAW_HOST}\r\nX-Big: ${'a'.repeat(20_000)}`), status: 431, code: 'headers_too_large' },
  { description: '3,000 headers', request: rawGet('GET /healthz HTTP/1.1', `${RAW_HOST}\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: v`).join('\r\n')}`), status: 431, code: 'headers_too_large' },
  { description: 'a 20 KB path', request: rawGet(`GET /${'a'.repeat(20_000)} HTTP/1.1`), status: 431, code: 'headers_too_large' },
  { description: 'chunk extensions over 16 KiB', request: rawPost('Transfer-Encoding: chunked', `1;${'e'.repeat(20_000)}\r\n{\r\n0\r\n\r\n`), status: 413, code: 'payload_too_large' },
  { description: 'an expectation other than 100-continue', request: rawGet('GET /healthz HTTP/1.1', `${RAW_HOST}\r\nExpect: tea`), status: 417, code: 'invalid_request' },
  { description: 'CONNECT, as to a proxy', request: rawGet('CONNECT 127.0.0.1:80 HTTP/1.1'), status: 405, code: 'method_not_allowed' },
];

function expectClientProblem(row: HttpRow, response: ApiResponse): void {
  const body = response.body as { status?: number; code?: string; title?: string; detail?: string; type?: string; errors?: { pointer: string; detail: string }[] };
  const summary = { row: row.description, status: response.status, contentType: response.headers.get('content-type'), body };
  const ok =
    response.status >= 400 &&
    response.status < 500 &&
    (row.status === undefined || response.status === row.status) &&
    (response.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    typeof body === 'object' &&
    body.status === response.status &&
    typeof body.code === 'string' &&
    body.code.length > 0 &&
    typeof body.title === 'string' &&
    typeof body.detail === 'string' &&
    (row.code === undefined || body.code === row.code) &&
    (row.field === undefined || body.detail.includes(row.field)) &&
    (row.field === undefined || namesField(body.errors, row.field));
  expect(ok ? 'ok' : summary).toBe('ok');
}

for (const dialect of enabledDialects()) {
  describe(`malformed input [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let victim: TestUser;
    let ctx: Ctx;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob, victim] = await registerUsers(server.url, 'alice', 'bob', 'victim');
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'first');
      ctx = { conversationId: conversation.id, messageId: message.message_id, victimToken: victim.token };
    });
    afterAll(() => server.close());

    it(`has at least 40 rows (${HTTP_ROWS.length} HTTP, ${RAW_ROWS.length} raw HTTP/1.1, ${WS_ROWS.length} WebSocket)`, () => {
      expect(HTTP_ROWS.length + RAW_ROWS.length + WS_ROWS.length).toBeGreaterThanOrEqual(40);
    });

    describe('over HTTP: a 4xx problem+json with a code', () => {
      for (const row of HTTP_ROWS) {
        it(row.description, async () => {
          const request = row.http(ctx);
          const headers = { ...request.headers };
          if (request.rawBody !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
          const api = request.token === undefined ? alice.api : alice.api.as(request.token);
          const options = { headers, ...(request.body !== undefined ? { body: request.body } : {}), ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : {}) };
          expectClientProblem(row, await api.request(request.method, request.path, options));
        });
      }
    });

    describe('as raw bytes that are not acceptable HTTP/1.1: problem+json with a code and the security headers, then closed', () => {
      for (const row of RAW_ROWS) {
        it(`${row.description}: ${row.status} ${row.code}`, async () => {
          const reply = await rawExchange(server.url, row.request);
          expect(reply.closedByServer).toBe(true);
          expectRawProblem(reply, row.status, row.code);
        });
      }
    });

    describe('with a Host the server does not answer to: 421 problem+json host_not_allowed', () => {
      for (const row of HOST_ROWS) {
        it(row.description, async () => {
          const response = await rawRequest(server.url, row.path, { host: row.host, authorization: `Bearer ${alice.token}` });
          expect({ status: response.status, type: response.headers['content-type'], code: response.body.code }).toEqual({ status: 421, type: expect.stringMatching(/^application\/problem\+json/), code: 'host_not_allowed' });
        });
      }
    });

    describe('over the WebSocket: an error frame with a code, and the connection stays open', () => {
      for (const row of WS_ROWS) {
        it(row.description, async () => {
          const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
          try {
            const data = row.ws(ctx);
            const seen = socket.frames.length;
            if (typeof data === 'string') socket.send(data);
            else socket.ws.send(data, { binary: true });
            const reply = await socket.waitFor((f) => socket.frames.indexOf(f) >= seen);
            // A frame refused as invalid_request says which fields, as problem+json `errors` do.
            const errors = row.code === 'invalid_request' ? { errors: expect.arrayContaining([{ pointer: expect.any(String), detail: expect.any(String) }]) } : {};
            expect(reply).toEqual({ type: 'error', code: row.code ?? expect.any(String), detail: expect.any(String), ref: expect.toSatisfy((r: unknown) => r === null || typeof r === 'string'), ...errors });
            expect(await socket.request({ type: 'ping' }, (f) => f.type === 'pong')).toEqual({ type: 'pong' });
            expect(socket.closed).toBeNull();
          } finally {
            socket.close();
          }
        });
      }
    });

    it('stored nothing from any of the rows', async () => {
      const page = await alice.api.get(`/conversations/${ctx.conversationId}/messages`);
      expect(page.body.messages.map((m: { content: string }) => m.content)).toEqual(['first']);
      // Nor changed anything: the conversation's events are still its creation and 'first'.
      expect((await alice.api.get(`/conversations/${ctx.conversationId}`)).body.last_event_seq).toBe(2);
      expect((await victim.api.get('/users/me')).status).toBe(200);
    });

    it('is still healthy afterwards: GET /healthz is 200 and a normal send is delivered', async () => {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const [sender, receiver] = await Promise.all([TestSocket.open(server.wsUrl, { token: alice.token }), TestSocket.open(server.wsUrl, { token: bob.token })]);
      const id = randomUUID();
      const ack = await sender.request({ type: 'message', message_id: id, conversation_id: ctx.conversationId, content: 'still here' }, (f) => f.type === 'ack');
      // Event 3, after the conversation's creation and 'first'.
      expect(ack.message).toMatchObject({ message_id: id, content: 'still here', seq: 2, version: 3 });
      expect(await receiver.waitFor((f) => f.type === 'message' && f.message.message_id === id)).toEqual({
        type: 'message',
        conversation_id: ctx.conversationId,
        event_seq: 3,
        message: ack.message,
      });
      sender.close();
      receiver.close();
    });
  });

  describe(`edge inputs that are valid [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(() => server.close());

    it('accepts content of exactly 4000 emoji characters (characters are code points) and stores it unchanged', async () => {
      const conversation = await createConversation(alice, [bob]);
      const content = '😀'.repeat(4000);
      const message = await sendMessage(alice, conversation.id, content);
      expect(message.content).toBe(content);
      const page = await bob.api.get(`/conversations/${conversation.id}/messages`);
      expect(page.body.messages[0].content).toBe(content);
    });

    it('stores well-formed non-ASCII text (surrogate pairs, combining marks, RTL, zero-width) exactly as sent', async () => {
      const conversation = await createConversation(alice, [bob], 'ティーム 👩‍👩‍👧');
      const content = 'é e\u0301 \u202Eabc \u200B 𝄞 👩‍👩‍👧 \uFFFF';
      const message = await sendMessage(alice, conversation.id, content);
      const page = await bob.api.get(`/conversations/${conversation.id}/messages`);
      expect(page.body.messages[0]).toEqual(message);
      expect(message.content).toBe(content);
      expect((await bob.api.get(`/conversations/${conversation.id}`)).body.title).toBe('ティーム 👩‍👩‍👧');
    });

    it('accepts upper-case UUIDs and answers in canonical lower case', async () => {
      const conversation = await createConversation(alice, [bob]);
      const id = randomUUID();
      const response = await alice.api.post('/messages', { message_id: id.toUpperCase(), conversation_id: conversation.id.toUpperCase(), content: 'caps' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ message_id: id, conversation_id: conversation.id });
    });

    it('counts a huge read seq (1e300) as last_seq', async () => {
      const conversation = await createConversation(alice, [bob]);
      await sendMessage(alice, conversation.id, 'a');
      await sendMessage(alice, conversation.id, 'b');
      const response = await bob.api.post(`/conversations/${conversation.id}/read`, { seq: 1e300 });
      expect(response.status).toBe(204);
      const member = (await bob.api.get(`/conversations/${conversation.id}`)).body.members.find((m: { user_id: string }) => m.user_id === bob.user.id);
      expect(member.last_read_seq).toBe(2);
    });

    it('regression: a history cursor beyond the 32-bit seq range answers 200, not 500', async () => {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'a');
      const before = await alice.api.get(`/conversations/${conversation.id}/messages?before=9999999999999999`);
      expect(before.status).toBe(200);
      expect(before.body).toEqual({ messages: [message], has_more: false });
      const after = await alice.api.get(`/conversations/${conversation.id}/messages?after=1099511627776`);
      expect(after.status).toBe(200);
      expect(after.body).toEqual({ messages: [], has_more: false });
    });

    it('regression: content with a lone surrogate is refused, so the stored text always equals what was acked', async () => {
      const conversation = await createConversation(alice, [bob]);
      const id = randomUUID();
      const body = { message_id: id, conversation_id: conversation.id, content: `broken ${lone.high}` };
      const first = await alice.api.post('/messages', body);
      expect(first.status).toBe(400);
      expect(first.body.code).toBe('invalid_request');
      expect((await alice.api.get(`/conversations/${conversation.id}/messages`)).body.messages).toEqual([]);
    });
  });
}
