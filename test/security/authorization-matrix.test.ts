/**
 * The authorization matrix: every route and every socket frame, called by each of {owner, member,
 * former member, non-member, server admin (in no cell's conversation), no token, revoked token}, answers exactly the expected status (and
 * code); then 10,000 random ids are all refused the same way. Each cell expected to succeed gets a
 * fresh conversation, so what one cell changes (a removal, a delete) cannot decide another's outcome;
 * the cells a route refuses share one (a refusal changes nothing, or is a mismatch already).
 */
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, loginAgain, registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { fileForm, uploaded } from '../helpers/uploads.js';
import { TestSocket, upgradeStatus } from '../helpers/ws-client.js';
import { imageBytes } from '../uploads/image-samples.js';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc/index.js';

let png: Promise<Buffer> | null = null;
const pngBytes = () => (png ??= imageBytes('png', 8, 8));

const ROLES = ['owner', 'member', 'former', 'nonmember', 'admin', 'notoken', 'revoked'] as const;
type Role = (typeof ROLES)[number];
type Member = 'owner' | 'member' | 'former' | 'nonmember' | 'admin';
/** The fixed name ADMIN_USERNAMES appoints; it appoints every other cell's admin through PATCH /admin/users. */
const FIRST_ADMIN = 'matrix_first_admin';

/** One conversation per cell: owner, member and a watcher in it; former joined and left. */
interface World {
  users: Record<Member | 'watcher' | 'revoked', TestUser>;
  conversationId: string;
  /** Sent by the owner and by the member. */
  ownerMessage: { id: string; content: string };
  memberMessage: { id: string; content: string };
  outsiderId: string;
  /** An image the owner attached in a message of the conversation. */
  attachedUpload: string;
  /** Uploads of the owner and of the member that no message attaches yet. */
  drafts: { owner: string; member: string };
  /** The owner's push subscription (one for all cells: only the owner's DELETE cell removes it). */
  ownerPushSubscription: string;
  /** One of the owner's API tokens (one for all cells: only the owner's DELETE cell revokes it). */
  ownerApiToken: string;
  /** The owner's bot and one of its tokens (one for all cells: only the owner's DELETE cell revokes it). */
  ownerBot: { id: string; tokenId: string };
  /** The owner's outgoing webhook, with a delivery in its log (its receiver is down); one it deletes in its DELETE cell. */
  ownerWebhook: { id: string; deliveryId: string; doomed: string };
  /** A second login session of the owner (one for all cells: only the owner's DELETE cell revokes it). */
  ownerSpareSession: string;
  /** One of the owner's invite links (one for all cells: only the owner's DELETE cell revokes it). */
  ownerInvite: string;
}

/** What a cell's world holds beyond its conversation and messages, built only for the cells that use it. */
type Need = 'image' | 'drafts';

interface RouteCase {
  name: string;
  /** Session routes revoke the caller's tokens: their cells get users of their own. */
  freshUsers?: boolean;
  needs?: Need[];
  request: (w: World, caller: Member) => { method: string; path: string; body?: unknown; form?: FormData };
  /** Expected "status" or "status code" for each role holding a valid token. */
  expect: Record<Member, string>;
  /** Routes that need no token answer the same to everyone. */
  public?: boolean;
}

/** The server admin is in no cell's conversation: outside the /admin routes they are answered as a non-member. */
const members = (owner: string, member: string, former: string, nonmember: string, admin = nonmember): Record<Member, string> => ({ owner, member, former, nonmember, admin });
/** The /admin routes: the admin only (docs/API.md, "Administration"). */
const adminOnly = (ok: string) => members('403 forbidden', '403 forbidden', '403 forbidden', '403 forbidden', ok);
const all = (outcome: string) => members(outcome, outcome, outcome, outcome);
const scoped = (ok: string) => members(ok, ok, '403 not_member', '403 not_member');
/** Uploads answer 404 to whoever may not read them, as for one that does not exist (docs/API.md, "Files and images"). */
const readers = (ok: string) => members(ok, ok, '404 not_found', '404 not_found');
const ownerOnly = (ok: string) => members(ok, '404 not_found', '404 not_found', '404 not_found');
const THUMBS_UP = encodeURIComponent('👍');
/** A receiver on a closed loopback port (WEBHOOK_ALLOW_HTTP and EGRESS_ALLOW_PRIVATE_ADDRESSES on): deliveries fail and are retried, harmlessly. */
const WEBHOOK_URL = 'http://127.0.0.1:9/hook';
/** A browser's PushSubscription on a closed loopback port (PUSH_ALLOW_INSECURE_ENDPOINTS=on): pushes to it fail and are retried, harmlessly. */
const pushSubscription = () => ({
  endpoint: `http://127.0.0.1:9/push/${randomUUID()}`,
  keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') },
});

