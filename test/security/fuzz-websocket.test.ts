/**
 * Property-based fuzzing of WebSocket frames (fast-check): JSON of any shape, valid frames with
 * fields swapped for hostile values, text that is not JSON, binary frames and invalid UTF-8.
 * Every frame is answered without closing the connection and never with internal_error; the
 * process sees no unhandled rejection; a control client still receives every message. Frames
 * carrying a `__proto__` or `constructor.prototype` key anywhere are refused with invalid_json,
 * as such HTTP bodies are.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRuns, fuzzSeed, startFuzzHarness, type FuzzHarness } from '../helpers/fuzz-harness.js';
import { TestSocket } from '../helpers/ws-client.js';

const KNOWN_CODES = new Set(['invalid_request', 'invalid_json', 'unknown_type', 'not_member', 'not_found', 'message_id_conflict', 'rate_limited', 'forbidden', 'sender_mismatch']);

const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, '', 0, -1, 1.5, 1e300, 2 ** 31, 2 ** 53, true, [], {}, '\u0000', '\ud800', 'x'.repeat(4001), 'x'.repeat(4000), '__proto__', '00000000-0000-0000-0000-000000000000'),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.uuid(),
  fc.double(),
);
const maybe = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: hostile });

function frames(h: FuzzHarness): fc.Arbitrary<string | Buffer> {
  const c = fc.constant(h.conversationId);
  const type = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('message', 'join', 'typing', 'read', 'ping') }, { weight: 1, arbitrary: hostile });
  const structured = fc.record(
    {
      type,
      message_id: maybe(fc.uuid()),
      conversation_id: maybe(fc.oneof(c, c.map((id) => id.toUpperCase()), fc.uuid())),
      content: maybe(fc.string({ minLength: 1, maxLength: 50 })),
      seq: maybe(fc.nat()),
      sender_id: maybe(fc.constant(h.bob.user.id)),
    },
    { requiredKeys: ['type'] },
  ).map((v) => JSON.stringify(v));
  return fc.oneof(
    { weight: 6, arbitrary: structured },
    { weight: 2, arbitrary: hostile.map((v) => JSON.stringify(v) ?? 'undefined') },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
    { weight: 1, arbitrary: structured.chain((s) => fc.nat(s.length).map((n) => s.slice(0, n))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: structured.map((s) => Buffer.from(s, 'utf8')) },
    { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"type":"ping"}}', '{"constructor":{"prototype":{"type":"ping"}}}', '[' .repeat(5000) + ']'.repeat(5000), '{"type":"message","type":"ping"}', '\uFEFF{"type":"ping"}', 'null', '""') },
  );
}

/** A `__proto__` or `constructor.prototype` member, however spelled, with a payload that would matter if inherited. */
const poison = fc.tuple(
  fc.constantFrom('"__proto__"', '"\\u005f_proto__"', '"__\\u0070roto__"', '"\\u005F\\u005Fproto\\u005F\\u005F"', 'constructor'),
  fc.constantFrom('{}', '{"type":"ping"}', '{"sender_id":"00000000-0000-0000-0000-000000000000","polluted":true}', '[]', 'null'),
).map(([key, value]) => (key === 'constructor' ? `"constructor":{"prototype":${value === 'null' ? '{}' : value}}` : `${key}:${value}`));

/** A frame (valid or not in its fields) with a poisoned member at its top level or nested in an object or array. */
function poisonedFrames(h: FuzzHarness): fc.Arbitrary<string> {
  return fc.tuple(frames(h).filter((f): f is string => typeof f === 'string' && f.startsWith('{"')), poison, fc.constantFrom('top', 'object', 'array')).map(([frame, member, where]) => {
    const nested = where === 'top' ? member : where === 'object' ? `"extra":{${member}}` : `"extra":[1,{"a":{${member}}}]`;
    return `{${nested},${frame.slice(1)}`;
  });
}

