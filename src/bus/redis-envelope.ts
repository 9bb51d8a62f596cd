/**
 * The text published on a route channel: a small header (who sent it, what it is, its place in
 * its conversation's change feed, who it is for), then the payload shared by every recipient.
 * Every process receives it; each hands the payload, unparsed, to the sockets of the recipients
 * it holds.
 */
import type { EventOrder } from './event-bus.js';

const SEP = '\u0001';
const HEADER_FIELDS = 5;

export interface Envelope {
  origin: string;
  /** A frame for sockets, an order to close sessions, or a cache invalidation (no recipients). */
  kind: 'frame' | 'close' | 'invalidate';
  order: EventOrder | null;
  /** The user ids whose sockets get the payload (user ids never contain the separator). */
  recipients: readonly string[];
  payload: string;
}

const KIND_CODES = { frame: 'f', close: 'c', invalidate: 'i' } as const;
const KINDS: Record<string, Envelope['kind']> = { f: 'frame', c: 'close', i: 'invalidate' };

export function encodeEnvelope(envelope: Envelope): string {
  const { origin, kind, order, recipients, payload } = envelope;
  const position = order ? `${order.eventSeq}${order.restart ? 'r' : ''}${order.end ? 'e' : ''}` : '';
  return [origin, KIND_CODES[kind], order?.conversationId ?? '', position, recipients.join(','), payload].join(SEP);
}

/** The origin a raw envelope was sent by, read without decoding the rest. */
export function originOf(raw: string): string {
  const end = raw.indexOf(SEP);
  return end < 0 ? '' : raw.slice(0, end);
}

export function decodeEnvelope(raw: string): Envelope | null {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < HEADER_FIELDS; i++) {
    const end = raw.indexOf(SEP, start);
    if (end < 0) return null;
    fields.push(raw.slice(start, end));
    start = end + 1;
  }
  const [origin, kindCode, conversationId, position, recipients] = fields as [string, string, string, string, string];
  const kind = KINDS[kindCode];
  if (!kind) return null;
  return {
    origin,
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
