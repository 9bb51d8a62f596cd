/** A message's content as formatted text, with the mentions the server resolved for it highlighted (yours more strongly). */
import type { Message } from '@pneumatic/client';
import type { ChatStore } from '../lib/chat-store.js';
import type { MentionTargets } from '../lib/mentions.js';
import { FormattedText } from './formatted-text.js';

export function MessageText({ store, message }: { store: ChatStore; message: Message }) {
  return <FormattedText class="message__text" content={message.content} mentions={mentionTargets(store, message)} />;
}

/** Only the ids in `mentions` are mentions: an `@name` the server did not resolve (a non-member, an address) stays text. */
function mentionTargets(store: ChatStore, message: Message): MentionTargets | undefined {
  // A message from a server before mentions has neither field.
  const ids = message.mentions ?? [];
  if (ids.length === 0 && !message.mentions_all) return undefined;
  const names = new Map<string, boolean>(ids.map((id) => [store.username(id).toLowerCase(), id === store.me.id]));
  return { names, all: message.mentions_all === true };
}
