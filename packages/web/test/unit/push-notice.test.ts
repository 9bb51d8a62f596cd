/**
 * The service worker's decisions (src/sw/push-notice.ts), in Node: reading a push, dropping a
 * server retry of one already shown, and folding a burst into one notification per conversation.
 */
import { describe, expect, it } from 'vitest';
import { RECENT_PUSH_IDS, composeNotice, conversationUrl, isOpenConversationMessage, noticeDataOf, parsePushPayload, rememberPushId, type PushPayload } from '../../src/sw/push-notice.js';

const CONVERSATION = '0b4d3c1e-8f0a-4a52-9a3e-1f2d3c4b5a69';

function payload(extra: Partial<PushPayload> = {}): PushPayload {
  return {
    id: 'push-1',
    type: 'message',
    conversation_id: CONVERSATION,
    conversation_title: 'Launch plans',
    message_id: 'm-1',
    seq: 7,
    thread_root_id: null,
    sender: { id: 'u-1', username: 'alice' },
    preview: 'Ship it on Friday?',
    mention: false,
    sent_at: '2026-03-02T10:15:00.000Z',
    ...extra,
  };
}

describe('parsePushPayload', () => {
  it('reads a message push as the server sends it', () => {
    const parsed = parsePushPayload(JSON.parse(JSON.stringify(payload())));
    expect(parsed).toEqual(payload());
  });

  it('keeps a push without preview (previews off) and reads a missing title as a direct message', () => {
    const { preview: _preview, ...rest } = payload({ conversation_title: null });
    expect(parsePushPayload(rest)).toEqual({ ...rest, conversation_title: null });
  });

  it('refuses what is not a message push', () => {
    expect(parsePushPayload(null)).toBeNull();
    expect(parsePushPayload('text')).toBeNull();
    expect(parsePushPayload({ ...payload(), type: 'reaction' })).toBeNull();
    expect(parsePushPayload({ ...payload(), id: 42 })).toBeNull();
    expect(parsePushPayload({ ...payload(), sender: 'alice' })).toBeNull();
  });
});

describe('rememberPushId', () => {
  it('says a new id is no repeat and remembers it', () => {
    expect(rememberPushId(['a'], 'b')).toEqual({ repeat: false, recent: ['a', 'b'] });
  });

  it('says a retry with an id already shown is a repeat', () => {
    const first = rememberPushId([], 'push-1');
    expect(rememberPushId(first.recent, 'push-1').repeat).toBe(true);
  });

  it('keeps only the most recent ids, forgetting the oldest', () => {
    let recent: string[] = [];
    for (let i = 0; i < RECENT_PUSH_IDS + 5; i++) recent = rememberPushId(recent, `id-${i}`).recent;
    expect(recent).toHaveLength(RECENT_PUSH_IDS);
    expect(recent[0]).toBe('id-5');
    expect(rememberPushId(recent, 'id-0').repeat).toBe(false);
    expect(rememberPushId(recent, `id-${RECENT_PUSH_IDS + 4}`).repeat).toBe(true);
  });
});

describe('composeNotice', () => {
  it('titles a group message with the conversation and shows who wrote what, tagged with the conversation', () => {
    const notice = composeNotice(payload(), null);
    expect(notice.title).toBe('Launch plans');
    expect(notice.options.body).toBe('alice: Ship it on Friday?');
    expect(notice.options.tag).toBe(CONVERSATION);
    expect(notice.options.renotify).toBe(false);
    expect(notice.options.data).toEqual({ conversation_id: CONVERSATION, message_id: 'm-1', count: 1 });
    expect(notice.options.timestamp).toBe(Date.parse('2026-03-02T10:15:00.000Z'));
  });

  it('titles a direct message with the sender and shows the preview alone', () => {
    const notice = composeNotice(payload({ conversation_title: null }), null);
    expect(notice.title).toBe('alice');
    expect(notice.options.body).toBe('Ship it on Friday?');
  });

  it('says "New message" without a preview, and who mentioned you for a mention', () => {
    const { preview: _preview, ...noPreview } = payload({ conversation_title: null });
    expect(composeNotice(noPreview, null).options.body).toBe('New message');
    expect(composeNotice({ ...noPreview, mention: true }, null).options.body).toBe('alice mentioned you');
    expect(composeNotice({ ...noPreview, conversation_title: 'Launch plans' }, null).options.body).toBe('New message from alice');
  });

  it('replaces the conversation’s notification with a count, silently, pointing at the latest message', () => {
    const first = composeNotice(payload(), null);
    const second = composeNotice(payload({ id: 'push-2', message_id: 'm-2', preview: 'Or Monday' }), noticeDataOf(first.options.data));
    const third = composeNotice(payload({ id: 'push-3', message_id: 'm-3', preview: 'Monday it is' }), noticeDataOf(second.options.data));
    expect(second.options.body).toBe('2 new messages\nalice: Or Monday');
    expect(third.options.body).toBe('3 new messages\nalice: Monday it is');
    expect(third.options.data).toEqual({ conversation_id: CONVERSATION, message_id: 'm-3', count: 3 });
    expect(third.options.tag).toBe(CONVERSATION);
    expect(third.options.renotify).toBe(false);
  });

  it('starts a new count when the notification it replaces is not ours or another conversation’s', () => {
    expect(noticeDataOf({ something: 'else' })).toBeNull();
    expect(noticeDataOf(undefined)).toBeNull();
    expect(composeNotice(payload(), { conversation_id: 'other', message_id: 'x', count: 4 }).options.data.count).toBe(1);
    expect(noticeDataOf({ conversation_id: CONVERSATION, message_id: 'x', count: -3 })?.count).toBe(1);
  });
});

describe('opening a conversation from a notification', () => {
  it('builds the app’s hash route under the worker’s scope', () => {
    expect(conversationUrl('https://chat.example/', CONVERSATION)).toBe(`https://chat.example/#/c/${CONVERSATION}`);
  });

  it('recognises the message the worker posts to an open window', () => {
    expect(isOpenConversationMessage({ type: 'pneumatic:open-conversation', conversation_id: CONVERSATION })).toBe(true);
    expect(isOpenConversationMessage({ type: 'other', conversation_id: CONVERSATION })).toBe(false);
    expect(isOpenConversationMessage('pneumatic:open-conversation')).toBe(false);
  });
});
