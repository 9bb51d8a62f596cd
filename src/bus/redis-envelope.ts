/**
 * What travels on a route channel: a batch (every envelope one process published on that
 * channel in one turn of its event loop) led by the sender's origin, so a process drops its own
 * batches unread. Each envelope is a small header (what it is, its place in its conversation's
 * change feed, who it is for), then the payload shared by every recipient, which receivers hand
 * to sockets unparsed. Payloads are JSON text or newline-separated keys: JSON escapes every
 * control character, so neither separator below can occur inside one.
 */
import type { EventOrder } from './event-bus.js';

const FIELD = '\u0001';
const RECORD = '\u0002';
const HEADER_FIELDS = 4;

export interface Envelope {
  /** A frame for sockets, an order to close sessions, or a cache invalidation (no recipients). */
  kind: 'frame' | 'close' | 'invalidate';
  order: EventOrder | null;
  /** The user ids whose sockets get the payload (user ids never contain a separator). */
  recipients: readonly string[];
  payload: string;
}

const KIND_CODES = { frame: 'f', close: 'c', invalidate: 'i' } as const;
const KINDS: Record<string, Envelope['kind']> = { f: 'frame', c: 'close', i: 'invalidate' };

export function encodeEnvelope(envelope: Envelope): string {
  const { kind, order, recipients, payload } = envelope;
  const position = order ? `${order.eventSeq}${order.restart ? 'r' : ''}${order.end ? 'e' : ''}` : '';
  return [KIND_CODES[kind], order?.conversationId ?? '', position, recipients.join(','), payload].join(FIELD);
}

/** One message carrying encoded envelopes, in the order given. */
export function encodeBatch(origin: string, encodedEnvelopes: readonly string[]): string {
  return origin + RECORD + encodedEnvelopes.join(RECORD);
}

/** Whether `origin` sent this batch, read without decoding the rest. */
export function isFrom(raw: string, origin: string): boolean {
  return raw.startsWith(origin) && raw.charAt(origin.length) === RECORD;
}

/** The envelopes of a batch, in order; null when it is not a batch at all. Malformed envelopes are skipped. */
export function decodeBatch(raw: string): { origin: string; envelopes: Envelope[] } | null {
  const records = raw.split(RECORD);
  if (records.length < 2) return null;
  const envelopes: Envelope[] = [];
  for (let i = 1; i < records.length; i++) {
    const envelope = decodeEnvelope(records[i]!);
    if (envelope) envelopes.push(envelope);
  }
  return { origin: records[0]!, envelopes };
}

export function decodeEnvelope(raw: string): Envelope | null {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < HEADER_FIELDS; i++) {
    const end = raw.indexOf(FIELD, start);
    if (end < 0) return null;
    fields.push(raw.slice(start, end));
    start = end + 1;
  }
  const [kindCode, conversationId, position, recipients] = fields as [string, string, string, string];
  const kind = KINDS[kindCode];
  if (!kind) return null;
  return {
    kind,
    order: conversationId ? decodeOrder(conversationId, position) : null,
    recipients: recipients === '' ? [] : recipients.split(','),
    payload: raw.slice(start),
  };
}

/** `12`; `12r` for a recipient whose stream restarts there, `12e` for one whose stream ends there. */
function decodeOrder(conversationId: string, field: string): EventOrder {
  const order: EventOrder = { conversationId, eventSeq: Number.parseInt(field, 10) };
  if (field.endsWith('r')) order.restart = true;
  if (field.endsWith('e')) order.end = true;
  return order;
}
