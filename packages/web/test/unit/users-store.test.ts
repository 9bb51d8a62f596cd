/**
 * The web app's per-user profile atoms over the SDK's real ChatState: names and avatars from
 * the session's user cache (yours from the login until the session knows better), an update
 * reaching the one user's atom, users never seen looked up once, together, in one request, and
 * status texts (which members do not carry) read on demand.
 */
import { ChatState, type Member, type Session, type User } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { UsersStore } from '../../src/lib/stores/users-store.js';

const AT = '2026-12-06T10:00:00.000Z';
const ME: User = { id: 'me', username: 'me', created_at: AT, is_bot: false, display_name: null, avatar_url: null, status_text: null, deactivated: false };
const member = (user_id: string, display_name: string | null = null): Member => ({ user_id, username: user_id, is_bot: false, display_name, avatar_url: null, role: 'member', joined_at: AT, last_read_seq: 0 });
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function arrange(options: { session?: boolean } = {}) {
  const state = new ChatState(() => ME.id);
  const fetched: string[][] = [];
  const store = new UsersStore({
    state: () => (options.session === false ? null : state),
    self: () => ME,
    fetchUsers: async (ids) => {
      fetched.push(ids);
      if (ids.includes('offline')) throw new Error('network down');
      for (const id of ids) if (id !== 'ghost') state.users.offerUser({ ...ME, id, username: id, display_name: `${id} (looked up)`, status_text: `${id} is away` });
    },
    findUsers: async () => [],
  });
  store.bind({ state } as unknown as Session);
  return { state, store, fetched };
}

describe('UsersStore', () => {
  it('names members by display name, else username, and you from your login until the session knows you', async () => {
    const { state, store } = arrange();
    state.applyConversation({ id: 'c', title: 't', created_at: AT, created_by: 'me', last_seq: 0, last_event_seq: 1, members: [member('ana', 'Ana María'), member('bob')] });
    expect(store.name('ana')).toBe('Ana María');
    expect(store.name('bob')).toBe('bob');
    expect(store.of('me').get()).toMatchObject({ username: 'me', display_name: null });
    state.users.applyOwn({ ...ME, display_name: 'Me Myself', avatar_url: '/avatars/m.webp' }, 3);
    await settle();
    expect(store.name('me')).toBe('Me Myself');
  });

  it('updates the atom of the user whose profile changed, and tells its subscribers once', async () => {
    const { state, store } = arrange();
    state.applyConversation({ id: 'c', title: 't', created_at: AT, created_by: 'me', last_seq: 0, last_event_seq: 1, members: [member('ana'), member('bob')] });
    const ana = store.of('ana');
    const bob = store.of('bob');
    let anaNotified = 0;
    let bobNotified = 0;
    ana.subscribe(() => anaNotified++);
    bob.subscribe(() => bobNotified++);
    state.applyMember('c', 'ana', member('ana', 'Ana'));
    await settle();
    expect(ana.get()?.display_name).toBe('Ana');
    expect([anaNotified, bobNotified]).toEqual([1, 0]);
  });

  it('looks up users never seen once, those wanted in the same task together; one the server does not know stays unknown', async () => {
    const { store, fetched } = arrange();
    expect(store.of('zoe').get()).toBeUndefined();
    expect(store.name('yan')).toBe('Someone');
    store.of('ghost');
    await settle();
    expect(fetched).toEqual([['zoe', 'yan', 'ghost']]);
    expect(store.name('zoe')).toBe('zoe (looked up)');
    expect(store.of('ghost').get()).toBeUndefined();
    store.of('ghost');
    store.name('zoe');
    await settle();
    expect(fetched).toHaveLength(1);
  });

  it('asks nothing before the session has synced (its members name most people)', async () => {
    const { store, fetched } = arrange({ session: false });
    expect(store.of('zoe').get()).toBeUndefined();
    await settle();
    expect(fetched).toEqual([]);
  });

  it('reads status texts, which members do not carry, for the users asked, each once per request', async () => {
    const { state, store, fetched } = arrange();
    state.applyConversation({ id: 'c', title: 't', created_at: AT, created_by: 'me', last_seq: 0, last_event_seq: 1, members: [member('ana'), member('bob')] });
    expect(store.of('ana').get()?.status_text).toBeUndefined();
    store.refresh(['ana', 'bob', 'ana']);
    store.refresh([]);
    await settle();
    expect(fetched).toEqual([['ana', 'bob']]);
    expect(store.of('ana').get()?.status_text).toBe('ana is away');
    // A member event later keeps the status text known.
    state.applyMember('c', 'ana', member('ana', 'Ana'));
    await settle();
    expect(store.of('ana').get()).toMatchObject({ display_name: 'Ana', status_text: 'ana is away' });
  });

  it('leaves what was known when reading status texts fails', async () => {
    const { state, store } = arrange();
    state.applyConversation({ id: 'c', title: 't', created_at: AT, created_by: 'me', last_seq: 0, last_event_seq: 1, members: [member('offline', 'Olga')] });
    store.refresh(['offline']);
    await settle();
    expect(store.of('offline').get()).toMatchObject({ display_name: 'Olga' });
    expect(store.of('offline').get()?.status_text).toBeUndefined();
  });
});
