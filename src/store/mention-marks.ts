/**
 * The mention marks a message writes (migration 0007): what `unread_mentions` counts. Shared by
 * both dialects' send paths and by edits, so they cannot disagree on what is counted.
 */
import type { MessageMentions } from '../domain/ports/repositories.js';

// Shared, so a send without mentions (most of them) allocates nothing here.
const NO_TARGETS: readonly (string | null)[] = Object.freeze([]);
const NO_MENTION_COLUMNS = Object.freeze({ mentions: '[]', mentions_all: 0 });

/**
 * The user ids to mark, null standing for everyone: `@all` is one mark (the named ones would
 * count twice), and a sender mentioning themselves is not marked (their own messages are never
 * unread to them).
 */
export function markTargets(senderId: string, mentions: MessageMentions | undefined): readonly (string | null)[] {
  if (!hasMentions(mentions)) return NO_TARGETS;
  if (mentions.mentions_all) return [null];
  return mentions.mentions.filter((id) => id !== senderId);
}

/** The message's columns for its mentions: the JSON text and the flag. */
export function mentionColumns(mentions: MessageMentions | undefined): { readonly mentions: string; readonly mentions_all: number } {
  if (!hasMentions(mentions)) return NO_MENTION_COLUMNS;
  return { mentions: JSON.stringify(mentions.mentions), mentions_all: mentions.mentions_all ? 1 : 0 };
}

/** Whether a send stores any mention (and so takes the statements that write them). */
export function hasMentions(mentions: MessageMentions | undefined): mentions is MessageMentions {
  return mentions !== undefined && (mentions.mentions_all || mentions.mentions.length > 0);
}
