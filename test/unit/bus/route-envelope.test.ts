import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, originOf, type Envelope } from '../../../src/bus/redis-envelope.js';
import { ROUTE_CHANNEL_COUNT, RouteChannels } from '../../../src/bus/route-channels.js';

describe('route envelope', () => {
  const origin = randomUUID();
  const cases: Envelope[] = [
    { origin, kind: 'frame', order: { conversationId: randomUUID(), eventSeq: 12 }, recipients: [randomUUID(), randomUUID()], payload: '{"type":"message","content":"a\\u0001b, c"}' },
    { origin, kind: 'frame', order: { conversationId: randomUUID(), eventSeq: 1, restart: true }, recipients: [randomUUID()], payload: '{}' },
    { origin, kind: 'frame', order: { conversationId: randomUUID(), eventSeq: 7, end: true }, recipients: [randomUUID()], payload: '' },
    { origin, kind: 'frame', order: null, recipients: [randomUUID()], payload: '{"type":"typing"}' },
    { origin, kind: 'close', order: null, recipients: [randomUUID()], payload: '{"sessionIds":[],"code":4401,"reason":"logged out"}' },
    { origin, kind: 'invalidate', order: null, recipients: [], payload: 'members:x\nsession:y' },
  ];

  it('decodes what it encodes, the payload untouched even when it holds the separator', () => {
    for (const envelope of cases) {
      const raw = encodeEnvelope(envelope);
      expect(originOf(raw)).toBe(origin);
      expect(decodeEnvelope(raw)).toEqual(envelope);
    }
  });

  it('refuses a header it does not know rather than misreading it', () => {
    expect(decodeEnvelope('no separators at all')).toBeNull();
    expect(decodeEnvelope(['o', 'x', '', '', '', 'payload'].join('\u0001'))).toBeNull();
    expect(decodeEnvelope(['o', 'f', 'c', '3'].join('\u0001'))).toBeNull();
  });
});

describe('route channels', () => {
  it('gives a key the same channel every time, and spreads keys over all of them', () => {
    const routes = new RouteChannels('p:');
    expect(routes.all).toHaveLength(ROUTE_CHANNEL_COUNT);
    const id = randomUUID();
    expect(routes.for(id)).toBe(new RouteChannels('p:').for(id));
    const counts = new Map<string, number>();
    for (let i = 0; i < 1600; i++) {
      const channel = routes.for(randomUUID());
      counts.set(channel, (counts.get(channel) ?? 0) + 1);
    }
    expect(counts.size).toBe(ROUTE_CHANNEL_COUNT);
    // Roughly even (100 expected each): no channel gets more than twice its share.
    expect(Math.max(...counts.values())).toBeLessThan(200);
  });
});
