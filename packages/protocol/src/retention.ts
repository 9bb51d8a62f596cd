/**
 * Retention (docs/API.md, "Retention"): messages older than a period are deleted by the server.
 * The period is set server-wide by an admin and per conversation by its owners; the shorter applies.
 */
import { Type, type Static } from 'typebox';

/** A hundred years: beyond it a period means "keep forever", which is `null`. */
export const RETENTION_DAYS_MAX = 36_500;

/**
 * Days, or null. One `type` list rather than a union, so a refusal names one problem ("must be
 * >= 1") instead of one per branch.
 */
const daysOrNull = (description: string) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 1, maximum: RETENTION_DAYS_MAX, description });

/** GET and PUT /admin/retention. */
export const RetentionSettings = Type.Object(
  { message_retention_days: daysOrNull('the server-wide period in days; null keeps messages forever') },
  { additionalProperties: false, title: 'RetentionSettings' },
);
export type RetentionSettings = Static<typeof RetentionSettings>;

/** PUT /conversations/{id}/retention. */
export const ConversationRetention = Type.Object(
  { retention_days: daysOrNull("the conversation's own period in days; null: the server's") },
  { additionalProperties: false, title: 'ConversationRetention' },
);
export type ConversationRetention = Static<typeof ConversationRetention>;

/** The effective period: the shorter of the two, null when neither is set. */
export function effectiveRetentionDays(serverDays: number | null, conversationDays: number | null | undefined): number | null {
  if (serverDays === null) return conversationDays ?? null;
  return conversationDays == null ? serverDays : Math.min(serverDays, conversationDays);
}
