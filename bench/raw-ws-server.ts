/**
 * The limit: a raw `ws` broadcast server with no persistence and no authentication, speaking
 * the same frames as Pneumatic for the benchmark workloads. Each message is stringified once;
 * the same string goes to every member socket. Setup goes through the same HTTP calls as
 * Pneumatic (POST /users, POST /conversations), answered from memory; the token is the user id.
 *
 * Env: PORT (default 8100), HOST (default 127.0.0.1).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

interface Conversation {
  id: string;
  memberIds: string[];
  lastSeq: number;
  /** The latest message JSON strings, for history reads. */
  recent: string[];
}

const HISTORY_KEEP = 200;
const users = new Map<string, { id: string; username: string; created_at: string }>();
const conversations = new Map<string, Conversation>();
const socketsByUser = new Map<string, Set<WebSocket>>();

/** Stores and fans out one message; returns the message JSON (stringified once). */
function post(conversation: Conversation, senderId: string, messageId: string, content: string): string {
  const message = {
    message_id: messageId,
    conversation_id: conversation.id,
    sender_id: senderId,
    content,
    seq: ++conversation.lastSeq,
    created_at: new Date().toISOString(),
    edited_at: null,
    deleted: false,
  };
  const json = JSON.stringify(message);
  conversation.recent.push(json);
  if (conversation.recent.length > HISTORY_KEEP * 2) conversation.recent.splice(0, conversation.recent.length - HISTORY_KEEP);
  const frame = `{"type":"message","message":${json}}`;
  for (const userId of conversation.memberIds) {
    const sockets = socketsByUser.get(userId);
    if (sockets) for (const socket of sockets) socket.send(frame);
  }
  return json;
}

function tokenOf(header: string | undefined): string | null {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return match?.[1] ?? null;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
      } catch (error) {
        reject(error as Error);
      }
    });
    req.on('error', reject);
  });
}

async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://raw');
  const path = url.pathname;
  if (req.method === 'GET' && (path === '/healthz' || path === '/readyz')) return send(res, 200, { status: 'ok' });
  if (req.method === 'POST' && path === '/users') {
    const body = await readBody(req);
    const user = { id: randomUUID(), username: String(body.username), created_at: new Date().toISOString() };
    users.set(user.id, user);
    return send(res, 201, { user, token: user.id });
  }
  const caller = tokenOf(req.headers.authorization);
  if (!caller || !users.has(caller)) return send(res, 401, { code: 'unauthorized' });
  if (req.method === 'POST' && path === '/conversations') {
    const body = await readBody(req);
    const memberIds = [...new Set([caller, ...((body.member_ids as string[] | undefined) ?? [])])];
    const conversation: Conversation = { id: randomUUID(), memberIds, lastSeq: 0, recent: [] };
    conversations.set(conversation.id, conversation);
    return send(res, 201, { id: conversation.id, title: body.title, last_seq: 0, members: memberIds.map((user_id) => ({ user_id })) });
  }
  const match = /^\/conversations\/([^/]+)\/messages$/.exec(path);
  const conversation = match?.[1] ? conversations.get(match[1]) : undefined;
  if (match && !conversation) return send(res, 404, { code: 'not_found' });
  if (conversation && !conversation.memberIds.includes(caller)) return send(res, 403, { code: 'not_member' });
  if (conversation && req.method === 'GET') {
    const limit = Math.min(200, Math.max(1, Number(url.searchParams.get('limit') ?? 50)));
    const page = conversation.recent.slice(-limit);
    return send(res, 200, `{"messages":[${page.join(',')}],"has_more":${conversation.recent.length > limit}}`);
  }
  if (conversation && req.method === 'POST') {
    const body = await readBody(req);
    return send(res, 201, post(conversation, caller, String(body.message_id), String(body.content)));
  }
  return send(res, 404, { code: 'not_found' });
}

const server = http.createServer((req, res) => {
  route(req, res).catch((error: unknown) => send(res, 400, { code: 'invalid_request', detail: String(error) }));
});
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 65_536 });

server.on('upgrade', (req, socket, head) => {
  const userId = tokenOf(req.headers.authorization) ?? new URL(req.url ?? '/', 'http://raw').searchParams.get('token');
  if (!userId || !users.has(userId)) {
    socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    let sockets = socketsByUser.get(userId);
    if (!sockets) socketsByUser.set(userId, (sockets = new Set()));
    sockets.add(ws);
    ws.on('close', () => {
      sockets.delete(ws);
      if (sockets.size === 0) socketsByUser.delete(userId);
    });
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: Buffer) => onFrame(ws, userId, data));
  });
});

function onFrame(ws: WebSocket, userId: string, data: Buffer): void {
  let frame: { type?: unknown; message_id?: unknown; conversation_id?: unknown; content?: unknown };
  try {
    frame = JSON.parse(data.toString('utf8'));
  } catch {
    ws.send('{"type":"error","code":"invalid_json","detail":"not JSON","ref":null}');
    return;
  }
  if (frame.type === 'ping') return ws.send('{"type":"pong"}');
  if (frame.type !== 'message' || typeof frame.message_id !== 'string' || typeof frame.content !== 'string') {
    ws.send('{"type":"error","code":"unknown_type","detail":"only message and ping","ref":null}');
    return;
  }
  const conversation = conversations.get(String(frame.conversation_id));
  if (!conversation || !conversation.memberIds.includes(userId)) {
    ws.send(JSON.stringify({ type: 'error', code: 'not_member', detail: 'not a member', ref: frame.message_id }));
    return;
  }
  const json = post(conversation, userId, frame.message_id, frame.content);
  ws.send(`{"type":"ack","message_id":${JSON.stringify(frame.message_id)},"message":${json}}`);
}

const port = Number(process.env.PORT ?? 8100);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => console.warn(`raw ws server listening on ${host}:${port}`));
const stop = () => {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
