/**
 * A history cut by retention in the web app's messages store (src/lib/stores/messages-store.ts;
 * docs/API.md, "Retention"): messages at or below an expiry never show (announced live, or on the
 * conversation as the server sends it), and the view says when the history starts after them,
 * so the list shows the note instead of "Load older".
 */
import { ChatState, MemoryOutboxStore, Outbox, type Conversation, type Message, type Session } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { MessagesStore } from '../../src/lib/stores/messages-store.js';

const ME = '00000000-0000-4000-8000-000000000001';
const C = '20000000-0000-4000-8000-00000000000c';
const AT = '2026-01-01T00:00:00.000Z';
const id = (seq: number) => `10000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

function message(seq: number): Message {
  return { message_id: id(seq), conversation_id: C, sender_id: ME, content: `m${seq}`, seq, created_at: AT, edited_at: null, deleted: false, version: seq, reply_to_id: null, thread_root_id: null, thread: null, reactions: [], mentions: [], mentions_all: false, attachments: [] };
}

/** A conversation whose server holds the messages `first`..`last` (the older ones expired), paged by 50 as the session pages. */
function wired(first: number, last: number, expiredThrough?: number) {
  const state = new ChatState(() => ME, { windowSize: Number.POSITIVE_INFINITY });
  const member = { user_id: ME, username: 'me', is_bot: false, display_name: null, avatar_url: null, role: 'owner' as const, joined_at: AT, last_read_seq: 0 };
  const conversation: Conversation = { id: C, title: 't', created_at: AT, created_by: ME, last_seq: last, last_event_seq: 1, members: [member], ...(expiredThrough ? { expired_through_seq: expiredThrough } : {}) };
  state.applyConversation(conversation);
  const loadHistory = async (conversationId: string, limit = 50): Promise<Message[]> => {
    const oldest = state.messages(conversationId)[0]?.seq ?? last + 1;
    const page = range(Math.max(first, oldest - limit), oldest - 1).map(message);
    state.applyHistory(page, {});
    return page;
  };
  const session = { state, userId: ME, loadHistory } as unknown as Session;
  const messages = new MessagesStore(() => session, new Outbox({ store: new MemoryOutboxStore() }));
  state.changes.on('messages', (cid) => messages.changed(cid));
  return { state, messages };
}

const seqs = (messages: readonly Message[]) => messages.map((m) => m.seq);

describe('MessagesStore and retention', () => {
  it('says the history starts after expired messages when the conversation says so, with nothing older to load', async () => {
    const { messages } = wired(41, 120, 40);
    await messages.open(C);
    // The latest 50 (71..120): "Load older" still, the expired ones are further back.
    expect(messages.of(C).get()).toMatchObject({ loaded: true, hasMore: true, expired: false });
    await messages.loadOlder(C);
    const view = messages.of(C).get();
    expect(seqs(view.messages)).toEqual(range(41, 120));
    expect(view.expired).toBe(true);
  });

  it('knows it without the conversation saying so: the whole history loaded does not start at seq 1', async () => {
    const { messages } = wired(12, 30);
    await messages.open(C);
    expect(messages.of(C).get()).toMatchObject({ loaded: true, hasMore: false, expired: true });
  });

  it('shows no note for a history that starts at its first message', async () => {
    const { messages } = wired(1, 30);
    await messages.open(C);
    expect(messages.of(C).get()).toMatchObject({ loaded: true, hasMore: false, expired: false });
  });

  it('drops messages at or below an announced expiry, and says the history starts after them', async () => {
    const { messages } = wired(1, 10);
    await messages.open(C);
    expect(messages.of(C).get().expired).toBe(false);
    messages.expired(C, 4);
    await settle();
    const view = messages.of(C).get();
    expect(seqs(view.messages)).toEqual(range(5, 10));
    expect(view.latestSeq).toBe(10);
    expect(view.expired).toBe(true);
    // An older expiry announced late changes nothing.
    messages.expired(C, 2);
    await settle();
    expect(messages.of(C).get()).toBe(view);
  });

  it('keeps the same view while nothing changed (the list does not re-render)', async () => {
    const { messages } = wired(1, 10);
    await messages.open(C);
    messages.expired(C, 4);
    await settle();
    const view = messages.of(C).get();
    messages.changed(C);
    await settle();
    expect(messages.of(C).get()).toBe(view);
  });

  it('shows an empty history whose every message expired as such', async () => {
    const { messages } = wired(1, 3);
    await messages.open(C);
    messages.expired(C, 3);
    await settle();
    const view = messages.of(C).get();
    expect(view.messages).toEqual([]);
    expect(view.expired).toBe(true);
  });
});
