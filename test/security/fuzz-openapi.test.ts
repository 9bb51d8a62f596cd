/**
 * OpenAPI-driven fuzzing: fetches /openapi.json and, for every path and method, generates requests
 * from the document's own schemas: values that conform, boundary values (min−1, min, max, max+1,
 * lengths at and past the limits) and values of the wrong type, in path parameters, query strings
 * and bodies. No answer is a 5xx, every status is one the document lists, and a control client
 * still receives every message.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../helpers/api-client.js';
import { fuzzRuns, fuzzSeed, startFuzzHarness, type FuzzHarness } from '../helpers/fuzz-harness.js';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
  anyOf?: Schema[];
  enum?: unknown[];
}

interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses?: Record<string, unknown>;
  security?: unknown[];
}

const wrongType = fc.oneof(fc.constantFrom(null, true, 0, -1, 1.5, '', '1', [], {}, 'x'.repeat(70)), fc.jsonValue({ maxDepth: 2 }));

/** Conforming values, boundary values and wrong types for one JSON Schema. `known` supplies real ids. */
function arbitraryFor(schema: Schema, known: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => arbitraryFor(s, known)));
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), wrongType);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? 64;
      const isUuid = schema.pattern?.includes('[0-9a-fA-F]{8}') ?? false;
      const boundary = fc.constantFrom(...[min - 1, min, max, max + 1].filter((n) => n >= 0)).map((n) => 'a'.repeat(n));
      const conforming = isUuid ? fc.oneof(known, fc.uuid(), known.map((k) => k.toUpperCase())) : fc.string({ minLength: min, maxLength: Math.min(max, 80) });
      return fc.oneof({ weight: 5, arbitrary: conforming }, { weight: 2, arbitrary: boundary }, { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', 'é'.repeat(max + 1), ' ') }, { weight: 1, arbitrary: wrongType });
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -(2 ** 31);
      const max = schema.maximum ?? 2 ** 31;
      const boundary = fc.constantFrom(min - 1, min, max, max + 1, 0, 2 ** 53, -(2 ** 53), 1e300);
      return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }) }, { weight: 2, arbitrary: boundary }, { weight: 1, arbitrary: fc.double() }, { weight: 1, arbitrary: wrongType });
    }
    case 'boolean':
      return fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: wrongType });
    case 'array': {
      const item = arbitraryFor(schema.items ?? {}, known);
      const max = schema.maxItems ?? 5;
      return fc.oneof({ weight: 4, arbitrary: fc.array(item, { maxLength: Math.min(max, 5) }) }, { weight: 1, arbitrary: fc.constant(max + 1).chain((n) => fc.array(item, { minLength: n, maxLength: n })) }, { weight: 1, arbitrary: wrongType });
    }
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      const record = fc.record(Object.fromEntries(props.map(([k, s]) => [k, arbitraryFor(s, known)])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
      // Usually with every required field present, sometimes not; sometimes with extra fields.
      const complete = record.map((r) => {
        const out = { ...r };
        for (const key of schema.required ?? []) if (!(key in out)) out[key] = undefined;
        return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
      });
      return fc.oneof({ weight: 5, arbitrary: record }, { weight: 1, arbitrary: complete.map((r) => ({ ...r, unexpected: 1 })) }, { weight: 1, arbitrary: wrongType });
    }
    default:
      return wrongType;
  }
}

/** A value as it goes into a query string or path. */
const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

/** Percent-encodes; a lone surrogate becomes its raw (invalid UTF-8) bytes, which is a case worth sending. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[\ud800-\udfff]/g, '\u0000').split('\u0000').map((part) => encodeURIComponent(part)).join('%ED%A0%80');
  }
}

describe('OpenAPI-driven fuzzing', () => {
  let h: FuzzHarness;
  let operations: { method: string; path: string; op: Operation }[] = [];
  const seed = fuzzSeed();
  const perRoute = new Map<string, Map<number, number>>();
  const failures: string[] = [];
  let cases = 0;

  beforeAll(async () => {
    h = await startFuzzHarness();
    const doc = (await (await fetch(`${h.server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
  });
  afterAll(() => h.close());

  it('documents at least the contract routes', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it('answers every generated request for every path and method below 500, with a documented status', async () => {
    const known = fc.constantFrom(h.conversationId, h.messageId, h.alice.user.id, h.bob.user.id);
    const runs = fuzzRuns(100);
    for (const { method, path, op } of operations) {
      // Logging out (everywhere) would end the run's own sessions: those routes get a throwaway user per case.
      const revokes = path.startsWith('/sessions') && method === 'DELETE';
      const params = op.parameters ?? [];
      const pathParams = fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, arbitraryFor(p.schema, known)])));
      const queryParams = fc.record(Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, arbitraryFor(p.schema, known)])), { requiredKeys: [] });
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const body = bodySchema ? arbitraryFor(bodySchema, known) : fc.constant(undefined);
      const documented = Object.keys(op.responses ?? { '200': {} });
      const statuses = new Map<number, number>();
      perRoute.set(`${method} ${path}`, statuses);
      await fc.assert(
        fc.asyncProperty(pathParams, queryParams, body, fc.integer({ min: 0, max: 9 }), async (pp, qp, b, authRoll) => {
          const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encode(asText(pp[name])));
          const query = Object.entries(qp).map(([k, v]) => `${k}=${encode(asText(v))}`).join('&');
          let token: string | null = authRoll === 0 ? null : h.alice.token;
          if (revokes && token) token = (await registerUser(h.server.url, 'throwaway')).token;
          const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
          if (b !== undefined) headers['content-type'] = 'application/json';
          const response = await fetch(`${h.server.url}${url}${query ? `?${query}` : ''}`, { method, headers, ...(b !== undefined ? { body: JSON.stringify(b) } : {}) });
          const text = await response.text();
          cases++;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (cases % 250 === 0) await h.control();
          const listed = documented.includes(String(response.status)) || documented.includes(`${String(response.status)[0]}XX`) || documented.includes('default');
          const problem = response.status >= 500 || !listed ? `${method} ${url}?${query} ${JSON.stringify(b)?.slice(0, 120)} → ${response.status} ${text.slice(0, 160)}` : null;
          if (problem) {
            failures.push(problem);
            throw new Error(problem);
          }
        }),
        { numRuns: runs, seed, endOnFailure: true },
      );
    }
    const table = Object.fromEntries([...perRoute].map(([route, s]) => [route, [...s].sort().map(([status, n]) => `${status}×${n}`).join(' ')]));
    console.log(`[fuzz-openapi] seed ${seed}: ${operations.length} operations × ${runs} runs = ${cases} requests, ${failures.length} failures`);
    console.table(table);
    expect(failures).toEqual([]);
  }, 180_000);

  it('is still healthy, and the control client got every control message', async () => {
    await h.control();
    const controls = await h.verifyControl();
    expect((await fetch(`${h.server.url}/healthz`)).status).toBe(200);
    console.log(`[fuzz-openapi] ${h.problems.length} process problems, ${controls} control messages all delivered`);
    expect(h.problems).toEqual([]);
  }, 60_000);
});
