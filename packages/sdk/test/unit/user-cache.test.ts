/**
 * The session's user cache (`state.users`, docs/API.md "Profiles"): filled from conversation
 * members and member events, from users the client looked up, and with your own profile from
 * `user.updated` frames and a sync's `me`, those only when newer by user_seq; each change
 * reported once as a `users` change keyed by user id.
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../../src/client.js';
import type { FetchLike } from '../../src/http-client.js';
import { applyLiveFrame } from '../../src/session/live-frames.js';
import { applyEvent } from '../../src/state/apply-event.js';
import { ChatState } from '../../src/state/chat-state.js';
import { UserCache } from '../../src/state/user-cache.js';
import type { Conversation, Member, User } from '../../src/types.js';
import { FakeFeedServer, ME } from './fake-feed-server.js';

const AT = '2026-12-06T10:00:00.000Z';
const member = (user_id: string, display_name: string | null = null): Member => ({ user_id, username: user_id, is_bot: false, display_name, avatar_url: null, role: 'member', joined_at: AT, last_read_seq: 0 });
const user = (id: string, overrides: Partial<User> = {}): User => ({ id, username: id, created_at: AT, is_bot: false, display_name: null, avatar_url: null, status_text: null, deactivated: false, ...overrides });
const conversation = (id: string, members: Member[]): Conversation => ({ id, title: id, created_at: AT, created_by: ME, last_seq: 0, last_event_seq: 1, members });

function arrange() {
  const changed: string[] = [];
  const users = new UserCache((id) => changed.push(id));
  return { users, changed };
}

describe('UserCache', () => {
  it('shows the display name, else the username, and nothing for a user never seen', () => {
    const { users } = arrange();
    users.offerMember(member('ana', 'Ana María López'));
    users.offerMember(member('bob'));
    expect(users.displayName('ana')).toBe('Ana María López');
    expect(users.displayName('bob')).toBe('bob');
    expect(users.displayName('zed')).toBeUndefined();
    expect(users.missing(['ana', 'zed', 'zed', 'yan'])).toEqual(['zed', 'yan']);
  });

  it('reports a user once per real change, and keeps a status text a member offer does not carry', () => {
    const { users, changed } = arrange();
    users.offerUser(user('ana', { display_name: 'Ana', status_text: 'On holiday' }));
    users.offerMember(member('ana', 'Ana'));
    expect(changed).toEqual(['ana']);
    users.offerMember({ ...member('ana', 'Ana L.'), avatar_url: '/avatars/a.webp' });
    expect(users.get('ana')).toEqual({ id: 'ana', username: 'ana', is_bot: false, display_name: 'Ana L.', avatar_url: '/avatars/a.webp', status_text: 'On holiday' });
    expect(changed).toEqual(['ana', 'ana']);
  });

  it('takes a member from a server before profiles as having neither name nor avatar', () => {
    const { users } = arrange();
    const { display_name: _d, avatar_url: _a, ...old } = member('old');
    users.offerMember(old as Member);
    expect(users.get('old')).toMatchObject({ display_name: null, avatar_url: null });
  });

  it('applies your own profile from frames and syncs only when newer by user_seq', () => {
    const { users, changed } = arrange();
    users.applyOwn(user(ME, { status_text: 'b' }), 5);
    users.applyOwn(user(ME, { status_text: 'a' }), 4);
    users.applyOwn(user(ME, { status_text: 'a' }), 5);
    expect(users.get(ME)?.status_text).toBe('b');
    users.applyOwn(user(ME, { status_text: 'c' }), 6);
    expect(users.get(ME)?.status_text).toBe('c');
    expect(changed).toEqual([ME, ME]);
  });
});

describe('state.users in ChatState', () => {
  it('is filled from conversations and member.updated events, keeps those who left, and reports `users` changes', () => {
    const state = new ChatState(() => ME);
    const changed: string[] = [];
    state.changes.on('users', (id) => changed.push(id));
    state.applyConversation(conversation('c', [member(ME), member('ana')]));
    expect(changed.sort()).toEqual(['ana', ME].sort());
    changed.length = 0;
    applyEvent(state, { type: 'member.updated', conversation_id: 'c', event_seq: 2, user_id: 'ana', member: member('ana', 'Ana') }, { selfId: ME, seenUpTo: 0 });
    expect(state.users.displayName('ana')).toBe('Ana');
    expect(changed).toEqual(['ana']);
    state.applyMemberRemoved('c', 'ana');
    expect(state.username('ana')).toBe('ana');
    expect(state.users.displayName('ana')).toBe('Ana');
  });

  it('takes user.updated frames, whose user_seq the session watches', () => {
    const state = new ChatState(() => ME);
    const seen: number[] = [];
    const deps = { state, selfId: ME, noteUserSeq: (seq: number) => seen.push(seq), typing: () => {} };
    applyLiveFrame({ type: 'user.updated', user: user(ME, { display_name: 'Me!', status_text: 'here' }), user_seq: 7 }, deps);
    expect(seen).toEqual([7]);
    expect(state.users.get(ME)).toMatchObject({ display_name: 'Me!', status_text: 'here' });
  });
});

describe('a session’s user cache, over an in-memory server', () => {
  it('holds your own profile from the sync, and the users the client searched for or looked up', async () => {
    const server = new FakeFeedServer();
    server.profile(ME);
    server.create('ann', [ME]);
    const found = [user('zoe', { display_name: 'Zoë' }), user('yan')];
    // The fake server knows no directory: /users answers from `found`, everything else from it.
    const fetch: FetchLike = async (input, init) => {
      if (new URL(input).pathname !== '/users') return server.fetch(input, init);
      const body = JSON.stringify(new URL(input).searchParams.has('q') ? { users: found.slice(0, 1), next_cursor: null } : { users: found.slice(1) });
      return { status: 200, headers: { get: () => 'application/json' }, text: async () => body };
    };
    const client = new PneumaticClient({ baseUrl: 'http://fake.test', token: 't', user: server.user(ME), fetch });
    const session = await client.connect({ webSocket: server.factory });
    try {
      expect(session.state.users.get(ME)).toMatchObject({ display_name: server.displayName(ME), status_text: server.user(ME).status_text });
      expect(session.state.users.get('ann')).toMatchObject({ username: 'ann', display_name: null });
      await client.searchUsers('zo');
      await client.getUsers(['yan']);
      expect(session.state.users.displayName('zoe')).toBe('Zoë');
      expect(session.state.users.get('yan')).toMatchObject({ username: 'yan', status_text: null });
    } finally {
      client.close();
    }
  });
});
