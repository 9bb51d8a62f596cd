/**
 * The session over an in-memory change feed: random changes made while the client is online,
 * offline or losing and repeating frames; once the network is good again and the session has
 * reconnected, its state equals the server's (the members' display names and your own profile
 * in `state.users` included) and `message` fired once per message, in order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../../src/client.js';
import type { Session } from '../../src/session/session.js';
import type { Message } from '../../src/types.js';
import { FakeFeedServer, ME } from './fake-feed-server.js';

const OTHERS = ['ann', 'bob'];
const USERS = [ME, ...OTHERS];

const change = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('post' as const), c: fc.nat(3), by: fc.nat(2) }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('edit' as const), c: fc.nat(3), pick: fc.nat(20), remove: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('rename' as const), c: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('add' as const), c: fc.nat(3), user: fc.nat(2) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('remove' as const), c: fc.nat(3), user: fc.nat(2) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('read' as const), c: fc.nat(3), user: fc.nat(2) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('profile' as const), user: fc.nat(2) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('create' as const), withMe: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('offline' as const), on: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('cut' as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('settle' as const) }), weight: 5 },
);
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;
const withPrune = fc.oneof({ arbitrary: change, weight: 20 }, { arbitrary: fc.record({ op: fc.constant('prune' as const), c: fc.nat(3) }), weight: 1 });
/** Per live frame: delivered, lost, or delivered twice. */
const delivery = fc.array(fc.constantFrom<boolean | 2>(true, true, true, false, 2), { minLength: 1, maxLength: 50 });

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function apply(server: FakeFeedServer, ids: string[], step: Change | { op: 'prune'; c: number }): Promise<void> {
  const id = ids['c' in step ? step.c % ids.length : 0]!;
  switch (step.op) {
    case 'post':
      return server.post(id, USERS[step.by]!);
    case 'edit':
      return server.edit(id, step.pick, step.remove);
    case 'rename':
      return server.rename(id);
    case 'add':
      return server.add(id, USERS[step.user]!);
    case 'remove':
      return server.remove(id, USERS[step.user]!);
    case 'read':
      return server.read(id, USERS[step.user]!);
    case 'profile':
      return server.profile(USERS[step.user]!);
    case 'create':
      ids.push(server.create('ann', step.withMe ? [ME, 'bob'] : ['bob']));
      return;
    case 'prune':
      return server.prune(id);
    case 'offline':
      server.online = !step.on;
      if (step.on) server.cut();
      return;
    case 'cut':
      return server.cut();
    case 'settle':
      for (let i = 0; i < 5; i++) await tick();
  }
}

/** Where the session's state differs from the server's, or null. */
function difference(server: FakeFeedServer, session: Session, othersReads: boolean): string | null {
  const { state } = session;
  const expected = server.mine().map((c) => c.id).sort();
  const actual = state.conversations().map((c) => c.id).sort();
  if (JSON.stringify(actual) !== JSON.stringify(expected)) return `conversations ${actual} ≠ ${expected}`;
  for (const c of server.mine()) {
    const held = state.conversation(c.id)!;
    if (held.title !== c.title) return `${c.id} title ${held.title} ≠ ${c.title}`;
    const members = (list: Array<{ user_id: string; role: string }>) => JSON.stringify(list.map((m) => `${m.user_id}:${m.role}`).sort());
    if (members(held.members) !== members([...c.members.values()])) return `${c.id} members ${members(held.members)} ≠ ${members([...c.members.values()])}`;
    const window = state.messages(c.id);
    // Snapshots bring the latest messages and later ones are appended: a suffix of the history.
    const suffix = [...c.messages.values()].filter((m) => m.seq >= (window[0]?.seq ?? 1));
    if (JSON.stringify(window) !== JSON.stringify(suffix)) return `${c.id} messages ${JSON.stringify(window)} ≠ ${JSON.stringify(suffix)}`;
    for (const member of c.members.values()) {
      if (!othersReads && member.user_id !== ME) continue;
      const read = state.readPosition(c.id, member.user_id);
      if (read !== member.last_read_seq) return `${c.id} read position of ${member.user_id}: ${read} ≠ ${member.last_read_seq}`;
    }
    if (state.unreadCount(c.id) !== server.unreadCount(c)) return `${c.id} unread ${state.unreadCount(c.id)} ≠ ${server.unreadCount(c)}`;
    for (const userId of c.members.keys()) {
      const name = state.users.get(userId)?.display_name;
      if (name !== server.displayName(userId)) return `display name of ${userId}: ${name} ≠ ${server.displayName(userId)}`;
    }
  }
  const own = state.users.get(ME)?.status_text;
  if (own !== server.user(ME).status_text) return `own status ${own} ≠ ${server.user(ME).status_text}`;
  return null;
}

