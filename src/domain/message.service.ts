import type { Message } from '@pneumatic/protocol';
import { nowIso } from './clock.js';
import { requireMayDelete, requireMayEdit, requireMemberIds, requireMembership } from './conversation.policy.js';
import { AppError, notFound } from './errors.js';
import { requireSomethingToSend, resolveAttachments, unavailableAttachment } from './attachments.js';
import { resolveMentions } from './mention-resolution.js';
import type { EventPublisher } from './ports/events.js';
import type { DomainMetrics } from './ports/metrics.js';
import type { RateLimiter } from './ports/rate-limiter.js';
import type { RemovableMessage } from './ports/message-removal-repository.js';
import { NO_MENTIONS, type HistoryPage, type HistoryPageJson, type HistoryQuery, type Membership, type ReplyRefusal, type Store } from './ports/repositories.js';

export interface SendInput {
  message_id: string;
  conversation_id: string;
  /** May be empty when the send has attachments. */
  content: string;
  sender_id?: string | undefined;
  /** The message quoted (docs/API.md, "Replies and threads"). */
  reply_to_id?: string | undefined;
  /** The root of the thread to post in. */
  thread_root_id?: string | undefined;
  /** Ids of the sender's uploads to attach (docs/API.md, "Files and images"). */
  attachments?: readonly string[] | undefined;
}

export interface SendResult {
  message: Message;
  /** false when this message_id was already stored: the caller answers 200, nobody is told again. */
  created: boolean;
}

export interface MessageServiceDeps {
  store: Store;
  events: EventPublisher;
  limiter: RateLimiter;
  metrics: DomainMetrics;
  /** MENTION_ALL_MAX_MEMBERS: above it, only owners may mention everyone. */
  mentionAllMaxMembers: number;
  /** Told when a deleted message had attachments: the clean-up job may delete them now. */
  attachmentsReleased?: () => void;
}

/** Sending (idempotent by message_id, seq assigned at commit), history, edit and delete. */
export class MessageService {
  constructor(private readonly deps: MessageServiceDeps) {}

  async send(callerId: string, input: SendInput): Promise<SendResult> {
    const messageId = input.message_id;
    const conversationId = input.conversation_id;
    const content = input.content;
    const attachmentIds = input.attachments ?? [];
    requireSomethingToSend(content, attachmentIds.length);
    const memberIds = await requireMemberIds(this.deps.store, conversationId, callerId);
    if (input.sender_id !== undefined && input.sender_id !== callerId) {
      throw new AppError('sender_mismatch', 'sender_id must be your own user id.');
    }
    await this.deps.limiter.consume('messages', callerId);
    // The hot path: content without '@' (most of it) costs no await and no query for mentions.
    const mentions = content.includes('@')
      ? await resolveMentions(this.deps.store, content, { conversationId, callerId, memberIds }, this.deps.mentionAllMaxMembers)
      : NO_MENTIONS;
    // Without mentions the field is left out: every send crosses to the SQLite writer thread by a
    // structured clone, and a nested object for nothing made that clone dearer.
    const newMessage = { message_id: messageId, conversation_id: conversationId, sender_id: callerId, content, ...(mentions === NO_MENTIONS ? {} : { mentions }) };
    const replyTo = input.reply_to_id ?? null;
    const threadRoot = input.thread_root_id ?? null;
    const attachments = await resolveAttachments(this.deps.store, callerId, attachmentIds);
    // A plain send keeps the group-commit path untouched: replies and attachments take a transaction of their own.
    const result =
      replyTo === null && threadRoot === null && attachments.length === 0
        ? await this.deps.store.messages.append(newMessage)
        : await this.deps.store.threads.appendReply({ ...newMessage, reply_to_id: replyTo, thread_root_id: threadRoot, ...(attachments.length > 0 ? { attachments } : {}) });
    if (result.kind === 'refused') throw refusal(result.reason);
    const stored = result.message;
    if (result.kind === 'existing') {
      const same =
        stored.sender_id === callerId &&
        stored.conversation_id === conversationId &&
        stored.content === content &&
        stored.reply_to_id === replyTo &&
        stored.thread_root_id === threadRoot &&
        sameIds(stored.attachments.map((a) => a.id), attachmentIds);
      if (!same) throw new AppError('message_id_conflict', 'This message_id was already used for a different message.');
      return { message: stored, created: false };
    }
    // Published with no await since the commit, so events leave in commit (seq) order.
    this.deps.events.publish({ type: 'message.created', message: stored, member_ids: memberIds });
    // A thread reply's root, with its new summary (the event after the reply's).
    const root = (result as { root?: Message | null }).root;
    if (root) this.deps.events.publish({ type: 'thread.updated', message: root, member_ids: memberIds });
    this.deps.metrics.messageStored();
    return { message: stored, created: true };
  }

  async history(callerId: string, conversationId: string, query: HistoryQuery): Promise<HistoryPage> {
    await this.requireHistoryAccess(callerId, conversationId, query);
    return this.deps.store.messages.history(conversationId, { ...query, viewer: callerId });
  }

  /**
   * The same page as `history`, with its messages as JSON text: what the HTTP route sends. Both
   * carry the caller's own reactions as the page's `my_reactions` (a Message is the same for all).
   */
  async historyJson(callerId: string, conversationId: string, query: HistoryQuery): Promise<HistoryPageJson> {
    await this.requireHistoryAccess(callerId, conversationId, query);
    return this.deps.store.messages.historyJson(conversationId, { ...query, viewer: callerId });
  }

