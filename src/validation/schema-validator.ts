/**
 * One validator for HTTP and WebSocket payloads: TypeBox compiled checks, strict types
 * (nothing coerced), ids lowercased once they pass, and refusals that name each field (as an
 * RFC 6901 pointer) without echoing its value, which may be a password.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { PRESENCE_USER_IDS_PATTERN, STORABLE_TEXT_PATTERN, USERNAME_PATTERN, UUID_PATTERN, type FieldError } from '@pneumatic/protocol';
import { uuidNormalizer } from './uuid-normalizer.js';

export interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Field errors the human-readable detail spells out. */
const DETAIL_FIELDS = 3;

/** Pattern failures described in words: the pattern itself helps nobody. */
const PATTERN_DETAILS: Record<string, string> = {
  [UUID_PATTERN]: 'must be a UUID',
  [STORABLE_TEXT_PATTERN]: 'must not contain NUL characters or unpaired UTF-16 surrogates',
  [USERNAME_PATTERN]: 'must contain only A-Z a-z 0-9 _ . -',
  [PRESENCE_USER_IDS_PATTERN]: 'must be 1 to 100 UUIDs separated by commas',
};

/**
 * Input refused by a schema. `part` is where the input was ("body", "querystring", "params",
 * "frame"); the error classifier turns it into `invalid_request` with the field errors.
 */
export class ValidationFailure extends Error {
  readonly errors: FieldError[];

  constructor(
    issues: readonly ValidationIssue[],
    readonly part: string,
  ) {
    const errors = fieldErrors(issues);
    super(describeFieldErrors(errors, part));
    this.name = 'ValidationFailure';
    this.errors = errors;
  }
}

/** RFC 6901 §3: `~` and `/` in a reference token are written `~0` and `~1`. */
function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * One entry per invalid field (a missing one included), deduplicated. The list is bounded:
 * TypeBox stops collecting after its `maxErrors` setting (8 by default, a guard against
 * inputs built to produce endless diagnostics), and `required` names only schema properties.
 */
export function fieldErrors(issues: readonly ValidationIssue[]): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  const add = (pointer: string, detail: string) => {
    const key = `${pointer}\u0000${detail}`;
    if (seen.has(key)) return;
    seen.add(key);
    errors.push({ pointer, detail });
  };
  for (const issue of issues) {
    const required = issue.keyword === 'required' ? (issue.params?.requiredProperties as string[] | undefined) : undefined;
    if (required && required.length > 0) {
      for (const name of required) add(`${issue.instancePath}/${escapeToken(name)}`, 'is required');
      continue;
    }
    const pattern = issue.keyword === 'pattern' ? issue.params?.pattern : undefined;
    const worded = typeof pattern === 'string' ? PATTERN_DETAILS[pattern] : undefined;
    add(issue.instancePath, worded ?? issue.message ?? 'is invalid');
  }
  return errors;
}

/** "/member_ids/2" in part "body" → "body.member_ids[2]". */
function fieldName(pointer: string, part: string): string {
  const path = pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((token) => (/^\d+$/.test(token) ? `[${token}]` : `.${token}`))
    .join('');
  return `${part}${path}`;
}

/** "body.member_ids[2]: must be a UUID; body.title: is required" — the first few, field first. */
export function describeFieldErrors(errors: readonly FieldError[], part: string): string {
  if (errors.length === 0) return `${part}: is invalid`;
  const lines = errors.slice(0, DETAIL_FIELDS).map((error) => `${fieldName(error.pointer, part)}: ${error.detail}`);
  const more = errors.length > DETAIL_FIELDS ? ` (and ${errors.length - DETAIL_FIELDS} more)` : '';
  return `${lines.join('; ')}${more}`;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; failure: ValidationFailure };

/**
 * Compiles `schema` once. A valid value comes back with its ids in canonical lower case (the
 * value is rewritten in place: it is the caller's freshly parsed input); an invalid one as a
 * ValidationFailure.
 */
export function compileValidator<T>(schema: TSchema, part: string): (value: unknown) => ValidationResult<T> {
  const check = Compile(schema);
  const normalize = uuidNormalizer(schema) ?? ((value: unknown) => value);
  return (value) => {
    if (check.Check(value)) return { ok: true, value: normalize(value) as T };
    return { ok: false, failure: new ValidationFailure(check.Errors(value) as ValidationIssue[], part) };
  };
}

const INTEGER = /^-?(0|[1-9]\d{0,15})$/;

/**
 * Query strings and path params arrive as text. Only an exact integer literal becomes a
 * number and only `true`/`false` a boolean, so `limit=1.5` or `limit=1e2` stays a string
 * and is refused by the schema instead of being rounded.
 */
export function convertTextFields(schema: TSchema, value: unknown): unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties;
  if (!properties || value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, property] of Object.entries(properties)) {
    const raw = result[key];
    if (typeof raw !== 'string') continue;
    if (property.type === 'integer' && INTEGER.test(raw)) result[key] = Number(raw);
    else if (property.type === 'boolean' && (raw === 'true' || raw === 'false')) result[key] = raw === 'true';
  }
  return result;
}
