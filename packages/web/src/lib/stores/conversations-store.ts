/**
 * Conversations as the SDK's ChatState holds them: the list (most recent activity first), each
 * conversation by id, your role in each, and each unread count (and unread mentions) by id, as
 * separate atoms so that a new unread message re-renders one badge, a member change re-renders
 * one header, and only a change of your own role re-renders the messages' moderation buttons.
 */
import type { ChatState, Conversation, MemberRole, Message } from '@pneumatic/client';
import { sameItems, type Readable } from './atom.js';
import { KeyedAtoms } from './keyed-atoms.js';

export interface ConversationEntry {
  conversation: Conversation;
  lastMessage: Message | null;
  /** Latest activity (last message or creation), for sorting. */
  activityAt: string;
}

const LIST = 'list';
const TOTAL = 'total';

export class ConversationsStore {
  private readonly lists = new KeyedAtoms<readonly ConversationEntry[]>(() => this.computeList(), sameItems);
  private readonly byId = new KeyedAtoms<Conversation | undefined>((id) => this.state()?.conversation(id));
  /** Your role in each conversation: a message's moderation buttons follow it, not the whole conversation. */
  private readonly roleById = new KeyedAtoms<MemberRole | undefined>((id) => this.state()?.conversation(id)?.members.find((m) => m.user_id === this.selfId())?.role);
  private readonly unreadById = new KeyedAtoms<number>((id) => this.state()?.unreadCount(id) ?? 0);
  private readonly mentionsById = new KeyedAtoms<number>((id) => this.state()?.unreadMentions(id) ?? 0);
  private readonly totals = new KeyedAtoms<number>(() => this.computeUnreadTotal());
  /** The entry last built per conversation, reused while unchanged so the list compares by reference. */
  private readonly entries = new Map<string, ConversationEntry>();

  constructor(
    private readonly state: () => ChatState | null,
    /** Your user id, for your role in each conversation (`myRole`). */
    private readonly selfId: () => string | null = () => null,
  ) {}

  get list(): Readable<readonly ConversationEntry[]> {
    return this.lists.of(LIST);
  }

  conversation(id: string): Readable<Conversation | undefined> {
    return this.byId.of(id);
  }

  /** Your role in a conversation; undefined while you are not (or not yet known to be) a member. */
  myRole(id: string): Readable<MemberRole | undefined> {
    return this.roleById.of(id);
  }

  unread(id: string): Readable<number> {
    return this.unreadById.of(id);
  }

  /** Unread messages across every conversation (the page title shows it). */
  get unreadTotal(): Readable<number> {
    return this.totals.of(TOTAL);
  }

  /** Of the unread messages, those that mention you (by name or `@all`). */
  unreadMentions(id: string): Readable<number> {
    return this.mentionsById.of(id);
  }

  /** The conversation itself, or its last message, changed (or it went away). */
  changed(id: string): void {
    this.byId.invalidate(id);
    this.roleById.invalidate(id);
    this.lists.invalidate(LIST);
    this.totals.invalidate(TOTAL);
  }

  unreadChanged(id: string): void {
    this.unreadById.invalidate(id);
    this.mentionsById.invalidate(id);
    this.totals.invalidate(TOTAL);
  }

  /** A new session: everything may differ. */
  refreshAll(): void {
    this.byId.invalidateAll();
    this.roleById.invalidateAll();
    this.unreadById.invalidateAll();
    this.mentionsById.invalidateAll();
    this.lists.invalidateAll();
    this.totals.invalidateAll();
  }

  private computeUnreadTotal(): number {
    const state = this.state();
    return state ? state.conversations().reduce((sum, c) => sum + state.unreadCount(c.id), 0) : 0;
  }

  private computeList(): readonly ConversationEntry[] {
    const state = this.state();
    if (!state) return [];
    const list = state.conversations().map((conversation) => this.entry(conversation, state.lastMessage(conversation.id)));
    return list.sort((a, b) => b.activityAt.localeCompare(a.activityAt) || a.conversation.id.localeCompare(b.conversation.id));
  }

  private entry(conversation: Conversation, lastMessage: Message | null): ConversationEntry {
    const cached = this.entries.get(conversation.id);
    if (cached?.conversation === conversation && cached.lastMessage === lastMessage) return cached;
    const activityAt = lastMessage && lastMessage.created_at > conversation.created_at ? lastMessage.created_at : conversation.created_at;
    const entry = { conversation, lastMessage, activityAt };
    this.entries.set(conversation.id, entry);
    return entry;
  }
}
