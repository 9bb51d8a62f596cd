/** Display helpers: names, dates, initials. */
import type { Conversation, User } from '@pneumatic/client';

/** Direct messages are conversations of two whose title is both usernames (see README). */
export function directMessageTitle(a: string, b: string): string {
  return [a, b].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())).join(' & ');
}

/** The other person of a direct message, or null for a group. */
export function directPeer(conversation: Conversation, me: User): string | null {
  if (conversation.members.length !== 2) return null;
  const other = conversation.members.find((m) => m.user_id !== me.id);
  return other && conversation.title === directMessageTitle(me.username, other.username) ? other.username : null;
}

/** The other member's user id in a direct message (for their presence), or null for a group. */
export function directPeerId(conversation: Conversation, me: User): string | null {
  if (directPeer(conversation, me) === null) return null;
  return conversation.members.find((m) => m.user_id !== me.id)?.user_id ?? null;
}

/** A group's title, or the other person of a direct message: their display name, else their username. */
export function conversationName(conversation: Conversation, me: User): string {
  if (directPeer(conversation, me) === null) return conversation.title;
  const other = conversation.members.find((m) => m.user_id !== me.id)!;
  return other.display_name ?? other.username;
}

export function initials(name: string): string {
  const parts = name.split(/[\s_.&-]+/).filter(Boolean);
  const letters = parts.length > 1 ? (parts[0]![0] ?? '') + (parts[1]![0] ?? '') : name.slice(0, 2);
  return letters.toUpperCase();
}

/** A stable hue (0–5) per name, for avatars. */
export function hue(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return hash % 6;
}

const dayKeyOf = (date: Date) => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;

export function dayKey(iso: string): string {
  return dayKeyOf(new Date(iso));
}

export function dayLabel(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (dayKeyOf(date) === dayKeyOf(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKeyOf(date) === dayKeyOf(yesterday)) return 'Yesterday';
  return date.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric', ...(date.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}) });
}

export function timeLabel(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Short time for the conversation list: time today, weekday this week, else a date. */
export function shortWhen(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (dayKeyOf(date) === dayKeyOf(now)) return timeLabel(iso);
  if (now.getTime() - date.getTime() < 6 * 86_400_000) return date.toLocaleDateString(undefined, { weekday: 'short' });
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** "alice", "alice and bob", "alice, bob and carol". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
