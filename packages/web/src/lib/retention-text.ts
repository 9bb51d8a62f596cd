/**
 * Retention in words and numbers (docs/API.md, "Retention"): the period a form takes (whole days,
 * 1 to 36,500, or none: "keep forever" server-wide, "the server's" for a conversation), the policy
 * a conversation is under, and whether its history starts where retention deleted the older part.
 * Plain functions, so the wording is tested without a browser.
 */

/**
 * The longest period, as protocol's RETENTION_DAYS_MAX (not imported: it sits among the wire
 * schemas, whose module would bring the schema library into the first-load JavaScript; a unit
 * test holds the two equal).
 */
export const RETENTION_DAYS_MAX = 36_500;

export const RETENTION_DAYS_HINT = `Whole days, 1 to ${RETENTION_DAYS_MAX.toLocaleString('en')}.`;

/** "1 day", "30 days". */
export function daysText(days: number): string {
  return days === 1 ? '1 day' : `${days.toLocaleString('en')} days`;
}

/** What is wrong with a typed period, or null when it is a whole number of days in range. */
export function retentionDaysProblem(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return 'Enter a number of days.';
  if (!/^\d+$/.test(trimmed)) return 'Use a whole number of days.';
  const days = Number(trimmed);
  if (days < 1 || days > RETENTION_DAYS_MAX) return `Use 1 to ${RETENTION_DAYS_MAX.toLocaleString('en')} days.`;
  return null;
}

/** The typed period as a number; call after {@link retentionDaysProblem} found nothing. */
export function parseRetentionDays(text: string): number {
  return Number(text.trim());
}

/** A period as words: "Messages older than 30 days are deleted." or, with none, "Messages are kept forever." */
export function retentionPolicyText(days: number | null): string {
  return days === null ? 'Messages are kept forever.' : `Messages older than ${daysText(days)} are deleted.`;
}

/** Whether going from `current` to `next` deletes messages kept until now: a period where there was none, or a shorter one. */
export function retentionShortens(current: number | null, next: number | null): boolean {
  return next !== null && (current === null || next < current);
}

/** The question before a shorter period is saved: what it deletes, for good. */
export function shorterPeriodQuestion(next: number, where: string): string {
  return `Messages older than ${daysText(next)} will be deleted ${where} for good. Save?`;
}

/** The period in force: the shorter of the server's and the conversation's, none when neither is set (protocol's effectiveRetentionDays). */
export function effectiveRetentionDays(serverDays: number | null, conversationDays: number | null | undefined): number | null {
  if (serverDays === null) return conversationDays ?? null;
  return conversationDays == null ? serverDays : Math.min(serverDays, conversationDays);
}

/**
 * The policy a conversation is under, in words. `serverDays` undefined: not known to you (only
 * admins read the server's period), so the words say what the conversation's own period does.
 */
export function conversationPolicyText(conversationDays: number | undefined, serverDays: number | null | undefined): string {
  if (serverDays === undefined) {
    if (conversationDays === undefined) return 'This conversation follows the server’s retention policy.';
    return `Messages older than ${daysText(conversationDays)} are deleted (sooner if the server’s own period is shorter).`;
  }
  const effective = effectiveRetentionDays(serverDays, conversationDays);
  const text = retentionPolicyText(effective);
  if (conversationDays === undefined) return `${text} This conversation follows the server’s policy.`;
  if (effective !== conversationDays) return `${text} The server’s period is shorter than this conversation’s ${daysText(conversationDays)}.`;
  return text;
}

/** The note above a history that starts where retention deleted the older messages. */
export const EXPIRED_HISTORY_TEXT = 'Older messages were deleted by the retention policy.';

/**
 * Whether the history held starts right after messages retention deleted. Seqs have no gaps and
 * start at 1 (docs/API.md, "Messages"), deleted messages keep theirs: the oldest held message
 * being the one after `expiredThrough` (the conversation's `expired_through_seq`, 0 when none), or
 * the oldest there is (no more to load) but not the first, means the older ones are gone.
 * `first`: the oldest seq held, thread replies included; undefined when none is.
 */
export function historyStartsAfterExpiry(first: number | undefined, paging: { loaded: boolean; hasMore: boolean }, expiredThrough: number): boolean {
  if (!paging.loaded) return false;
  if (first === undefined) return !paging.hasMore && expiredThrough > 0;
  return (expiredThrough > 0 && first === expiredThrough + 1) || (!paging.hasMore && first > 1);
}
