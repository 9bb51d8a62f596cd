import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBatch, decodeEnvelope, encodeBatch, encodeEnvelope, isFrom, type Envelope } from '../../../src/bus/redis-envelope.js';
import { ROUTE_CHANNEL_COUNT, RouteChannels } from '../../../src/bus/route-channels.js';

describe('route envelope', () => {
  const origin = randomUUID();
  const cases: Envelope[] = [
    { kind: 'frame', order: { conversationId: randomUUID(), eventSeq: 12 }, recipients: [randomUUID(), randomUUID()], payload: '{"type":"message","content":"a\u0001b, c"}' },
    { kind: 'frame', order: { conversationId: randomUUID(), eventSeq: 1, restart: true }, recipients: [randomUUID()], payload: '{}' },
    { kind: 'frame', order: { conversationId: randomUUID(), eventSeq: 7, end: true }, recipients: [randomUUID()], payload: '' },
    { kind: 'frame', order: null, recipients: [randomUUID()], payload: '{"type":"typing"}' },
    { kind: 'close', order: null, recipients: [randomUUID()], payload: '{"sessionIds":[],"code":4401,"reason":"logged out"}' },
    { kind: 'invalidate', order: null, recipients: [], payload: 'members:x\nsession:y' },
  ];

  it('decodes what it encodes, the payload untouched even when it holds the field separator', () => {
    for (const envelope of cases) expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(envelope);
  });

  it('carries a batch of envelopes in order, led by its origin', () => {
    const raw = encodeBatch(origin, cases.map(encodeEnvelope));
    expect(isFrom(raw, origin)).toBe(true);
    expect(isFrom(raw, randomUUID())).toBe(false);
    expect(decodeBatch(raw)).toEqual({ origin, envelopes: cases });
    expect(decodeBatch('no records')).toBeNull();
  });

  it('keeps a JSON payload free of both separators, whatever the text holds', () => {
    const raw = encodeBatch(origin, [encodeEnvelope({ kind: 'frame', order: null, recipients: ['u'], payload: JSON.stringify({ content: 'a\u0001b\u0002c' }) })]);
    expect(JSON.parse(decodeBatch(raw)!.envelopes[0]!.payload)).toEqual({ content: 'a\u0001b\u0002c' });
  });

  it('refuses a header it does not know rather than misreading it', () => {
    expect(decodeEnvelope('no separators at all')).toBeNull();
    expect(decodeEnvelope(['x', '', '', '', 'payload'].join('\u0001'))).toBeNull();
    expect(decodeEnvelope(['f', 'c', '3'].join('\u0001'))).toBeNull();
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
