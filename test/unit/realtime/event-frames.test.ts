/** The one mapping from domain events to socket audiences and frames (no server needed). */
import { describe, expect, it } from 'vitest';
import type { Conversation, Member, Message, User } from '@pneumatic/protocol';
import type { Outbound } from '../../../src/bus/event-bus.js';
import { toOutbound } from '../../../src/realtime/event-frames.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const CONVERSATION = '00000000-0000-4000-8000-0000000000c1';
const message: Message = {
  message_id: '00000000-0000-4000-8000-0000000000f1',
  conversation_id: CONVERSATION,
  sender_id: A,
  content: 'hi',
  seq: 7,
  created_at: '2026-12-02T00:00:00.000Z',
  edited_at: null,
  deleted: false,
  version: 9,
  reply_to_id: null,
  thread_root_id: null,
  thread: null,
  reactions: [],
  mentions: [],
  mentions_all: false,
  attachments: [],
};
const member = (user_id: string): Member => ({
  user_id,
  username: user_id.slice(-1),
  is_bot: false,
  display_name: null,
  avatar_url: null,
  role: 'member',
  joined_at: '2026-12-02T00:00:00.000Z',
  last_read_seq: 0,
});
const conversation: Conversation = {
  id: CONVERSATION,
  title: 't',
  created_at: '2026-12-02T00:00:00.000Z',
  created_by: A,
  last_seq: 0,
  last_event_seq: 1,
  members: [A, B].map(member),
};

function framesOf(outbounds: Outbound[]): { userIds: readonly string[]; frame: unknown; order: unknown }[] {
  return outbounds.map((outbound) => {
    if (outbound.kind !== 'frame') throw new Error(`expected a frame, got ${outbound.kind}`);
    return { userIds: outbound.userIds, frame: JSON.parse(outbound.text), order: outbound.order };
  });
}

const at = (eventSeq: number, stream?: 'restart' | 'end') => ({ conversationId: CONVERSATION, eventSeq, ...(stream ? { [stream]: true } : {}) });

