/**
 * The text published on a user's Redis channel: a small header, then the payload shared by
 * every recipient. Receivers forward the payload to sockets without parsing it.
 */
import type { EventOrder } from './event-bus.js';

const SEP = '\u0001';

export interface Envelope {
  origin: string;
  kind: 'frame' | 'close';
  order: EventOrder | null;
  payload: string;
}

export function encodeEnvelope(envelope: Envelope): string {
  const { origin, kind, order, payload } = envelope;
  return [origin, kind === 'frame' ? 'f' : 'c', order?.conversationId ?? '', order ? `${order.eventSeq}${order.restart ? 'r' : ''}` : '', payload].join(SEP);
}

export function decodeEnvelope(raw: string): Envelope | null {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < 4; i++) {
    const end = raw.indexOf(SEP, start);
    if (end < 0) return null;
    fields.push(raw.slice(start, end));
    start = end + 1;
  }
  const [origin, kind, conversationId, eventSeq] = fields as [string, string, string, string];
  if (kind !== 'f' && kind !== 'c') return null;
  return {
    origin,
    kind: kind === 'f' ? 'frame' : 'close',
    order: conversationId ? decodeOrder(conversationId, eventSeq) : null,
    payload: raw.slice(start),
  };
}

/** `12` or, for a recipient whose stream restarts there, `12r`. */
function decodeOrder(conversationId: string, field: string): EventOrder {
  const restart = field.endsWith('r');
  const eventSeq = Number(restart ? field.slice(0, -1) : field);
  return restart ? { conversationId, eventSeq, restart } : { conversationId, eventSeq };
}
