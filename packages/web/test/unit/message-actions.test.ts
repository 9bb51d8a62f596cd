/**
 * Who may do what to a message (src/lib/message-actions.ts), by who sent it, your role in its
 * conversation and your server role (docs/API.md, "Conversation roles", "Moderation",
 * "Reports"); and your role in each conversation as the message buttons read it
 * (ConversationsStore.myRole), over the SDK's real ChatState.
 */
import { ChatState, type Conversation, type MemberRole, type ServerRole } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { messageActions, type MessageContext } from '../../src/lib/message-actions.js';
import { ConversationsStore } from '../../src/lib/stores/conversations-store.js';

const CONVERSATION_ROLES: Array<MemberRole | undefined> = ['owner', 'admin', 'member', undefined];
const SERVER_ROLES: Array<ServerRole | null> = ['admin', 'member', null];

const others = (conversationRole: MemberRole | undefined, serverRole: ServerRole | null, deleted = false): MessageContext => ({ own: false, deleted, conversationRole, serverRole });

describe('messageActions', () => {
  it('lets you edit and delete your own message, whatever your roles, and never report it', () => {
    for (const conversationRole of CONVERSATION_ROLES) {
      for (const serverRole of SERVER_ROLES) {
        expect(messageActions({ own: true, deleted: false, conversationRole, serverRole })).toEqual({ edit: true, delete: 'sender', report: false });
      }
    }
  });

  it('offers nothing on a deleted message, yours or anyone else\'s', () => {
    for (const own of [true, false]) {
      for (const conversationRole of CONVERSATION_ROLES) {
        for (const serverRole of SERVER_ROLES) expect(messageActions({ own, deleted: true, conversationRole, serverRole })).toEqual({ edit: false, delete: null, report: false });
      }
    }
  });

  it('lets the conversation\'s owners and admins delete someone else\'s message with the ordinary delete, also when they are server admins', () => {
    for (const role of ['owner', 'admin'] as const) {
      for (const serverRole of SERVER_ROLES) expect(messageActions(others(role, serverRole)).delete).toBe('manager');
    }
  });

  it('gives a server admin the admin delete where they are a plain member (or not a member)', () => {
    expect(messageActions(others('member', 'admin')).delete).toBe('server-admin');
    expect(messageActions(others(undefined, 'admin')).delete).toBe('server-admin');
  });

  it('gives a plain member no delete on others\' messages, nor anyone before the server role is known', () => {
    expect(messageActions(others('member', 'member')).delete).toBeNull();
    expect(messageActions(others('member', null)).delete).toBeNull();
    expect(messageActions(others(undefined, 'member')).delete).toBeNull();
  });

  it('lets any member report someone else\'s message, and nobody outside the conversation (403 not_member)', () => {
    for (const role of ['owner', 'admin', 'member'] as const) {
      for (const serverRole of SERVER_ROLES) expect(messageActions(others(role, serverRole)).report).toBe(true);
    }
    expect(messageActions(others(undefined, 'admin')).report).toBe(false);
  });

  it('never offers editing someone else\'s message', () => {
    for (const conversationRole of CONVERSATION_ROLES) {
      for (const serverRole of SERVER_ROLES) expect(messageActions(others(conversationRole, serverRole)).edit).toBe(false);
    }
  });
});

describe('ConversationsStore.myRole', () => {
  const ME = '00000000-0000-4000-8000-000000000001';
  const BOB = '00000000-0000-4000-8000-000000000002';
  const ID = '20000000-0000-4000-8000-00000000000a';
  const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));
  const member = (user_id: string, username: string, role: MemberRole) => ({ user_id, username, is_bot: false, display_name: null, avatar_url: null, role, joined_at: '2026-01-01T00:00:00.000Z', last_read_seq: 0 });
  const group = (myRole: MemberRole): Conversation => ({ id: ID, title: 'Group', created_at: '2026-01-01T00:00:00.000Z', created_by: BOB, last_seq: 0, last_event_seq: 1, members: [member(BOB, 'bob', 'owner'), member(ME, 'me', myRole)] });

  function wired() {
    const state = new ChatState(() => ME, { windowSize: Number.POSITIVE_INFINITY });
    const store = new ConversationsStore(() => state, () => ME);
    state.changes.on('conversation', (id) => store.changed(id));
    return { state, store };
  }

  it('is undefined for a conversation not (yet) known, then your role in it', async () => {
    const { state, store } = wired();
    const role = store.myRole(ID);
    expect(role.get()).toBeUndefined();
    state.applyConversation(group('member'));
    await settle();
    expect(role.get()).toBe('member');
  });

  it('follows a role given to you, notifying only when your own role changes', async () => {
    const { state, store } = wired();
    state.applyConversation(group('member'));
    const role = store.myRole(ID);
    let notified = 0;
    role.subscribe(() => notified++);
    state.applyMember(ID, BOB, member(BOB, 'bob', 'admin'));
    await settle();
    expect(notified).toBe(0);
    state.applyMember(ID, ME, member(ME, 'me', 'admin'));
    await settle();
    expect(role.get()).toBe('admin');
    expect(notified).toBe(1);
    state.applyMemberRemoved(ID, ME);
    await settle();
    expect(role.get()).toBeUndefined();
  });
});