describe('toOutbound', () => {
  it('sends a new message to every member as a `message` frame with its position, ordered by it', () => {
    expect(framesOf(toOutbound({ type: 'message.created', message, member_ids: [A, B] }))).toEqual([
      { userIds: [A, B], frame: { type: 'message', conversation_id: CONVERSATION, event_seq: 9, message }, order: at(9) },
    ]);
  });

  it('sends edits and deletes to every member as `message.updated` frames at the message version', () => {
    for (const type of ['message.edited', 'message.deleted'] as const) {
      expect(framesOf(toOutbound({ type, message, member_ids: [A, B] }))).toEqual([
        { userIds: [A, B], frame: { type: 'message.updated', conversation_id: CONVERSATION, event_seq: 9, message }, order: at(9) },
      ]);
    }
  });

  it("sends a thread's root with its new summary to every member as `message.updated` at the root's version", () => {
    const root: Message = { ...message, thread: { reply_count: 2, last_reply_at: '2026-12-02T00:00:01.000Z', last_reply_id: C } };
    expect(framesOf(toOutbound({ type: 'thread.updated', message: root, member_ids: [A, B] }))).toEqual([
      { userIds: [A, B], frame: { type: 'message.updated', conversation_id: CONVERSATION, event_seq: 9, message: root }, order: at(9) },
    ]);
  });

  it("sends a thread read position to the reader's own devices only, unordered", () => {
    expect(framesOf(toOutbound({ type: 'thread.read', conversation_id: CONVERSATION, message_id: message.message_id, user_id: B, seq: 4 }))).toEqual([
      { userIds: [B], frame: { type: 'thread.read', conversation_id: CONVERSATION, message_id: message.message_id, seq: 4 }, order: null },
    ]);
  });

  it('sends a new conversation to each member as `member.added` with their own user_seq, starting their stream', () => {
    expect(framesOf(toOutbound({ type: 'conversation.created', conversation, user_seqs: { [A]: 4, [B]: 11 } }))).toEqual([
      { userIds: [A], frame: { type: 'member.added', conversation_id: CONVERSATION, event_seq: 1, user_id: null, conversation, user_seq: 4 }, order: at(1, 'restart') },
      { userIds: [B], frame: { type: 'member.added', conversation_id: CONVERSATION, event_seq: 1, user_id: null, conversation, user_seq: 11 }, order: at(1, 'restart') },
    ]);
  });

  it('sends `member.added` to the members, and to the new member with their user_seq', () => {
    const body = { type: 'member.added', conversation_id: CONVERSATION, event_seq: 5, user_id: B, conversation };
    expect(framesOf(toOutbound({ type: 'member.added', conversation, user_id: B, event_seq: 5, user_seq: 3 }))).toEqual([
      { userIds: [A], frame: body, order: at(5) },
      { userIds: [B], frame: { ...body, user_seq: 3 }, order: at(5, 'restart') },
    ]);
  });

  it('tells the removed member too, with their user_seq, ending their stream', () => {
    const body = { type: 'member.removed', conversation_id: CONVERSATION, event_seq: 6, user_id: C };
    expect(framesOf(toOutbound({ type: 'member.removed', conversation_id: CONVERSATION, user_id: C, member_ids: [A, B, C], event_seq: 6, user_seq: 8 }))).toEqual([
      { userIds: [A, B], frame: body, order: at(6) },
      { userIds: [C], frame: { ...body, user_seq: 8 }, order: at(6, 'end') },
    ]);
  });

  it('sends `member.updated` and `conversation.updated` to the members at their position', () => {
    expect(framesOf(toOutbound({ type: 'member.updated', conversation_id: CONVERSATION, member: member(B), member_ids: [B], event_seq: 7 }))).toEqual([
      { userIds: [B], frame: { type: 'member.updated', conversation_id: CONVERSATION, event_seq: 7, member: member(B) }, order: at(7) },
    ]);
    expect(framesOf(toOutbound({ type: 'conversation.updated', conversation, event_seq: 8, member_ids: [A, B] }))).toEqual([
      { userIds: [A, B], frame: { type: 'conversation.updated', conversation_id: CONVERSATION, event_seq: 8, conversation }, order: at(8) },
    ]);
  });

  it('sends read positions to every member, and the reader their user_seq', () => {
    const body = { type: 'read', conversation_id: CONVERSATION, user_id: B, seq: 3 };
    expect(framesOf(toOutbound({ type: 'read.advanced', conversation_id: CONVERSATION, user_id: B, seq: 3, user_seq: 12, member_ids: [A, B] }))).toEqual([
      { userIds: [A], frame: body, order: null },
      { userIds: [B], frame: { ...body, user_seq: 12 }, order: null },
    ]);
  });

  it("does not tell the typist's own devices", () => {
    expect(framesOf(toOutbound({ type: 'typing.started', conversation_id: CONVERSATION, user_id: A, member_ids: [A, B, C] }))).toEqual([
      { userIds: [B, C], frame: { type: 'typing', conversation_id: CONVERSATION, user_id: A }, order: null },
    ]);
  });

  it("sends a changed profile to the user's own devices only, with their user_seq, unordered", () => {
    const user: User = { id: B, username: 'b', created_at: '2026-12-02T00:00:00.000Z', is_bot: false, display_name: 'Bea', avatar_url: null, status_text: 'away', deactivated: false };
    expect(framesOf(toOutbound({ type: 'user.updated', user, user_seq: 5 }))).toEqual([{ userIds: [B], frame: { type: 'user.updated', user, user_seq: 5 }, order: null }]);
  });

  it('closes the sockets of revoked sessions with 4401 and a reason saying why', () => {
    const reasons = { logout: 'logged out', token_revoked: 'token revoked', session_revoked: 'session revoked', password_changed: 'password changed' } as const;
    for (const [reason, text] of Object.entries(reasons) as [keyof typeof reasons, string][]) {
      expect(toOutbound({ type: 'sessions.revoked', user_id: A, session_ids: ['s1', 's2'], reason })).toEqual([
        { kind: 'close-sessions', userId: A, sessionIds: ['s1', 's2'], code: 4401, reason: text },
      ]);
    }
  });
});
