/**
 * The audit log in words (docs/API.md, "The audit log"): each action's name, and an entry's
 * `before` and `after` as one change per field ("role: member → admin"). Plain functions, so the
 * wording is tested without a browser.
 */
import { AUDIT_ACTIONS, type AuditAction } from '@pneumatic/protocol';
import type { AuditEntry } from '@pneumatic/client';

export { AUDIT_ACTIONS };

const ACTION_LABELS: Record<AuditAction, string> = {
  'user.role_changed': 'Role changed',
  'user.deactivated': 'Account deactivated',
  'user.reactivated': 'Account reactivated',
  'message.deleted': 'Message deleted',
  'member.removed': 'Member removed',
  'member.role_changed': 'Conversation role changed',
  'report.resolved': 'Report resolved',
  'report.dismissed': 'Report dismissed',
  'messages.removal_started': 'Message removal started',
  'messages.removal_finished': 'Message removal finished',
  'retention.changed': 'Retention changed',
};

/** "Role changed" for `user.role_changed`; an action newer than this app (actions are added over time) as it is named. */
export function auditActionLabel(action: string): string {
  return (ACTION_LABELS as Record<string, string>)[action] ?? action;
}

/** One field of an entry: its name, and its values before and after (undefined: absent on that side). */
export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** The fields `before` or `after` hold, in the order they name them; none when both are null. */
export function auditChanges(entry: Pick<AuditEntry, 'before' | 'after'>): AuditChange[] {
  const fields = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])];
  return fields.map((field) => ({ field, before: entry.before?.[field], after: entry.after?.[field] }));
}

/** The fields whose value is a user's id (a deleted message's `sender_id`), shown as that user. */
const USER_FIELDS: ReadonlySet<string> = new Set(['sender_id', 'user_id']);

export function auditNamesUser(field: string): boolean {
  return USER_FIELDS.has(field);
}

/** A field's name to read: `deactivated_at` → "deactivated", `sender_id` → "sender". */
export function auditFieldLabel(field: string): string {
  return field.replace(/_(at|id)$/, '').replace(/_/g, ' ');
}

/**
 * A value to read: "none" for null or absent (a deleted message has no `after`), a time through
 * `formatTime` for an `_at` field, anything else as text.
 */
export function auditValueText(field: string, value: unknown, formatTime: (iso: string) => string): string {
  if (value === null || value === undefined) return 'none';
  if (field.endsWith('_at') && typeof value === 'string') return formatTime(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
}
