/** SessionPresence on fakes: which activity reports go out, and when presence from a GET yields to a newer frame. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../src/emitter.js';
import type { RestApi } from '../../src/rest-api.js';
import { SessionPresence } from '../../src/session/session-presence.js';
import type { SessionEvents } from '../../src/session/session-events.js';
import { ChatState } from '../../src/state/chat-state.js';
import type { ClientFrame, ServerFrame, UserPresence } from '../../src/types.js';

function setup(answer: () => Promise<UserPresence[]> = async () => []) {
  const sent: ClientFrame[] = [];
  let open = true;
  const connection = new Emitter<{ open: undefined; frame: ServerFrame }>();
  const session = new Emitter<SessionEvents>();
  const state = new ChatState(() => 'me');
  state.applyConversation({ id: 'c', title: 't', created_by: 'me', created_at: '', last_seq: 0, last_event_seq: 1, members: [
    { user_id: 'me', username: 'me', role: 'owner', joined_at: '', last_read_seq: 0 },
    { user_id: 'bob', username: 'bob', role: 'member', joined_at: '', last_read_seq: 0 },
  ] } as never);
  const api = { getPresence: vi.fn(answer) } as unknown as RestApi;
  const presence = new SessionPresence({
    api,
    state,
    connection: { on: connection.on.bind(connection) as never, send: (frame: ClientFrame) => (open ? (sent.push(frame), true) : false) },
    session,
  });
  return { presence, sent, connection, session, state, api, setOpen: (value: boolean) => (open = value) };
}

describe('SessionPresence', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a report once, repeats an unchanged active one only after 30 s, never an unchanged idle one', () => {
    const { presence, sent } = setup();
    presence.setActivity({ state: 'active', viewing: 'c' });
    presence.setActivity({ state: 'active', viewing: 'c' });
    vi.advanceTimersByTime(29_000);
    presence.setActivity({ state: 'active', viewing: 'c' });
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    presence.setActivity({ state: 'active', viewing: 'c' });
    presence.setActivity({ state: 'idle', viewing: null });
    vi.advanceTimersByTime(60_000);
    presence.setActivity({ state: 'idle', viewing: null });
    expect(sent).toEqual([
      { type: 'activity', state: 'active', viewing: 'c' },
      { type: 'activity', state: 'active', viewing: 'c' },
      { type: 'activity', state: 'idle', viewing: null },
    ]);
  });

  it('keeps a report made while offline and sends the latest one on the next socket', () => {
    const { presence, sent, connection, setOpen } = setup();
    setOpen(false);
    expect(presence.setActivity({ state: 'active', viewing: 'c' })).toBe(false);
    presence.setActivity({ state: 'idle', viewing: null });
    setOpen(true);
    connection.emit('open', undefined);
    expect(sent).toEqual([{ type: 'activity', state: 'idle', viewing: null }]);
    connection.emit('open', undefined);
    expect(sent).toHaveLength(2);
  });

  it('applies frames to state with an event, once per change', () => {
    const { connection, session, state } = setup();
    const events: UserPresence[] = [];
    session.on('presence', (p) => events.push(p));
    const frame = { type: 'presence', user_id: 'bob', status: 'away', last_seen_at: '2026-12-01T10:00:00.000Z' } as const;
    connection.emit('frame', frame);
    connection.emit('frame', frame);
    expect(state.presence('bob')).toEqual({ status: 'away', last_seen_at: '2026-12-01T10:00:00.000Z' });
    expect(events).toHaveLength(1);
  });

  it('asks about the known users once live, and lets a frame that arrived meanwhile win over the answer', async () => {
    let reply: (list: UserPresence[]) => void = () => {};
    const { connection, session, state, api } = setup(() => new Promise((resolve) => (reply = resolve)));
    session.emit('state', { state: 'live' });
    expect(api.getPresence).toHaveBeenCalledWith(['bob']);
    connection.emit('frame', { type: 'presence', user_id: 'bob', status: 'offline', last_seen_at: 'later' });
    reply([{ user_id: 'bob', status: 'online', last_seen_at: 'earlier' }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(state.presence('bob')).toEqual({ status: 'offline', last_seen_at: 'later' });
  });
});
