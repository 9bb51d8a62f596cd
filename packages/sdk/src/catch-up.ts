/** Paging through `GET /conversations/{id}/messages?after=` until `has_more` is false. */
import type { RestApi } from './rest-api.js';
import type { Message } from './types.js';

/** API.md: `limit` is 1 to 200; catch-up asks for the most per round trip. */
export const CATCH_UP_PAGE_SIZE = 200;

/** Yields every message with `seq > afterSeq`, one ascending page at a time. */
export async function* messagesAfter(api: RestApi, conversationId: string, afterSeq: number, pageSize = CATCH_UP_PAGE_SIZE): AsyncGenerator<Message[]> {
  let cursor = afterSeq;
  for (;;) {
    const page = await api.listMessages(conversationId, { after: cursor, limit: pageSize });
    if (page.messages.length > 0) {
      yield page.messages;
      cursor = page.messages[page.messages.length - 1]!.seq;
    }
    if (!page.has_more || page.messages.length === 0) return;
  }
}
