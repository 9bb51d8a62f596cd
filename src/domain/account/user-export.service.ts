/**
 * A user's own data, downloaded (docs/API.md, "Your data"): their account, the users they block,
 * the conversations they are in (with members and their own read position) and every message
 * they sent in them, with reactions and attachments' descriptions. One JSON document, written
 * as it is read, page by page, so a long history costs no more memory than a short one.
 */
import type { ConversationSummary } from '@pneumatic/protocol';
import { nowIso } from '../clock.js';
import { notFound } from '../errors.js';
import type { Store } from '../ports/repositories.js';

const CONVERSATION_PAGE = 200;
const MESSAGE_PAGE = 500;

/** What the export says of a conversation: its own fields and members, without the list's summary. */
function described(conversation: ConversationSummary): unknown {
  const { last_message: _last, unread_count: _unread, unread_count_capped: _capped, unread_mentions: _mentions, ...own } = conversation;
  return own;
}

export class UserExportService {
  constructor(private readonly store: Store) {}

  /** Fails before the first chunk when the user is gone; the chunks then join into one JSON object. */
  async chunks(userId: string): Promise<AsyncGenerator<string>> {
    const user = await this.store.users.findById(userId);
    if (!user) throw notFound('User');
    const blocks = await this.store.blocks.list(userId);
    const store = this.store;
    return (async function* () {
      const head = { format: 'pneumatic-user-export', version: 1, exported_at: nowIso(), user, blocks };
      yield `${JSON.stringify(head).slice(0, -1)},"conversations":[`;
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.conversations.listForUser(userId, CONVERSATION_PAGE, cursor);
        for (const conversation of page.conversations) {
          yield `${ids.length > 0 ? ',' : ''}${JSON.stringify(described(conversation))}`;
          ids.push(conversation.id);
        }
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
      yield '],"messages":[';
      let first = true;
      for (const conversationId of ids) {
        for (let after = 0; ; ) {
          const messages = await store.sentMessages.sentBy(userId, conversationId, after, MESSAGE_PAGE);
          for (const message of messages) {
            yield `${first ? '' : ','}${JSON.stringify(message)}`;
            first = false;
          }
          if (messages.length < MESSAGE_PAGE) break;
          after = messages.at(-1)!.seq;
        }
      }
      yield ']}';
    })();
  }
}
