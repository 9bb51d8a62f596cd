/**
 * The shared validator, without a server: ids are lowercased wherever the schema says Uuid
 * (objects, arrays, optional fields; query strings through the Fastify plugin), other strings
 * are left alone, and refusals carry RFC 6901 pointers.
 */
import Fastify from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { Uuid } from '@pneumatic/protocol';
import { registerValidation } from '../../src/http/plugins/validation.js';
import { compileValidator, ValidationFailure } from '../../src/validation/schema-validator.js';

const ID = '3F1C2A4E-8B9D-4E6F-A1B2-C3D4E5F60718';

describe('compileValidator', () => {
  const schema = Type.Object({
    id: Uuid,
    ids: Type.Array(Uuid),
    nested: Type.Object({ maybe: Type.Optional(Uuid) }),
    name: Type.String(),
  });
  const validate = compileValidator<Record<string, any>>(schema, 'body');

  it('lowercases every Uuid field, and only those', () => {
    const result = validate({ id: ID, ids: [ID, ID.toLowerCase()], nested: { maybe: ID }, name: 'KEEP Case' });
    expect(result).toEqual({
      ok: true,
      value: { id: ID.toLowerCase(), ids: [ID.toLowerCase(), ID.toLowerCase()], nested: { maybe: ID.toLowerCase() }, name: 'KEEP Case' },
    });
    expect(validate({ id: ID, ids: [], nested: {}, name: '' })).toEqual({ ok: true, value: { id: ID.toLowerCase(), ids: [], nested: {}, name: '' } });
  });

  it('refuses with one pointer per problem, escaping ~ and / (RFC 6901 §3)', () => {
    const odd = compileValidator(Type.Object({ 'a/b~c': Type.String(), n: Type.Integer() }), 'body');
    const result = odd({ n: 1.5 });
    expect(result.ok).toBe(false);
    const failure = (result as { failure: ValidationFailure }).failure;
    expect(failure).toBeInstanceOf(ValidationFailure);
    expect([...failure.errors].sort((a, b) => a.pointer.localeCompare(b.pointer))).toEqual([
      { pointer: '/a~1b~0c', detail: 'is required' },
      { pointer: '/n', detail: expect.any(String) },
    ]);
    expect(failure.message).toContain('body.a/b~c: is required');
  });

  it('indexes array items and never quotes the value', () => {
    const result = validate({ id: 'nope-secret', ids: ['x', 2], nested: {}, name: 'n' });
    const failure = (result as { failure: ValidationFailure }).failure;
    expect(failure.errors.map((e) => e.pointer).sort()).toEqual(['/id', '/ids/0', '/ids/1']);
    expect(JSON.stringify(failure.errors) + failure.message).not.toContain('nope-secret');
  });
});

describe('the HTTP validator', () => {
  it('lowercases Uuid values in query strings and path parameters', async () => {
    const app = Fastify();
    registerValidation(app);
    app.get('/things/:id', { schema: { params: Type.Object({ id: Uuid }), querystring: Type.Object({ other: Uuid }) } }, async (request) => ({
      params: request.params,
      query: request.query,
    }));
    try {
      const response = await app.inject({ method: 'GET', url: `/things/${ID}?other=${ID}` });
      expect(response.json()).toEqual({ params: { id: ID.toLowerCase() }, query: { other: ID.toLowerCase() } });
    } finally {
      await app.close();
    }
  });
});
