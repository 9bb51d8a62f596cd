/**
 * Structured validation errors: every schema refusal carries `errors: [{pointer, detail}]` (an
 * RFC 9457 extension member; pointers per RFC 6901) over HTTP, and the same `errors` on the
 * socket's error frame. `detail` stays a sentence for humans; no entry echoes the sent value.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, type ApiResponse } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { serverWithUsers } from '../helpers/suite.js';
import { TestSocket } from '../helpers/ws-client.js';

interface FieldError {
  pointer: string;
  detail: string;
}

/** The refusal's field errors, sorted by pointer, after checking the problem around them. */
function fieldErrors(response: ApiResponse): FieldError[] {
  expectProblem(response, 400, 'invalid_request');
  const errors = response.body.errors as FieldError[];
  expect(Array.isArray(errors)).toBe(true);
  for (const error of errors) expect(Object.keys(error).sort()).toEqual(['detail', 'pointer']);
  return [...errors].sort((a, b) => a.pointer.localeCompare(b.pointer));
}

const pointers = (errors: FieldError[]) => errors.map((e) => e.pointer);

for (const dialect of enabledDialects()) {
  describe(`field errors [${dialect}]`, () => {
    const t = serverWithUsers({ dialect }, 'alice', 'bob');
    let conversationId: string;
    beforeAll(async () => {
      conversationId = (await createConversation(t.alice, [t.bob])).id;
    });

    describe('over HTTP', () => {
      it('names each invalid body field, array items by index', async () => {
        const errors = fieldErrors(await t.alice.api.post('/conversations', { title: 5, member_ids: ['x', 1, t.bob.user.id] }));
        expect(errors).toEqual([
          { pointer: '/member_ids/0', detail: 'must be a UUID' },
          { pointer: '/member_ids/1', detail: expect.stringMatching(/string/) },
          { pointer: '/title', detail: expect.stringMatching(/string/) },
        ]);
      });

      it('names each missing field, one entry per field', async () => {
        const errors = fieldErrors(await t.alice.api.as(null).post('/sessions', {}));
        expect(errors).toEqual([
          { pointer: '/password', detail: 'is required' },
          { pointer: '/username', detail: 'is required' },
        ]);
      });

      it('points at the whole body ("") when it is not an object', async () => {
        expect(fieldErrors(await t.alice.api.post('/messages', [1, 2]))).toEqual([{ pointer: '', detail: expect.any(String) }]);
      });

      it('never echoes the value, a password least of all', async () => {
        const password = 'hunter2';
        const response = await t.alice.api.as(null).post('/users', { username: 'no way!', password });
        expect(pointers(fieldErrors(response))).toEqual(['/password', '/username']);
        expect(JSON.stringify(response.body)).not.toContain(password);
        expect(JSON.stringify(response.body)).not.toContain('no way!');
      });

      it('words pattern failures instead of quoting the pattern', async () => {
        const errors = fieldErrors(await t.alice.api.post('/messages', { message_id: randomUUID(), conversation_id: conversationId, content: 'a\u0000b' }));
        expect(errors).toEqual([{ pointer: '/content', detail: 'must not contain NUL characters or unpaired UTF-16 surrogates' }]);
      });

      it('names query string parameters', async () => {
        const errors = fieldErrors(await t.alice.api.get(`/conversations/${conversationId}/messages?limit=0&before=-1`));
        expect(pointers(errors)).toEqual(['/before', '/limit']);
      });

      it('names path parameters', async () => {
        const errors = fieldErrors(await t.alice.api.delete('/conversations/not-a-uuid/members/also-not'));
        expect(errors).toEqual([
          { pointer: '/id', detail: 'must be a UUID' },
          { pointer: '/user_id', detail: 'must be a UUID' },
        ]);
      });

      it('keeps a detail for humans that names the fields', async () => {
        const response = await t.alice.api.post('/conversations', { title: '', member_ids: null });
        expect(pointers(fieldErrors(response))).toEqual(['/member_ids', '/title']);
        expect(response.body.detail).toMatch(/body\.title/);
        expect(response.body.detail).toMatch(/body\.member_ids/);
      });

      it('lists no field errors for a refusal that is about no single field', async () => {
        const response = await t.alice.api.get(`/conversations/${conversationId}/messages?before=5&after=1`);
        expectProblem(response, 400, 'invalid_request');
        expect(response.body.errors).toBeUndefined();
      });

      it('stops after the first few of many invalid fields', async () => {
        const response = await t.alice.api.post('/conversations', { title: 't', member_ids: Array.from({ length: 200 }, (_, i) => `bad-${i}`) });
        const errors = fieldErrors(response);
        expect(errors.length).toBeGreaterThanOrEqual(1);
        expect(errors.length).toBeLessThanOrEqual(10);
        for (const error of errors) expect(error).toEqual({ pointer: expect.stringMatching(/^\/member_ids\/\d+$/), detail: 'must be a UUID' });
        expect(response.body.detail).toMatch(/\(and \d+ more\)$/);
      });
    });

    describe('over the WebSocket', () => {
      let socket: TestSocket;
      beforeAll(async () => {
        socket = await TestSocket.open(t.server.wsUrl, { token: t.alice.token });
      });
      afterAll(() => socket.close());

      const refusal = async (frame: unknown) => {
        const seen = socket.frames.length;
        socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
        const reply = await socket.waitFor((f) => socket.frames.indexOf(f) >= seen);
        expect(reply).toMatchObject({ type: 'error', code: 'invalid_request' });
        return reply;
      };

      it('names the invalid and missing fields of a frame, as HTTP does', async () => {
        const reply = await refusal({ type: 'message', message_id: 'abc', conversation_id: 5 });
        expect(reply.ref).toBe('abc');
        expect([...reply.errors].sort((a: FieldError, b: FieldError) => a.pointer.localeCompare(b.pointer))).toEqual([
          { pointer: '/content', detail: 'is required' },
          { pointer: '/conversation_id', detail: expect.stringMatching(/string/) },
          { pointer: '/message_id', detail: 'must be a UUID' },
        ]);
      });

      it('names a bad seq', async () => {
        const reply = await refusal({ type: 'read', conversation_id: conversationId, seq: -1 });
        expect(reply.errors).toEqual([{ pointer: '/seq', detail: expect.any(String) }]);
      });

      it('points at the frame ("") when it is not an object, and at /type when that is missing', async () => {
        expect((await refusal('[]')).errors).toEqual([{ pointer: '', detail: expect.any(String) }]);
        expect((await refusal({ conversation_id: conversationId })).errors).toEqual([{ pointer: '/type', detail: expect.any(String) }]);
      });

      it('never echoes the value', async () => {
        const secret = `secret-${randomUUID()}`;
        const reply = await refusal({ type: 'join', conversation_id: secret });
        expect(reply.errors).toEqual([{ pointer: '/conversation_id', detail: 'must be a UUID' }]);
        expect(JSON.stringify(reply)).not.toContain(secret);
      });

      it('adds no errors to refusals that are not about a field', async () => {
        const seen = socket.frames.length;
        socket.send({ type: 'nope' });
        const reply = await socket.waitFor((f) => socket.frames.indexOf(f) >= seen);
        expect(reply).toEqual({ type: 'error', code: 'unknown_type', detail: expect.any(String), ref: null });
      });
    });
  });
}