describe('WebSocket fuzzing', () => {
  let h: FuzzHarness;
  let fuzzer: TestSocket;
  const seed = fuzzSeed();
  let cases = 0;
  const codes = new Map<string, number>();

  beforeAll(async () => {
    h = await startFuzzHarness();
    fuzzer = await TestSocket.open(h.server.wsUrl, { token: h.alice.token });
  });
  afterAll(() => h.close());

  it(`answers every frame without closing or failing (${fuzzRuns(4000)} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(frames(h), async (frame) => {
        const seen = fuzzer.frames.length;
        fuzzer.ws.send(frame);
        // A ping after each case: once its pong is back, the fuzz frame has been handled (frames are handled in order).
        fuzzer.send({ type: 'ping' });
        await fuzzer.waitFor((f) => f.type === 'pong' && fuzzer.frames.indexOf(f) >= seen, 10_000).catch((error: Error) => {
          throw new Error(`${error.message}; closed ${JSON.stringify(fuzzer.closed)}; frame ${JSON.stringify(String(frame)).slice(0, 200)}`);
        });
        // Mark the consumed pongs so the next case waits for its own.
        for (const f of fuzzer.frames.slice(seen)) {
          if (f.type === 'pong') f.type = 'pong (seen)';
          if (f.type === 'error') {
            codes.set(f.code, (codes.get(f.code) ?? 0) + 1);
            if (!KNOWN_CODES.has(f.code)) throw new Error(`error code ${f.code} for ${JSON.stringify(String(frame)).slice(0, 200)}: ${f.detail}`);
          }
        }
        if (fuzzer.closed) throw new Error(`closed ${JSON.stringify(fuzzer.closed)} by ${JSON.stringify(String(frame)).slice(0, 200)}`);
        cases++;
        if (cases % 250 === 0) await h.control();
        // Keep the frame list short: the property runs thousands of times.
        if (fuzzer.frames.length > 1000) fuzzer.frames.splice(0, fuzzer.frames.length);
      }),
      { numRuns: fuzzRuns(4000), seed, endOnFailure: true },
    );
  }, 180_000);

  it(`refuses every frame with a __proto__ or constructor.prototype key with invalid_json, and acts on none (${fuzzRuns(500)} runs)`, async () => {
    // A ping is answered at once, a send only after its commit: a valid message among the last
    // frames of the suite above may still be acked (and broadcast) after its pong. Sends on one
    // socket are stored one after another, so once a send of our own is acked and heard, every
    // earlier one has been too.
    const barrier = randomUUID();
    fuzzer.send({ type: 'message', message_id: barrier, conversation_id: h.conversationId, content: 'barrier' });
    await fuzzer.waitFor((f) => f.type === 'ack' && f.message_id === barrier, 10_000);
    await fuzzer.waitFor((f) => f.type === 'message' && f.message?.message_id === barrier, 10_000);
    await fc.assert(
      fc.asyncProperty(poisonedFrames(h), async (frame) => {
        const seen = fuzzer.frames.length;
        fuzzer.send(frame);
        fuzzer.send({ type: 'ping' });
        await fuzzer.waitFor((f) => f.type === 'pong' && fuzzer.frames.indexOf(f) >= seen, 10_000);
        const answers = fuzzer.frames.slice(seen);
        for (const f of answers) if (f.type === 'pong') f.type = 'pong (seen)';
        // Exactly the error, then our own ping's pong: no ack, no joined, no pong for the poisoned frame.
        expect({ frame, answers: answers.map((f) => (f.type === 'error' ? `error ${f.code}` : f.type)) }).toEqual({ frame, answers: ['error invalid_json', 'pong (seen)'] });
        cases++;
        if (fuzzer.frames.length > 1000) fuzzer.frames.splice(0, fuzzer.frames.length);
      }),
      { numRuns: fuzzRuns(500), seed, endOnFailure: true },
    );
  }, 120_000);

  it('sends a frame just over 64 KiB and gets 1009, without disturbing the control client', async () => {
    const big = await TestSocket.open(h.server.wsUrl, { token: h.bob.token });
    big.send('x'.repeat(65_537));
    expect((await big.waitForClose()).code).toBe(1009);
  });

  it('is still healthy, and the control client got every control message', async () => {
    await h.control();
    const controls = await h.verifyControl();
    expect((await fetch(`${h.server.url}/healthz`)).status).toBe(200);
    console.log(`[fuzz-websocket] seed ${seed}: ${cases} frames, error codes ${JSON.stringify(Object.fromEntries(codes))}, ${h.problems.length} process problems, ${controls} control messages all delivered`);
    expect(h.problems).toEqual([]);
    expect(fuzzer.closed).toBeNull();
  }, 60_000);
});