  /** The mentions are resolved again from the new content, under the same policy as a send. */
  async edit(callerId: string, messageId: string, content: string): Promise<Message> {
    const { message, membership } = await this.findVisible(callerId, messageId);
    requireMayEdit(message.sender_id, callerId);
    if (message.deleted) throw new AppError('message_deleted', 'A deleted message cannot be edited.');
    const memberIds = await this.memberIds(message);
    const context = { conversationId: message.conversation_id, callerId, memberIds, role: membership.role, alreadyAll: message.mentions_all };
    const mentions = await resolveMentions(this.deps.store, content, context, this.deps.mentionAllMaxMembers);
    const edited = await this.deps.store.messages.edit(message, content, nowIso(), callerId, mentions);
    if (!edited) throw new AppError('message_deleted', 'A deleted message cannot be edited.');
    this.deps.events.publish({ type: 'message.edited', message: edited, member_ids: memberIds });
    return edited;
  }

  /** Deleting keeps the seq (no gaps); the content is blanked. Deleting twice is a no-op. */
  async delete(callerId: string, messageId: string): Promise<void> {
    const { message, membership } = await this.findVisible(callerId, messageId);
    // Another's message: the role decides, read past the cache (ConversationRepository.membership).
    const deciding = message.sender_id === callerId ? membership : await requireMembership(this.deps.store, message.conversation_id, callerId, true);
    requireMayDelete(message.sender_id, callerId, deciding);
    const deleted = await this.deps.store.messages.markDeleted(message, nowIso(), callerId);
    if (!deleted) return;
    this.deps.events.publish({ type: 'message.deleted', message: deleted, member_ids: await this.memberIds(deleted) });
    if (message.attachments.length > 0) this.deps.attachmentsReleased?.();
  }

  /**
   * A server admin's delete of any message (admin.service.ts checks the admin), announced like
   * any delete. The message as it was; null when it was deleted already.
   */
  async deleteAsAdmin(adminId: string, messageId: string): Promise<Message | null> {
    const message = await this.deps.store.messages.findById(messageId);
    if (!message) throw notFound('Message');
    const deleted = await this.deps.store.messages.markDeleted(message, nowIso(), adminId);
    if (!deleted) return null;
    this.deps.events.publish({ type: 'message.deleted', message: deleted, member_ids: await this.memberIds(deleted) });
    if (message.attachments.length > 0) this.deps.attachmentsReleased?.();
    return message;
  }

  /**
   * A batch of a message removal (admin/message-removal-worker.ts): the messages deleted in one
   * transaction (one commit for the batch, not one per message) and each announced as
   * deleteAsAdmin does. Resolves with how many were deleted (one deleted meanwhile by someone
   * else is not counted).
   */
  async deleteBatchAsAdmin(adminId: string, messages: readonly RemovableMessage[]): Promise<number> {
    const deleted = await this.deps.store.messages.markDeletedMany(messages, nowIso(), adminId);
    const members = new Map<string, Promise<string[]>>();
    for (const message of deleted) {
      const conversationId = message.conversation_id;
      if (!members.has(conversationId)) members.set(conversationId, this.memberIds(message));
      this.deps.events.publish({ type: 'message.deleted', message, member_ids: await members.get(conversationId)! });
    }
    // Once per batch: the clean-up job looks at every released file in one run.
    if (messages.some((message) => message.has_attachments)) this.deps.attachmentsReleased?.();
    return deleted.length;
  }

  private async requireHistoryAccess(callerId: string, conversationId: string, query: HistoryQuery): Promise<void> {
    const cursors = [query.before, query.after, query.around].filter((cursor) => cursor !== undefined).length;
    if (cursors > 1) {
      throw new AppError('invalid_request', query.around === undefined ? 'Give at most one of before and after.' : 'Give at most one of before, after and around.');
    }
    await requireMembership(this.deps.store, conversationId, callerId);
  }

  /** The message and the caller's membership of its conversation (403 not_member when none). */
  private async findVisible(callerId: string, messageId: string): Promise<{ message: Message; membership: Membership }> {
    const message = await this.deps.store.messages.findById(messageId);
    if (!message) throw notFound('Message');
    const membership = await requireMembership(this.deps.store, message.conversation_id, callerId);
    return { message, membership };
  }

  private memberIds(message: Message): Promise<string[]> {
    return this.deps.store.conversations.memberIds(message.conversation_id);
  }
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** What a refused reply answers (docs/API.md, "Replies and threads"). */
function refusal(reason: ReplyRefusal): AppError {
  switch (reason) {
    case 'root_unknown':
      return new AppError('invalid_thread_root', 'thread_root_id must name a message of this conversation.');
    case 'root_nested':
      return new AppError('nested_thread', 'A thread reply cannot start a thread: reply in its root\'s thread.');
    case 'root_deleted':
      return new AppError('message_deleted', 'A deleted message\'s thread stays readable but takes no new replies.');
    case 'target_unknown':
      return new AppError('invalid_reply_target', 'reply_to_id must name a message of this conversation.');
    case 'target_deleted':
      return new AppError('reply_target_deleted', 'A deleted message cannot be replied to.');
    case 'attachment_unavailable':
      // Deleted or taken by the clean-up job after the send looked (docs/API.md, "Files and images").
      return unavailableAttachment(null);
  }
}
