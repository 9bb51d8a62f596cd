/**
 * What both implementations of the push queue (Kysely, push-queue.repository.ts; SQLite's
 * prepared statements, sqlite/sqlite-push-queue.ts) compute alike: the delivery rows an
 * expansion writes, and the port's shapes built from the rows they read.
 */
import { randomUUID } from 'node:crypto';
import type { DueDelivery, OutboxMessage, PushExpansion } from '../../domain/ports/push-repository.js';
import type { Insertable } from 'kysely';
import { toIso, toIsoOrNull } from '../rows.js';
import type { PushDeliveriesTable } from './push-tables.js';

/** One delivery row per subscription and conversation, the newest message's (flags ORed over the messages it stands for), as inserted. */
export type DeliveryRow = Required<
  Pick<Insertable<PushDeliveriesTable>, 'subscription_id' | 'conversation_id' | 'id' | 'message_id' | 'seq' | 'mention' | 'urgent' | 'preview' | 'queued_at' | 'next_attempt_at'>
>;

/**
 * The rows to upsert for `kept` expansions, given each recipient's subscription ids: per
 * subscription and conversation, the newest message's, its flags ORed over the messages it
 * stands for. A round holds many messages per conversation under load, so rows are folded
 * first and given their payload id once.
 */
export function deliveryRows(kept: readonly PushExpansion[], subscriptionsOf: ReadonlyMap<string, readonly string[]>, now: number): DeliveryRow[] {
  const rows = new Map<string, Omit<DeliveryRow, 'id'>>();
  for (const e of kept) {
    for (const r of e.recipients) {
      for (const subscriptionId of subscriptionsOf.get(r.user_id) ?? []) {
        const key = `${subscriptionId} ${e.conversation_id}`;
        const row = rows.get(key);
        if (!row) {
          rows.set(key, {
            subscription_id: subscriptionId,
            conversation_id: e.conversation_id,
            message_id: e.message_id,
            seq: e.seq,
            mention: Number(r.mention),
            urgent: Number(r.urgent),
            preview: Number(r.preview),
            queued_at: now,
            next_attempt_at: now,
          });
          continue;
        }
        row.mention |= Number(r.mention);
        row.urgent |= Number(r.urgent);
        if (e.seq > row.seq) Object.assign(row, { message_id: e.message_id, seq: e.seq, preview: Number(r.preview) });
      }
    }
  }
  return [...rows.values()].map((row) => ({ ...row, id: randomUUID() }));
}

/** Groups `[key, value]` rows into a map of lists. */
export function groupBy(rows: Iterable<readonly [string, string]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of rows) {
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/** A claimed outbox row's message as read back (absent once deleted for good). */
export interface OutboxMessageRow {
  message_id: string;
  conversation_id: string;
  sender_id: string;
  seq: number;
  mentions: string;
  mentions_all: number;
  deleted_at: unknown;
}

/** The claimed rows, oldest first, with their messages and their conversations' subscribed members and sizes. */
export function outboxMessages(
  claimed: ReadonlyArray<{ id: number | string; message_id: string }>,
  messages: readonly OutboxMessageRow[],
  subscribed: ReadonlyMap<string, readonly string[]>,
  sizes: ReadonlyMap<string, number>,
): OutboxMessage[] {
  const byId = new Map(messages.map((m) => [m.message_id, m]));
  return claimed
    .map((c) => ({ outbox_id: String(c.id), message_id: c.message_id, message: byId.get(c.message_id) }))
    .sort((a, b) => Number(a.outbox_id) - Number(b.outbox_id))
    .map(({ outbox_id, message_id, message: m }) => ({
      outbox_id,
      message_id,
      conversation_id: m?.conversation_id ?? '',
      sender_id: m?.sender_id ?? '',
      seq: m?.seq ?? 0,
      mentions: m && m.mentions !== '[]' ? (JSON.parse(m.mentions) as string[]) : [],
      mentions_all: m?.mentions_all === 1,
      subscribed_member_ids: m ? [...(subscribed.get(m.conversation_id) ?? [])] : [],
      member_count: m ? (sizes.get(m.conversation_id) ?? 0) : 0,
      gone: !m || m.deleted_at !== null,
    }));
}

/** A claimed delivery as read back with its subscription, message, conversation and sender. */
export interface DueDeliveryRow {
  id: string;
  subscription_id: string;
  conversation_id: string;
  message_id: string;
  mention: number;
  urgent: number;
  preview: number;
  attempts: number;
  queued_at: number | string;
  user_id: string;
  endpoint: string;
  origin: string;
  p256dh: string;
  auth: string;
  expires_at: Date | string | null;
  seq: number | null;
  content: string | null;
  sender_id: string | null;
  created_at: Date | string | null;
  deleted_at: unknown;
  thread_root_id: string | null;
  title: string | null;
  username: string | null;
}

export function dueDelivery(r: DueDeliveryRow, leaseUntil: number): DueDelivery {
  return {
    id: r.id,
    subscription_id: r.subscription_id,
    conversation_id: r.conversation_id,
    message_id: r.message_id,
    user_id: r.user_id,
    endpoint: r.endpoint,
    origin: r.origin,
    p256dh: r.p256dh,
    auth: r.auth,
    expires_at: toIsoOrNull(r.expires_at),
    mention: r.mention === 1,
    urgent: r.urgent === 1,
    preview: r.preview === 1,
    attempts: r.attempts,
    queued_at: Number(r.queued_at),
    lease_until: leaseUntil,
    message:
      r.seq === null || r.deleted_at !== null || r.content === null || r.sender_id === null || r.created_at === null
        ? null
        : {
            seq: r.seq,
            content: r.content,
            sender_id: r.sender_id,
            sender_username: r.username ?? '',
            created_at: toIso(r.created_at),
            thread_root_id: r.thread_root_id,
            conversation_title: r.title ?? '',
          },
  };
}

/** How many due rows are looked at per row wanted: enough to find other services behind a busy one. */
export const CANDIDATES_PER_SLOT = 4;

/** Of due candidates (oldest first), those to take: at most `limit`, and per service what its capacity allows. */
export function withinCapacity<T extends { origin: string }>(candidates: readonly T[], limit: number, capacityOf: (origin: string) => number): T[] {
  const taken = new Map<string, number>();
  return candidates
    .filter((c) => {
      const used = taken.get(c.origin) ?? 0;
      if (used >= capacityOf(c.origin)) return false;
      taken.set(c.origin, used + 1);
      return true;
    })
    .slice(0, limit);
}
