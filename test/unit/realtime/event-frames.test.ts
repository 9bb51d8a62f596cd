/** The one mapping from domain events to socket audiences and frames (no server needed). */
import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '@pneumatic/protocol';
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
  version: 7,
};
const conversation: Conversation = {
  id: CONVERSATION,
  title: 't',
  created_at: '2026-12-02T00:00:00.000Z',
  created_by: A,
  last_seq: 0,
  last_event_seq: 1,
  members: [A, B].map((user_id) => ({ user_id, username: user_id.slice(-1), role: 'member' as const, joined_at: '2026-12-02T00:00:00.000Z', last_read_seq: 0 })),
};

function frameOf(outbound: Outbound): { userIds: readonly string[]; frame: unknown; order: unknown } {
  if (outbound.kind !== 'frame') throw new Error(`expected a frame, got ${outbound.kind}`);
  return { userIds: outbound.userIds, frame: JSON.parse(outbound.text), order: outbound.order };
}

describe('toOutbound', () => {
  it('sends a new message to every member as a `message` frame ordered by its seq', () => {
    expect(frameOf(toOutbound({ type: 'message.created', message, member_ids: [A, B] }))).toEqual({
      userIds: [A, B],
      frame: { type: 'message', message },
      order: { conversationId: CONVERSATION, seq: 7 },
    });
  });

  it('sends edits and deletes to every member as unordered `message.updated` frames', () => {
    for (const type of ['message.edited', 'message.deleted'] as const) {
      expect(frameOf(toOutbound({ type, message, member_ids: [A, B] }))).toEqual({ userIds: [A, B], frame: { type: 'message.updated', message }, order: null });
    }
  });

  it('sends `member.added` with the whole conversation to all its members, on creation and on adding', () => {
    const expected = { userIds: [A, B], frame: { type: 'member.added', conversation }, order: null };
    expect(frameOf(toOutbound({ type: 'conversation.created', conversation }))).toEqual(expected);
    expect(frameOf(toOutbound({ type: 'member.added', conversation, user_id: B }))).toEqual(expected);
  });

  it('tells the removed member too', () => {
    expect(frameOf(toOutbound({ type: 'member.removed', conversation_id: CONVERSATION, user_id: C, member_ids: [A, B, C] }))).toEqual({
      userIds: [A, B, C],
      frame: { type: 'member.removed', conversation_id: CONVERSATION, user_id: C },
      order: null,
    });
  });

  it('sends read positions to every member, the reader included', () => {
    expect(frameOf(toOutbound({ type: 'read.advanced', conversation_id: CONVERSATION, user_id: B, seq: 3, member_ids: [A, B] })).userIds).toEqual([A, B]);
  });

  it("does not tell the typist's own devices", () => {
    expect(frameOf(toOutbound({ type: 'typing.started', conversation_id: CONVERSATION, user_id: A, member_ids: [A, B, C] }))).toEqual({
      userIds: [B, C],
      frame: { type: 'typing', conversation_id: CONVERSATION, user_id: A },
      order: null,
    });
  });

  it('closes the sockets of revoked sessions with 4401', () => {
    expect(toOutbound({ type: 'sessions.revoked', user_id: A, session_ids: ['s1', 's2'], reason: 'logout' })).toEqual({
      kind: 'close-sessions',
      userId: A,
      sessionIds: ['s1', 's2'],
      code: 4401,
      reason: 'logged out',
    });
  });
});