const ROUTES: RouteCase[] = [
  { name: 'POST /users', public: true, request: () => ({ method: 'POST', path: '/users', body: { username: `m${randomUUID().slice(0, 12)}`, password: 'long enough pw' } }), expect: all('201') },
  { name: 'POST /sessions', public: true, request: (w) => ({ method: 'POST', path: '/sessions', body: { username: w.users.owner.user.username, password: w.users.owner.password } }), expect: all('201') },
  { name: 'GET /healthz', public: true, request: () => ({ method: 'GET', path: '/healthz' }), expect: all('200') },
  { name: 'GET /readyz', public: true, request: () => ({ method: 'GET', path: '/readyz' }), expect: all('200') },
  { name: 'GET /metrics', public: true, request: () => ({ method: 'GET', path: '/metrics' }), expect: all('200') },
  { name: 'GET /openapi.json', public: true, request: () => ({ method: 'GET', path: '/openapi.json' }), expect: all('200') },
  { name: 'GET /limits', public: true, request: () => ({ method: 'GET', path: '/limits' }), expect: all('200') },
  { name: 'DELETE /sessions/current', freshUsers: true, request: () => ({ method: 'DELETE', path: '/sessions/current' }), expect: all('204') },
  { name: 'DELETE /sessions', freshUsers: true, request: () => ({ method: 'DELETE', path: '/sessions' }), expect: all('204') },
  { name: 'DELETE /sessions?all=true', freshUsers: true, request: () => ({ method: 'DELETE', path: '/sessions?all=true' }), expect: all('204') },
  { name: 'GET /users/me', request: () => ({ method: 'GET', path: '/users/me' }), expect: all('200') },
  { name: 'GET /users/me/role', request: () => ({ method: 'GET', path: '/users/me/role' }), expect: all('200') },
  { name: 'GET /users/me/export', request: () => ({ method: 'GET', path: '/users/me/export' }), expect: all('200') },
  { name: 'GET /users/me/blocks', request: () => ({ method: 'GET', path: '/users/me/blocks' }), expect: all('200') },
  { name: 'PUT /users/me/blocks/{outsider}', request: (w) => ({ method: 'PUT', path: `/users/me/blocks/${w.outsiderId}` }), expect: all('204') },
  { name: 'DELETE /users/me/blocks/{outsider}', request: (w) => ({ method: 'DELETE', path: `/users/me/blocks/${w.outsiderId}` }), expect: all('204') },
  { name: 'GET /users/{id}', request: (w) => ({ method: 'GET', path: `/users/${w.users.owner.user.id}` }), expect: all('200') },
  { name: 'GET /users?username=', request: (w) => ({ method: 'GET', path: `/users?username=${w.users.member.user.username}` }), expect: all('200') },
  { name: 'POST /conversations', request: (w) => ({ method: 'POST', path: '/conversations', body: { title: 't', member_ids: [w.outsiderId] } }), expect: all('201') },
  { name: 'GET /conversations', request: () => ({ method: 'GET', path: '/conversations' }), expect: all('200') },
  { name: 'GET /conversations/{id}', request: (w) => ({ method: 'GET', path: `/conversations/${w.conversationId}` }), expect: scoped('200') },
  { name: 'POST /conversations/{id}/members (an outsider)', request: (w) => ({ method: 'POST', path: `/conversations/${w.conversationId}/members`, body: { user_id: w.outsiderId } }), expect: scoped('201') },
  { name: 'POST /conversations/{id}/members (an existing member)', request: (w) => ({ method: 'POST', path: `/conversations/${w.conversationId}/members`, body: { user_id: w.users.member.user.id } }), expect: scoped('200') },
  { name: 'POST /conversations/{id}/members (themselves)', request: (w, caller) => ({ method: 'POST', path: `/conversations/${w.conversationId}/members`, body: { user_id: w.users[caller].user.id } }), expect: scoped('200') },
  { name: 'PATCH /conversations/{id}/members/{member}', request: (w) => ({ method: 'PATCH', path: `/conversations/${w.conversationId}/members/${w.users.member.user.id}`, body: { role: 'admin' } }), expect: members('200', '403 not_owner', '403 not_member', '403 not_member') },
  { name: 'DELETE /conversations/{id}/members/{member}', request: (w) => ({ method: 'DELETE', path: `/conversations/${w.conversationId}/members/${w.users.member.user.id}` }), expect: scoped('204') },
  { name: 'DELETE /conversations/{id}/members/{owner}', request: (w) => ({ method: 'DELETE', path: `/conversations/${w.conversationId}/members/${w.users.owner.user.id}` }), expect: members('204', '403 not_owner', '403 not_member', '403 not_member') },
  { name: 'DELETE /conversations/{id}/members/{themselves}', request: (w, caller) => ({ method: 'DELETE', path: `/conversations/${w.conversationId}/members/${w.users[caller].user.id}` }), expect: scoped('204') },
  { name: 'PUT /conversations/{id}/retention', request: (w) => ({ method: 'PUT', path: `/conversations/${w.conversationId}/retention`, body: { retention_days: 36_500 } }), expect: members('200', '403 not_owner', '403 not_member', '403 not_member') },
  { name: 'PATCH /conversations/{id}', request: (w) => ({ method: 'PATCH', path: `/conversations/${w.conversationId}`, body: { title: `renamed ${randomUUID()}` } }), expect: members('200', '403 not_owner', '403 not_member', '403 not_member') },
  { name: 'GET /conversations/{id}/events', request: (w) => ({ method: 'GET', path: `/conversations/${w.conversationId}/events?after=0` }), expect: scoped('200') },
  // Everyone may sync; what a former member or non-member learns of the listed conversation is only `gone` (test/change-feed/sync.routes.test.ts).
  { name: 'POST /sync', request: (w) => ({ method: 'POST', path: '/sync', body: { conversations: { [w.conversationId]: 0 } } }), expect: all('200') },
  { name: 'GET /conversations/{id}/messages', request: (w) => ({ method: 'GET', path: `/conversations/${w.conversationId}/messages?after=0` }), expect: scoped('200') },
  { name: 'POST /messages', request: (w) => ({ method: 'POST', path: '/messages', body: { message_id: randomUUID(), conversation_id: w.conversationId, content: 'hi' } }), expect: scoped('201') },
  { name: 'POST /messages (sender_id of another)', request: (w, caller) => ({ method: 'POST', path: '/messages', body: { message_id: randomUUID(), conversation_id: w.conversationId, content: 'hi', sender_id: w.users[caller === 'owner' ? 'member' : 'owner'].user.id } }), expect: scoped('403 sender_mismatch') },
  { name: "POST /messages (the member's message_id again)", request: (w) => ({ method: 'POST', path: '/messages', body: { message_id: w.memberMessage.id, conversation_id: w.conversationId, content: w.memberMessage.content } }), expect: members('409 message_id_conflict', '200', '403 not_member', '403 not_member') },
  { name: 'POST /conversations/{id}/messages', request: (w) => ({ method: 'POST', path: `/conversations/${w.conversationId}/messages`, body: { message_id: randomUUID(), content: 'hi' } }), expect: scoped('201') },
  { name: 'POST /conversations/{id}/read', request: (w) => ({ method: 'POST', path: `/conversations/${w.conversationId}/read`, body: { seq: 1 } }), expect: scoped('204') },
  { name: "PATCH /messages/{owner's}", request: (w) => ({ method: 'PATCH', path: `/messages/${w.ownerMessage.id}`, body: { content: 'edited' } }), expect: members('200', '403 not_sender', '403 not_member', '403 not_member') },
  { name: "PATCH /messages/{member's}", request: (w) => ({ method: 'PATCH', path: `/messages/${w.memberMessage.id}`, body: { content: 'edited' } }), expect: members('403 not_sender', '200', '403 not_member', '403 not_member') },
  { name: "DELETE /messages/{owner's}", request: (w) => ({ method: 'DELETE', path: `/messages/${w.ownerMessage.id}` }), expect: members('204', '403 not_sender', '403 not_member', '403 not_member') },
  { name: "DELETE /messages/{member's}", request: (w) => ({ method: 'DELETE', path: `/messages/${w.memberMessage.id}` }), expect: scoped('204') },
  // MENTION_ALL_MAX_MEMBERS is 2 here and each conversation has 3 members: only its owner may mention everyone.
  { name: 'POST /messages (@all)', request: (w) => ({ method: 'POST', path: '/messages', body: { message_id: randomUUID(), conversation_id: w.conversationId, content: '@all hi' } }), expect: members('201', '403 mention_all_forbidden', '403 not_member', '403 not_member') },
  { name: "PATCH /messages/{owner's} (adding @all)", request: (w) => ({ method: 'PATCH', path: `/messages/${w.ownerMessage.id}`, body: { content: '@everyone edited' } }), expect: members('200', '403 not_sender', '403 not_member', '403 not_member') },
  { name: "PATCH /messages/{member's} (adding @all)", request: (w) => ({ method: 'PATCH', path: `/messages/${w.memberMessage.id}`, body: { content: '@everyone edited' } }), expect: members('403 not_sender', '403 mention_all_forbidden', '403 not_member', '403 not_member') },
  { name: 'PUT /messages/{id}/reactions/{emoji}', request: (w) => ({ method: 'PUT', path: `/messages/${w.ownerMessage.id}/reactions/${THUMBS_UP}` }), expect: scoped('204') },
  { name: 'DELETE /messages/{id}/reactions/{emoji}', request: (w) => ({ method: 'DELETE', path: `/messages/${w.memberMessage.id}/reactions/${THUMBS_UP}` }), expect: scoped('204') },
  { name: 'GET /messages/{id}/reactions', request: (w) => ({ method: 'GET', path: `/messages/${w.ownerMessage.id}/reactions` }), expect: scoped('200') },
  // Any member may pin and unpin, whoever sent the message or pinned it (conversation.policy.ts, requireMayPin).
  { name: 'PUT /conversations/{id}/pins/{message_id}', request: (w) => ({ method: 'PUT', path: `/conversations/${w.conversationId}/pins/${w.ownerMessage.id}` }), expect: scoped('204') },
  { name: 'DELETE /conversations/{id}/pins/{message_id}', request: (w) => ({ method: 'DELETE', path: `/conversations/${w.conversationId}/pins/${w.memberMessage.id}` }), expect: scoped('204') },
  { name: 'GET /conversations/{id}/pins', request: (w) => ({ method: 'GET', path: `/conversations/${w.conversationId}/pins` }), expect: scoped('200') },
  { name: 'POST /messages (a thread reply)', request: (w) => ({ method: 'POST', path: '/messages', body: { message_id: randomUUID(), conversation_id: w.conversationId, content: 'hi', thread_root_id: w.ownerMessage.id } }), expect: scoped('201') },
  { name: 'POST /conversations/{id}/messages (a quoted reply)', request: (w) => ({ method: 'POST', path: `/conversations/${w.conversationId}/messages`, body: { message_id: randomUUID(), content: 'hi', reply_to_id: w.memberMessage.id } }), expect: scoped('201') },
  { name: 'GET /messages/{id}/thread', request: (w) => ({ method: 'GET', path: `/messages/${w.ownerMessage.id}/thread` }), expect: scoped('200') },
  { name: 'POST /messages/{id}/thread/read', request: (w) => ({ method: 'POST', path: `/messages/${w.ownerMessage.id}/thread/read`, body: { seq: 1 } }), expect: scoped('200') },
  { name: 'PUT /messages/{id}/thread/follow', request: (w) => ({ method: 'PUT', path: `/messages/${w.memberMessage.id}/thread/follow` }), expect: scoped('204') },
  { name: 'DELETE /messages/{id}/thread/follow', request: (w) => ({ method: 'DELETE', path: `/messages/${w.ownerMessage.id}/thread/follow` }), expect: scoped('204') },
  { name: 'GET /threads', request: () => ({ method: 'GET', path: '/threads' }), expect: all('200') },
  // Everyone may search: what each finds is only their conversations' messages (test/search/search-access.test.ts).
  { name: 'GET /search/messages', request: (w) => ({ method: 'GET', path: `/search/messages?q=${w.users.owner.user.username}` }), expect: all('200') },
  { name: 'GET /search/messages?conversation_id=', request: (w) => ({ method: 'GET', path: `/search/messages?q=by&conversation_id=${w.conversationId}` }), expect: scoped('200') },
  // Your own notification settings: everyone has them; a conversation's only its members (conversation.policy.ts, requireMembership).
  { name: 'GET /notification-settings', request: () => ({ method: 'GET', path: '/notification-settings' }), expect: all('200') },
  { name: 'PATCH /notification-settings', request: () => ({ method: 'PATCH', path: '/notification-settings', body: { level: 'mentions' } }), expect: all('200') },
  { name: 'GET /conversations/{id}/notification-settings', request: (w) => ({ method: 'GET', path: `/conversations/${w.conversationId}/notification-settings` }), expect: scoped('200') },
  { name: 'PUT /conversations/{id}/notification-settings', request: (w) => ({ method: 'PUT', path: `/conversations/${w.conversationId}/notification-settings`, body: { level: 'none', muted_until: null } }), expect: scoped('200') },
  { name: 'POST /uploads', request: () => ({ method: 'POST', path: '/uploads', form: fileForm('notes', 'n.txt') }), expect: all('201') },
  { name: 'GET /uploads/{attached}', needs: ['image'], request: (w) => ({ method: 'GET', path: `/uploads/${w.attachedUpload}` }), expect: readers('200') },
  { name: 'GET /uploads/{attached}/content', needs: ['image'], request: (w) => ({ method: 'GET', path: `/uploads/${w.attachedUpload}/content` }), expect: readers('200') },
  { name: 'GET /uploads/{attached}/thumbnail', needs: ['image'], request: (w) => ({ method: 'GET', path: `/uploads/${w.attachedUpload}/thumbnail` }), expect: readers('200') },
  { name: "GET /uploads/{owner's unattached}", needs: ['drafts'], request: (w) => ({ method: 'GET', path: `/uploads/${w.drafts.owner}` }), expect: ownerOnly('200') },
  { name: "GET /uploads/{owner's unattached}/content", needs: ['drafts'], request: (w) => ({ method: 'GET', path: `/uploads/${w.drafts.owner}/content` }), expect: ownerOnly('200') },
  // Membership first, then whose upload it is: only its uploader may attach it.
  // Everyone may ask: what each learns is only about users sharing a conversation with them (test/realtime/presence.test.ts, and below).
  { name: 'GET /presence', request: (w) => ({ method: 'GET', path: `/presence?user_ids=${w.users.owner.user.id},${w.users.member.user.id}` }), expect: all('200') },
  // Push subscriptions belong to their user only: another user's is 404 like one that does not exist.
  { name: 'GET /push/vapid-public-key', request: () => ({ method: 'GET', path: '/push/vapid-public-key' }), expect: all('200') },
  { name: 'POST /push/subscriptions', request: () => ({ method: 'POST', path: '/push/subscriptions', body: pushSubscription() }), expect: all('201') },
  { name: 'GET /push/subscriptions', request: () => ({ method: 'GET', path: '/push/subscriptions' }), expect: all('200') },
  { name: "DELETE /push/subscriptions/{owner's}", request: (w) => ({ method: 'DELETE', path: `/push/subscriptions/${w.ownerPushSubscription}` }), expect: ownerOnly('204') },
  // API tokens belong to their user only: another user's is 404 like one that does not exist.
  { name: 'POST /tokens', request: () => ({ method: 'POST', path: '/tokens', body: { name: 'matrix', scopes: ['messages:read'] } }), expect: all('201') },
  { name: 'GET /tokens', request: () => ({ method: 'GET', path: '/tokens' }), expect: all('200') },
  { name: "DELETE /tokens/{owner's}", request: (w) => ({ method: 'DELETE', path: `/tokens/${w.ownerApiToken}` }), expect: ownerOnly('204') },
  // Bots are managed by their owner only: another user's is 404 like one that does not exist.
  { name: 'POST /bots', request: () => ({ method: 'POST', path: '/bots', body: { username: `b${randomUUID().slice(0, 12)}` } }), expect: all('201') },
  { name: 'GET /bots', request: () => ({ method: 'GET', path: '/bots' }), expect: all('200') },
  { name: "POST /bots/{owner's}/tokens", request: (w) => ({ method: 'POST', path: `/bots/${w.ownerBot.id}/tokens`, body: { name: 'matrix', scopes: ['messages:read'] } }), expect: ownerOnly('201') },
  { name: "GET /bots/{owner's}/tokens", request: (w) => ({ method: 'GET', path: `/bots/${w.ownerBot.id}/tokens` }), expect: ownerOnly('200') },
  { name: "DELETE /bots/{owner's}/tokens/{id}", request: (w) => ({ method: 'DELETE', path: `/bots/${w.ownerBot.id}/tokens/${w.ownerBot.tokenId}` }), expect: ownerOnly('204') },
  // Incoming webhooks: a conversation's members make and list them (revoking: test/http/incoming-webhooks.routes.test.ts); posting needs only the secret URL.
  { name: 'POST /conversations/{id}/incoming-webhooks', request: (w) => ({ method: 'POST', path: `/conversations/${w.conversationId}/incoming-webhooks`, body: { username: `h${randomUUID().slice(0, 12)}` } }), expect: scoped('201') },
  { name: 'GET /conversations/{id}/incoming-webhooks', request: (w) => ({ method: 'GET', path: `/conversations/${w.conversationId}/incoming-webhooks` }), expect: scoped('200') },
  { name: 'POST /hooks/{unknown secret}', public: true, request: () => ({ method: 'POST', path: `/hooks/pnh_${randomBytes(32).toString('base64url')}`, body: { content: 'x' } }), expect: all('404 not_found') },
  // Outgoing webhooks: a conversation's owner or a bot's owner subscribes; each webhook is its owner's alone (404 to anyone else).
  { name: 'POST /webhooks (conversation)', request: (w) => ({ method: 'POST', path: '/webhooks', body: { url: WEBHOOK_URL, event_types: ['message.created'], conversation_id: w.conversationId } }), expect: members('201', '403 not_owner', '403 not_member', '403 not_member') },
  { name: "POST /webhooks (owner's bot)", request: (w) => ({ method: 'POST', path: '/webhooks', body: { url: WEBHOOK_URL, event_types: ['message.created'], bot_id: w.ownerBot.id } }), expect: ownerOnly('201') },
  { name: 'GET /webhooks', request: () => ({ method: 'GET', path: '/webhooks' }), expect: all('200') },
  { name: "GET /webhooks/{owner's}", request: (w) => ({ method: 'GET', path: `/webhooks/${w.ownerWebhook.id}` }), expect: ownerOnly('200') },
  { name: "PATCH /webhooks/{owner's}", request: (w) => ({ method: 'PATCH', path: `/webhooks/${w.ownerWebhook.id}`, body: { description: 'matrix' } }), expect: ownerOnly('200') },
  { name: "POST /webhooks/{owner's}/rotate-secret", request: (w) => ({ method: 'POST', path: `/webhooks/${w.ownerWebhook.id}/rotate-secret` }), expect: ownerOnly('200') },
  { name: "GET /webhooks/{owner's}/deliveries", request: (w) => ({ method: 'GET', path: `/webhooks/${w.ownerWebhook.id}/deliveries` }), expect: ownerOnly('200') },
  { name: "POST /webhooks/{owner's}/deliveries/{id}/redeliver", request: (w) => ({ method: 'POST', path: `/webhooks/${w.ownerWebhook.id}/deliveries/${w.ownerWebhook.deliveryId}/redeliver` }), expect: ownerOnly('202') },
  { name: "DELETE /webhooks/{owner's}", request: (w) => ({ method: 'DELETE', path: `/webhooks/${w.ownerWebhook.doomed}` }), expect: ownerOnly('204') },
  // Profiles, the directory and sessions (docs/API.md, "Profiles", "Finding people", "Password and sessions"): each user's own.
  // Profile changes announce themselves in every conversation of the caller: fresh users, in one conversation, keep them cheap.
  { name: 'PATCH /users/me', freshUsers: true, request: () => ({ method: 'PATCH', path: '/users/me', body: { display_name: 'Matrix', status_text: 'testing' } }), expect: all('200') },
  { name: "PUT /users/me/avatar (the owner's image upload)", needs: ['image'], freshUsers: true, request: (w) => ({ method: 'PUT', path: '/users/me/avatar', body: { upload_id: w.attachedUpload } }), expect: members('200', '404 upload_not_found', '404 upload_not_found', '404 upload_not_found') },
  { name: 'DELETE /users/me/avatar', freshUsers: true, request: () => ({ method: 'DELETE', path: '/users/me/avatar' }), expect: all('200') },
  { name: 'GET /users?q=', request: (w) => ({ method: 'GET', path: `/users?q=${w.users.owner.user.username.slice(0, 4)}` }), expect: all('200') },
  { name: 'GET /users?ids=', request: (w) => ({ method: 'GET', path: `/users?ids=${w.users.owner.user.id},${w.users.member.user.id}` }), expect: all('200') },
  { name: 'GET /avatars/{unknown}', public: true, request: () => ({ method: 'GET', path: `/avatars/${randomBytes(16).toString('base64url')}.webp` }), expect: all('404 not_found') },
  { name: 'GET /sessions', request: () => ({ method: 'GET', path: '/sessions' }), expect: all('200') },
  { name: "DELETE /sessions/{owner's other}", request: (w) => ({ method: 'DELETE', path: `/sessions/${w.ownerSpareSession}` }), expect: ownerOnly('204') },
  { name: 'POST /users/me/password (wrong current)', request: () => ({ method: 'POST', path: '/users/me/password', body: { current_password: 'not the password', new_password: 'another long password' } }), expect: all('403 wrong_password') },
  { name: 'POST /users/me/password', freshUsers: true, request: (w, caller) => ({ method: 'POST', path: '/users/me/password', body: { current_password: w.users[caller].password, new_password: 'another long password' } }), expect: all('204') },
  { name: 'GET /login-options', public: true, request: () => ({ method: 'GET', path: '/login-options' }), expect: all('200') },
  { name: 'POST /invites', request: () => ({ method: 'POST', path: '/invites', body: { max_uses: 2 } }), expect: all('201') },
  { name: 'GET /invites', request: () => ({ method: 'GET', path: '/invites' }), expect: all('200') },
  { name: "DELETE /invites/{owner's}", request: (w) => ({ method: 'DELETE', path: `/invites/${w.ownerInvite}` }), expect: ownerOnly('204') },
  // Single sign-on (docs/API.md, "Single sign-on"): starting a log-in, the callback and the login code are public; linking and identities are the caller's own.
  { name: 'POST /auth/oidc/{provider}/authorize', public: true, request: () => ({ method: 'POST', path: '/auth/oidc/corp/authorize', body: {} }), expect: all('200') },
  { name: 'POST /auth/oidc/{provider}/authorize (link)', request: () => ({ method: 'POST', path: '/auth/oidc/corp/authorize', body: { link: true } }), expect: all('200') },
  { name: 'GET /auth/oidc/{provider}/callback (an unknown state)', public: true, request: () => ({ method: 'GET', path: `/auth/oidc/corp/callback?state=${randomBytes(32).toString('base64url')}&code=x` }), expect: all('400 invalid_sso_state') },
  { name: 'POST /sessions/sso (an unknown code)', public: true, request: () => ({ method: 'POST', path: '/sessions/sso', body: { login_code: `pnl_${randomBytes(32).toString('base64url')}` } }), expect: all('400 invalid_login_code') },
  { name: 'GET /users/me/identities', request: () => ({ method: 'GET', path: '/users/me/identities' }), expect: all('200') },
  { name: 'DELETE /users/me/identities/{provider} (none linked)', request: () => ({ method: 'DELETE', path: '/users/me/identities/corp' }), expect: all('404 not_found') },
  // Administration: server admins only, whatever their place in the conversation.
  { name: 'GET /admin/users', request: () => ({ method: 'GET', path: '/admin/users?limit=5' }), expect: adminOnly('200') },
  { name: 'GET /admin/users/{member}', request: (w) => ({ method: 'GET', path: `/admin/users/${w.users.member.user.id}` }), expect: adminOnly('200') },
  { name: 'PATCH /admin/users/{outsider} (role member, unchanged)', request: (w) => ({ method: 'PATCH', path: `/admin/users/${w.outsiderId}`, body: { role: 'member' } }), expect: adminOnly('200') },
  { name: 'PATCH /admin/users/{former} (deactivate)', freshUsers: true, request: (w) => ({ method: 'PATCH', path: `/admin/users/${w.users.former.user.id}`, body: { deactivated: true } }), expect: adminOnly('200') },
  { name: "DELETE /admin/messages/{member's}", request: (w) => ({ method: 'DELETE', path: `/admin/messages/${w.memberMessage.id}` }), expect: adminOnly('204') },
  { name: 'POST /messages/{owner message}/reports', request: (w) => ({ method: 'POST', path: `/messages/${w.ownerMessage.id}/reports`, body: { reason: 'spam' } }), expect: members('400 invalid_request', '201', '403 not_member', '403 not_member') },
  { name: 'GET /admin/retention', request: () => ({ method: 'GET', path: '/admin/retention' }), expect: adminOnly('200') },
  // A century, or none: the cells' messages are never old enough for either to delete them.
  { name: 'PUT /admin/retention', request: () => ({ method: 'PUT', path: '/admin/retention', body: { message_retention_days: null } }), expect: adminOnly('200') },
  { name: 'GET /admin/reports', request: () => ({ method: 'GET', path: '/admin/reports' }), expect: adminOnly('200') },
  { name: 'PATCH /admin/reports/{unknown}', request: () => ({ method: 'PATCH', path: `/admin/reports/${randomUUID()}`, body: { status: 'dismissed' } }), expect: adminOnly('404 not_found') },
  { name: 'DELETE /admin/conversations/{id}/members/{member}', request: (w) => ({ method: 'DELETE', path: `/admin/conversations/${w.conversationId}/members/${w.users.member.user.id}` }), expect: adminOnly('204') },
  { name: 'GET /admin/audit', request: () => ({ method: 'GET', path: '/admin/audit?limit=5' }), expect: adminOnly('200') },
  // A window long past: the removal matches none of the shared users' messages, which other cells need.
  { name: 'POST /admin/users/{outsider}/message-removals', request: (w) => ({ method: 'POST', path: `/admin/users/${w.outsiderId}/message-removals`, body: { from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' } }), expect: adminOnly('202') },
  { name: 'GET /admin/message-removals/{unknown}', request: () => ({ method: 'GET', path: `/admin/message-removals/${randomUUID()}` }), expect: adminOnly('404 not_found') },
  { name: 'GET /admin/message-removals', request: () => ({ method: 'GET', path: '/admin/message-removals?limit=5' }), expect: adminOnly('200') },
  { name: "POST /messages (attaching the owner's upload)", needs: ['drafts'], request: (w) => ({ method: 'POST', path: '/messages', body: { message_id: randomUUID(), conversation_id: w.conversationId, content: '', attachments: [w.drafts.owner] } }), expect: members('201', '404 upload_not_found', '403 not_member', '403 not_member') },
];

type FrameKind = 'message' | 'thread reply' | 'attachment' | 'join' | 'typing' | 'read' | 'activity';
const FRAME_KINDS: FrameKind[] = ['message', 'thread reply', 'attachment', 'join', 'typing', 'read', 'activity'];
// `activity` has no answer: accepted when no error comes back.
const FRAME_EXPECT: Record<FrameKind, string> = { message: 'ack', 'thread reply': 'ack', attachment: 'ack', join: 'joined', typing: 'typing relayed', read: 'read event', activity: 'accepted' };

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

for (const dialect of enabledDialects()) {
  describe(`authorization matrix [${dialect}]`, () => {
    let server: TestServer;
    let shared: World['users'];
    let ownerPushSubscription: string;
    let ownerApiToken: string;
    let ownerBot: World['ownerBot'];
    let ownerWebhook: World['ownerWebhook'];
    let ownerSpareSession: string;
    let ownerInvite: string;
    /** A user in none of the cells' conversations (adding them changes only that cell's conversation). */
    let outsiderId: string;
    /** Appointed by ADMIN_USERNAMES; appoints each world's admin. */
    let firstAdmin: TestUser;
    /** A real OpenID provider on loopback, configured as `corp`. */
    let provider: TestOidcProvider;

    const makeUsers = async (): Promise<World['users']> => {
      const [owner, member, former, nonmember, watcher, revoked, admin] = await Promise.all(
        ['own', 'mem', 'former', 'non', 'watch', 'revoked', 'admin'].map((p) => registerUser(server.url, p)),
      );
      expect((await revoked!.api.delete('/sessions/current')).status).toBe(204);
      expect((await firstAdmin.api.patch(`/admin/users/${admin!.user.id}`, { role: 'admin' })).status).toBe(200);
      return { owner: owner!, member: member!, former: former!, nonmember: nonmember!, admin: admin!, watcher: watcher!, revoked: revoked! };
    };

    /** A fresh conversation for one cell; uploads only when the cell's route `needs` them (an image upload is most of a world's cost). */
    const makeWorld = async (users: World['users'], needs: readonly Need[] = []): Promise<World> => {
      // The revoked user is a member too, so a 403 could not stand in for the 401 it must get.
      const created = await users.owner.api.post('/conversations', {
        title: 'matrix',
        member_ids: [users.member.user.id, users.former.user.id, users.watcher.user.id],
      });
      const conversationId = created.body.id as string;
      const leave = await users.former.api.delete(`/conversations/${conversationId}/members/${users.former.user.id}`);
      if (leave.status !== 204) throw new Error(`leave failed ${leave.status}`);
      const send = async (user: TestUser) => {
        const id = randomUUID();
        const content = `by ${user.user.username}`;
        const r = await user.api.post('/messages', { message_id: id, conversation_id: conversationId, content });
        if (r.status !== 201) throw new Error(`send failed ${r.status}`);
        return { id, content };
      };
      const world: World = { users, conversationId, ownerMessage: await send(users.owner), memberMessage: await send(users.member), outsiderId, attachedUpload: '', drafts: { owner: '', member: '' }, ownerPushSubscription, ownerApiToken, ownerBot, ownerWebhook, ownerSpareSession, ownerInvite };
      if (needs.includes('image')) {
        world.attachedUpload = (await uploaded(users.owner.api, await pngBytes(), 'p.png')).id;
        const attach = await users.owner.api.post('/messages', { message_id: randomUUID(), conversation_id: conversationId, content: '', attachments: [world.attachedUpload] });
        if (attach.status !== 201) throw new Error(`attach failed ${attach.status}`);
      } else {
        Object.defineProperty(world, 'attachedUpload', { get: () => { throw new Error("this cell's route must declare needs: ['image']"); } });
      }
      if (needs.includes('drafts')) {
        world.drafts = { owner: (await uploaded(users.owner.api, 'o', 'o.txt')).id, member: (await uploaded(users.member.api, 'm', 'm.txt')).id };
      } else {
        Object.defineProperty(world, 'drafts', { get: () => { throw new Error("this cell's route must declare needs: ['drafts']"); } });
      }
      return world;
    };

    const apiFor = (w: World, role: Role): { api: Api; caller: Member } => {
      if (role === 'notoken') return { api: new Api(server.url), caller: 'nonmember' };
      if (role === 'revoked') return { api: w.users.revoked.api, caller: 'member' };
      return { api: w.users[role].api, caller: role };
    };

    beforeAll(async () => {
      provider = await startOidcProvider({ clients: [{ client_id: 'pneumatic', client_secret: 'matrix-secret', redirect_uris: ['http://127.0.0.1:9/callback'] }] });
      server = await startServer({ dialect, env: { OIDC_PROVIDERS: 'corp', OIDC_CORP_ISSUER: provider.issuer, OIDC_CORP_CLIENT_ID: 'pneumatic', OIDC_CORP_CLIENT_SECRET: 'matrix-secret', OIDC_ALLOW_HTTP: 'on', RATE_LIMITS: 'off', MENTION_ALL_MAX_MEMBERS: '2', ADMIN_USERNAMES: FIRST_ADMIN, PUSH_ALLOW_INSECURE_ENDPOINTS: 'on', PUSH_MAX_SUBSCRIPTIONS_PER_USER: '1000', API_TOKENS_MAX_PER_USER: '1000', BOTS_MAX_PER_USER: '1000', WEBHOOKS_MAX_PER_USER: '1000', WEBHOOK_ALLOW_HTTP: 'on', EGRESS_ALLOW_PRIVATE_ADDRESSES: 'on', WEBHOOK_POLL_MS: '100' } });
      const signedUp = await new Api(server.url).post('/users', { username: FIRST_ADMIN, password: 'long enough pw' });
      firstAdmin = { user: signedUp.body.user, token: signedUp.body.token, password: 'long enough pw', api: new Api(server.url, signedUp.body.token) };
      shared = await makeUsers();
      outsiderId = (await registerUser(server.url, 'outsider')).user.id;
      ownerPushSubscription = (await shared.owner.api.post('/push/subscriptions', pushSubscription())).body.id as string;
      ownerApiToken = (await shared.owner.api.post('/tokens', { name: 'matrix', scopes: ['messages:read'] })).body.token.id as string;
      const botId = (await shared.owner.api.post('/bots', { username: `matrixbot${randomUUID().slice(0, 8)}` })).body.user.id as string;
      ownerBot = { id: botId, tokenId: (await shared.owner.api.post(`/bots/${botId}/tokens`, { name: 'matrix', scopes: ['messages:read'] })).body.token.id as string };
      ownerWebhook = await webhookWithDelivery(shared.owner);
      const spare = await loginAgain(shared.owner);
      ownerSpareSession = (await shared.owner.api.as(spare).get('/sessions')).body.sessions.find((s: { current: boolean }) => s.current).id as string;
      ownerInvite = (await shared.owner.api.post('/invites', {})).body.invite.id as string;
    });

    /** A webhook of the owner's own conversation whose first delivery failed, and one to delete. */
    const webhookWithDelivery = async (owner: TestUser): Promise<World['ownerWebhook']> => {
      const conversationId = (await owner.api.post('/conversations', { title: 'hooked', member_ids: [] })).body.id as string;
      const hook = (body: object) => owner.api.post('/webhooks', { url: WEBHOOK_URL, event_types: ['message.created'], ...body });
      const id = (await hook({ conversation_id: conversationId })).body.webhook.id as string;
      const doomed = (await hook({ conversation_id: conversationId })).body.webhook.id as string;
      await owner.api.post('/messages', { message_id: randomUUID(), conversation_id: conversationId, content: 'to the closed port' });
      for (let i = 0; i < 200; i++) {
        const log = await owner.api.get(`/webhooks/${id}/deliveries`);
        if (log.body.deliveries.length > 0) return { id, deliveryId: log.body.deliveries[0].id as string, doomed };
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no webhook delivery was logged');
    };
    afterAll(async () => {
      await server.close();
      await provider.close();
    });

    it('answers every route × role with the expected status and code', async () => {
      const cells = ROUTES.flatMap((route) => ROLES.map((role) => ({ route, role })));
      const mismatches: string[] = [];
      const table = new Map<string, Record<string, string>>();
      const freshWorld = async (route: RouteCase) => makeWorld(route.freshUsers ? await makeUsers() : shared, route.needs);
      // Worlds are most of the matrix's time. Refused cells, and the public routes (which use no more
      // of a world than the owner's name), share one per route, built on first use.
      const sharedWorlds = new Map<string, Promise<World>>();
      const sharedWorld = (route: RouteCase) => sharedWorlds.get(route.name) ?? sharedWorlds.set(route.name, freshWorld(route)).get(route.name)!;
      let worlds = 0;
      await pool(cells, 8, async ({ route, role }) => {
        const expected = route.public ? route.expect.owner : role === 'notoken' || role === 'revoked' ? '401' : route.expect[role];
        const shares = route.public || Number.parseInt(expected, 10) >= 400;
        worlds += shares && sharedWorlds.has(route.name) ? 0 : 1;
        const world = await (shares ? sharedWorld(route) : freshWorld(route));
        const { api, caller } = apiFor(world, role);
        const { method, path, body, form } = route.request(world, caller);
        const response = await api.request(method, path, form !== undefined ? { form } : body === undefined ? {} : { body });
        const got = response.status >= 400 && response.status !== 401 ? `${response.status} ${response.body?.code}` : String(response.status);
        if (role === 'notoken' || role === 'revoked') {
          if (!route.public && (response.status !== 401 || response.body?.code !== 'unauthorized')) mismatches.push(`${route.name} as ${role}: expected 401 unauthorized, got ${got} ${response.body?.code}`);
        }
        if (got !== expected) mismatches.push(`${route.name} as ${role}: expected ${expected}, got ${got}`);
        table.set(route.name, { ...table.get(route.name), [role]: got });
      });
      console.log(`[authorization-matrix ${dialect}] HTTP: ${ROUTES.length} routes × ${ROLES.length} roles = ${cells.length} cells in ${worlds} worlds, ${mismatches.length} mismatches`);
      console.table(Object.fromEntries(ROUTES.map((r) => [r.name, table.get(r.name)])));
      expect(mismatches).toEqual([]);
    }, 120_000);

    it('answers every socket frame × role with the expected outcome', async () => {
      const cells = FRAME_KINDS.flatMap((kind) => ROLES.map((role) => ({ kind, role })));
      const mismatches: string[] = [];
      const outcomes: Record<string, Record<string, string>> = {};
      await pool(cells, 4, async ({ kind, role }) => {
        const world = await makeWorld(shared, kind === 'attachment' ? ['drafts'] : []);
        let outcome: string;
        if (role === 'notoken' || role === 'revoked') {
          outcome = `upgrade ${await upgradeStatus(server.wsUrl, role === 'revoked' ? { token: world.users.revoked.token } : {})}`;
        } else {
          const me = world.users[role];
          const watcher = await TestSocket.open(server.wsUrl, { token: world.users.watcher.token });
          const socket = await TestSocket.open(server.wsUrl, { token: me.token });
          const c = world.conversationId;
          const frame =
            kind === 'message' ? { type: 'message', message_id: randomUUID(), conversation_id: c, content: 'x' }
            : kind === 'thread reply' ? { type: 'message', message_id: randomUUID(), conversation_id: c, content: 'x', thread_root_id: world.ownerMessage.id }
            : kind === 'attachment' ? { type: 'message', message_id: randomUUID(), conversation_id: c, content: '', attachments: [world.drafts[role === 'member' ? 'member' : 'owner']] }
            : kind === 'read' ? { type: 'read', conversation_id: c, seq: 1 }
            : kind === 'activity' ? { type: 'activity', state: 'active', viewing: c }
            : { type: kind, conversation_id: c };
          socket.send(frame);
          const reply = kind === 'activity' ? await socket.waitFor((f) => f.type === 'error', 1500).catch((): Record<string, any> => ({ type: 'accepted' })) : await Promise.race([
            socket.waitFor((f) => ['ack', 'joined', 'error'].includes(f.type) || (f.type === 'read' && f.user_id === me.user.id), 10_000),
            watcher.waitFor((f) => f.type === 'typing' && f.user_id === me.user.id, 10_000).then((): Record<string, any> => ({ type: 'typing relayed' })),
          ]);
          outcome = reply.type === 'error' ? `error ${reply.code}` : reply.type === 'read' ? 'read event' : reply.type;
          socket.close();
          watcher.close();
        }
        const expected = role === 'notoken' || role === 'revoked' ? 'upgrade 401' : role === 'former' || role === 'nonmember' || role === 'admin' ? 'error not_member' : FRAME_EXPECT[kind];
        if (outcome !== expected) mismatches.push(`${kind} as ${role}: expected ${expected}, got ${outcome}`);
        outcomes[kind] = { ...outcomes[kind], [role]: outcome };
      });
      console.log(`[authorization-matrix ${dialect}] WebSocket: ${FRAME_KINDS.length} frames × ${ROLES.length} roles = ${cells.length} cells, ${mismatches.length} mismatches`);
      console.table(outcomes);
      expect(mismatches).toEqual([]);
    }, 120_000);

    it('answers the seed path /ws/{user_id} by role: only its own user upgrades, a malformed id is 400 after the token check', async () => {
      const users = shared;
      const tokenOf = (role: Role) => (role === 'notoken' ? {} : { token: users[role === 'revoked' ? 'revoked' : role].token });
      const mismatches: string[] = [];
      for (const role of ROLES) {
        const ownPath = role === 'notoken' || role === 'revoked' ? users.owner.user.id : users[role].user.id;
        const cells = [
          // Its own id (the owner's for callers without a valid token).
          { path: `/ws/${ownPath}`, expected: role === 'notoken' || role === 'revoked' ? 401 : 101 },
          { path: `/ws/${role === 'owner' ? users.member.user.id : users.owner.user.id}`, expected: role === 'notoken' || role === 'revoked' ? 401 : 403 },
          { path: '/ws/notauuid', expected: role === 'notoken' || role === 'revoked' ? 401 : 400 },
        ];
        for (const cell of cells) {
          const options = { ...tokenOf(role), path: cell.path };
          const got = cell.expected === 101 ? await TestSocket.open(server.wsUrl, options).then((socket) => (socket.close(), 101)) : await upgradeStatus(server.wsUrl, options);
          if (got !== cell.expected) mismatches.push(`${cell.path} as ${role}: expected ${cell.expected}, got ${got}`);
        }
      }
      expect(mismatches).toEqual([]);
    });

    it('answers GET /presence about random ids the same for everyone: an empty list', async () => {
      const world = await makeWorld(shared);
      const answers = new Set<string>();
      for (const role of ['owner', 'member', 'former', 'nonmember'] as const) {
        for (let i = 0; i < 25; i++) {
          const ids = Array.from({ length: 1 + (i % 4) }, (_, j) => (j % 2 ? randomUUID().toUpperCase() : randomUUID()));
          const response = await server.app.inject({ method: 'GET', url: `/presence?user_ids=${ids.join(',')}`, headers: { authorization: `Bearer ${world.users[role].token}` } });
          answers.add(`${response.statusCode} ${response.body}`);
        }
      }
      expect([...answers]).toEqual(['200 {"presence":[]}']);
    });

    it('refuses 10,000 random ids the same way for everyone', async () => {
      const world = await makeWorld(shared);
      const targets: { name: string; code?: string; request: (id: string) => { method: string; path: string; body?: unknown } }[] = [
        { name: 'GET /conversations/{random}', request: (id) => ({ method: 'GET', path: `/conversations/${id}` }) },
        { name: 'GET /conversations/{random}/messages', request: (id) => ({ method: 'GET', path: `/conversations/${id}/messages` }) },
        { name: 'POST /conversations/{random}/messages', request: (id) => ({ method: 'POST', path: `/conversations/${id}/messages`, body: { message_id: randomUUID(), content: 'x' } }) },
        { name: 'POST /messages to {random}', request: (id) => ({ method: 'POST', path: '/messages', body: { message_id: randomUUID(), conversation_id: id, content: 'x' } }) },
        { name: 'POST /conversations/{random}/read', request: (id) => ({ method: 'POST', path: `/conversations/${id}/read`, body: { seq: 1 } }) },
        { name: 'POST /conversations/{random}/members', request: (id) => ({ method: 'POST', path: `/conversations/${id}/members`, body: { user_id: world.outsiderId } }) },
        { name: 'DELETE /conversations/{random}/members/{owner}', request: (id) => ({ method: 'DELETE', path: `/conversations/${id}/members/${world.users.owner.user.id}` }) },
        { name: 'PATCH /conversations/{random}/members/{owner}', request: (id) => ({ method: 'PATCH', path: `/conversations/${id}/members/${world.users.owner.user.id}`, body: { role: 'admin' } }) },
        { name: 'PUT /users/me/blocks/{random}', code: 'user_not_found', request: (id) => ({ method: 'PUT', path: `/users/me/blocks/${id}` }) },
        { name: 'PATCH /messages/{random}', request: (id) => ({ method: 'PATCH', path: `/messages/${id}`, body: { content: 'x' } }) },
        { name: 'DELETE /messages/{random}', request: (id) => ({ method: 'DELETE', path: `/messages/${id}` }) },
        { name: 'GET /users/{random}', request: (id) => ({ method: 'GET', path: `/users/${id}` }) },
        { name: 'PUT /conversations/{random}/retention', request: (id) => ({ method: 'PUT', path: `/conversations/${id}/retention`, body: { retention_days: 7 } }) },
        { name: 'PATCH /conversations/{random}', request: (id) => ({ method: 'PATCH', path: `/conversations/${id}`, body: { title: 'x' } }) },
        { name: 'GET /conversations/{random}/events', request: (id) => ({ method: 'GET', path: `/conversations/${id}/events` }) },
        { name: 'PUT /messages/{random}/reactions/{emoji}', request: (id) => ({ method: 'PUT', path: `/messages/${id}/reactions/${THUMBS_UP}` }) },
        { name: 'DELETE /messages/{random}/reactions/{emoji}', request: (id) => ({ method: 'DELETE', path: `/messages/${id}/reactions/${THUMBS_UP}` }) },
        { name: 'GET /messages/{random}/reactions', request: (id) => ({ method: 'GET', path: `/messages/${id}/reactions` }) },
        { name: 'PUT /conversations/{random}/pins/{message_id}', request: (id) => ({ method: 'PUT', path: `/conversations/${id}/pins/${world.ownerMessage.id}` }) },
        { name: 'DELETE /conversations/{random}/pins/{message_id}', request: (id) => ({ method: 'DELETE', path: `/conversations/${id}/pins/${world.ownerMessage.id}` }) },
        { name: 'GET /conversations/{random}/pins', request: (id) => ({ method: 'GET', path: `/conversations/${id}/pins` }) },
        { name: 'GET /messages/{random}/thread', request: (id) => ({ method: 'GET', path: `/messages/${id}/thread` }) },
        { name: 'POST /messages/{random}/thread/read', request: (id) => ({ method: 'POST', path: `/messages/${id}/thread/read`, body: { seq: 1 } }) },
        { name: 'PUT /messages/{random}/thread/follow', request: (id) => ({ method: 'PUT', path: `/messages/${id}/thread/follow` }) },
        { name: 'DELETE /messages/{random}/thread/follow', request: (id) => ({ method: 'DELETE', path: `/messages/${id}/thread/follow` }) },
        { name: 'GET /search/messages?conversation_id={random}', request: (id) => ({ method: 'GET', path: `/search/messages?q=by&conversation_id=${id}` }) },
        { name: 'GET /conversations/{random}/notification-settings', request: (id) => ({ method: 'GET', path: `/conversations/${id}/notification-settings` }) },
        { name: 'PUT /conversations/{random}/notification-settings', request: (id) => ({ method: 'PUT', path: `/conversations/${id}/notification-settings`, body: { level: 'none', muted_until: null } }) },
        { name: 'GET /uploads/{random}', request: (id) => ({ method: 'GET', path: `/uploads/${id}` }) },
        { name: 'GET /uploads/{random}/content', request: (id) => ({ method: 'GET', path: `/uploads/${id}/content` }) },
        { name: 'GET /uploads/{random}/thumbnail', request: (id) => ({ method: 'GET', path: `/uploads/${id}/thumbnail` }) },
        { name: 'DELETE /push/subscriptions/{random}', request: (id) => ({ method: 'DELETE', path: `/push/subscriptions/${id}` }) },
        { name: 'DELETE /tokens/{random}', request: (id) => ({ method: 'DELETE', path: `/tokens/${id}` }) },
        { name: 'POST /bots/{random}/tokens', request: (id) => ({ method: 'POST', path: `/bots/${id}/tokens`, body: { name: 'x', scopes: ['messages:read'] } }) },
        { name: 'GET /bots/{random}/tokens', request: (id) => ({ method: 'GET', path: `/bots/${id}/tokens` }) },
        { name: 'GET /conversations/{random}/incoming-webhooks', request: (id) => ({ method: 'GET', path: `/conversations/${id}/incoming-webhooks` }) },
        { name: 'DELETE /conversations/{random}/incoming-webhooks/{random}', request: (id) => ({ method: 'DELETE', path: `/conversations/${id}/incoming-webhooks/${randomUUID()}` }) },
        { name: 'POST /webhooks (conversation {random})', request: (id) => ({ method: 'POST', path: '/webhooks', body: { url: WEBHOOK_URL, event_types: ['message.created'], conversation_id: id } }) },
        { name: 'POST /webhooks (bot {random})', request: (id) => ({ method: 'POST', path: '/webhooks', body: { url: WEBHOOK_URL, event_types: ['message.created'], bot_id: id } }) },
        { name: 'GET /webhooks/{random}', request: (id) => ({ method: 'GET', path: `/webhooks/${id}` }) },
        { name: 'PATCH /webhooks/{random}', request: (id) => ({ method: 'PATCH', path: `/webhooks/${id}`, body: { description: 'x' } }) },
        { name: 'DELETE /webhooks/{random}', request: (id) => ({ method: 'DELETE', path: `/webhooks/${id}` }) },
        { name: 'POST /webhooks/{random}/rotate-secret', request: (id) => ({ method: 'POST', path: `/webhooks/${id}/rotate-secret` }) },
        { name: 'GET /webhooks/{random}/deliveries', request: (id) => ({ method: 'GET', path: `/webhooks/${id}/deliveries` }) },
        { name: 'DELETE /invites/{random}', request: (id) => ({ method: 'DELETE', path: `/invites/${id}` }) },
        { name: 'DELETE /sessions/{random}', request: (id) => ({ method: 'DELETE', path: `/sessions/${id}` }) },
        // Named like an attachment's unknown upload (docs/API.md, "Profiles").
        { name: 'PUT /users/me/avatar ({random} upload)', code: 'upload_not_found', request: (id) => ({ method: 'PUT', path: '/users/me/avatar', body: { upload_id: id } }) },
        { name: 'POST /webhooks/{random}/deliveries/{random}/redeliver', request: (id) => ({ method: 'POST', path: `/webhooks/${id}/deliveries/${randomUUID()}/redeliver` }) },
      ];
      const roles: Member[] = ['owner', 'member', 'former', 'nonmember'];
      const TOTAL = 10_000;
      const answers = new Map<string, Set<string>>();
      const jobs = Array.from({ length: TOTAL }, (_, i) => i);
      await pool(jobs, 16, async (i) => {
        const target = targets[i % targets.length]!;
        const role = roles[Math.floor(i / targets.length) % roles.length]!;
        // Half in upper case: ids are compared case-insensitively, the answer must not change.
        const id = i % 2 === 0 ? randomUUID() : randomUUID().toUpperCase();
        const { method, path, body } = target.request(id);
        // In-process requests (app.inject): the same routing, hooks and handlers, without 10,000 TCP round trips.
        const response = await server.app.inject({
          method: method as 'GET',
          url: path,
          headers: { authorization: `Bearer ${world.users[role].token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        });
        const { status, code, title, detail } = response.json() as Record<string, unknown>;
        const answer = JSON.stringify({ http: response.statusCode, status, code, title, detail });
        answers.set(target.name, (answers.get(target.name) ?? new Set()).add(answer));
      });
      const summary = Object.fromEntries([...answers].map(([name, set]) => [name, [...set].map((a) => JSON.parse(a).http + ' ' + JSON.parse(a).code).join(' | ')]));
      const distinct = [...answers.values()].reduce((n, s) => n + s.size, 0);
      console.log(`[authorization-matrix ${dialect}] ${TOTAL} random ids over ${targets.length} routes × ${roles.length} roles: ${distinct} distinct answers (1 per route expected)`);
      console.table(summary);
      for (const [name, set] of answers) {
        expect({ name, answers: set.size }).toEqual({ name, answers: 1 });
        const only = JSON.parse([...set][0]!) as { http: number; code: string };
        const expected = targets.find((t) => t.name === name)?.code ?? (name.startsWith('GET /users') ? 'user_not_found' : 'not_found');
        expect({ name, http: only.http, code: only.code }).toEqual({ name, http: 404, code: expected });
      }
    }, 180_000);
  });
}