/**
 * How the client ends up in step: `reconnect` syncs; `traffic` only makes one more change in
 * every conversation and one of your own, so lost frames show as event_seq and user_seq jumps.
 */
type Heal = 'reconnect' | 'traffic';

async function run(steps: Array<Change | { op: 'prune'; c: number }>, deliveries: Array<boolean | 2>, heal: Heal = 'reconnect'): Promise<void> {
  const server = new FakeFeedServer();
  const ids = [server.create('ann', [ME, 'bob']), server.create(ME, ['ann']), server.create('bob', ['ann'])];
  server.post(ids[0]!, 'ann');
  const client = new PneumaticClient({ baseUrl: 'http://fake.test', token: 't', user: server.user(ME), fetch: server.fetch });
  const session = await client.connect({ webSocket: server.factory, backoff: { initialDelayMs: 1, maxDelayMs: 4 }, snapshotMessages: 3, state: { windowSize: Infinity } });
  const announced: Message[] = [];
  const mustAnnounce = new Set<string>();
  const unsure = new Set<string>();
  session.on('message', (m) => announced.push(m));
  session.on('conversation.reset', ({ conversation_id }) => unsure.add(conversation_id));
  let n = 0;
  server.network = { deliver: () => deliveries[n++ % deliveries.length]! };
  try {
    for (const step of steps) {
      if (step.op === 'remove' && USERS[step.user] === ME) unsure.add(ids[step.c % ids.length]!);
      const before = new Set([...server.conversations.values()].flatMap((c) => [...c.messages.values()].map((m) => m.message_id)));
      const tracked = new Set(Object.keys(session.positions()));
      await apply(server, ids, step);
      for (const c of server.mine()) {
        for (const m of c.messages.values()) if (!before.has(m.message_id) && tracked.has(c.id)) mustAnnounce.add(m.message_id);
      }
    }
    server.online = true;
    server.network = { deliver: () => true };
    if (heal === 'reconnect') session.reconnect();
    else {
      for (let i = 0; i < 400 && session.connectionState !== 'live'; i++) await new Promise((resolve) => setTimeout(resolve, 2));
      for (const c of server.conversations.values()) if (c.members.size > 0) server.post(c.id, [...c.members.keys()][0]!);
      server.create(ME, []);
    }
    let diff: string | null = 'not compared yet';
    for (let i = 0; i < 400 && diff !== null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      // Others' read positions are not conversation events: a lost `read` frame waits for the next sync.
      diff = session.connectionState === 'live' ? difference(server, session, heal === 'reconnect') : `session is ${session.connectionState}`;
    }
    expect(diff).toBeNull();

    const ids_ = announced.map((m) => m.message_id);
    expect(new Set(ids_).size).toBe(ids_.length);
    for (const c of server.conversations.values()) {
      const seqs = announced.filter((m) => m.conversation_id === c.id).map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    const missing = [...mustAnnounce].filter((id) => !ids_.includes(id) && !unsure.has(id.split('-')[0]!));
    expect(missing).toEqual([]);
  } finally {
    client.close();
  }
}

describe('Session over the change feed (in-memory server)', () => {
  it('a read of yours whose frame was lost reaches unread counts through a later conversation event', async () => {
    await run([{ op: 'read', c: 0, user: 0 }, { op: 'rename', c: 0 }], [true]);
  });

  it('stays in a conversation it was removed from and added back to while offline', async () => {
    await run([{ op: 'remove', c: 0, user: 0 }, { op: 'add', c: 0, user: 0 }, { op: 'edit', c: 0, pick: 0, remove: false }], [true]);
  });

  it('converges to the server state and announces each message once, in order, through offline periods, cuts and lost or repeated frames', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 40 }), delivery, (steps, deliveries) => run(steps, deliveries)),
      { numRuns: 150 },
    );
  }, 60_000);

  it('fills gaps from the conversation log and syncs on a user_seq jump, with no reconnect, once live traffic shows what was lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 40 }), delivery, (steps, deliveries) => run(steps, deliveries, 'traffic')),
      { numRuns: 150 },
    );
  }, 60_000);

  it('a profile change of yours whose user.updated frame was lost reaches state.users through the sync a user_seq jump starts', async () => {
    await run([{ op: 'profile', user: 0 }], [false, true], 'traffic');
  });

  it('converges after the events since its position expired (reset to a snapshot)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(withPrune, { maxLength: 40 }), delivery, (steps, deliveries) => run(steps, deliveries)),
      { numRuns: 80 },
    );
  }, 60_000);
});
