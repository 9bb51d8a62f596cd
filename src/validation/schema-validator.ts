/**
 * One validator for HTTP and WebSocket payloads: TypeBox compiled checks, strict types
 * (nothing coerced), and error details that name the field without echoing its value.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { STORABLE_TEXT_PATTERN } from '@pneumatic/protocol';

export interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; detail: string };

/** "body.member_ids[2]: must match pattern ..." — first few issues, field first. */
export function describeIssues(issues: readonly ValidationIssue[], part: string): string {
  const lines = issues.slice(0, 3).map((issue) => {
    const path = issue.instancePath
      .split('/')
      .slice(1)
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`))
      .join('');
    const required = issue.keyword === 'required' ? (issue.params?.requiredProperties as string[] | undefined) : undefined;
    if (required && required.length > 0) return `${part}${path}.${required.join(`, ${part}${path}.`)}: required`;
    if (issue.keyword === 'pattern' && issue.params?.pattern === STORABLE_TEXT_PATTERN) {
      return `${part}${path}: must not contain NUL characters or unpaired UTF-16 surrogates`;
    }
    return `${part}${path}: ${issue.message ?? 'is invalid'}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${lines.join('; ')}${more}`;
}

export function compileValidator<T>(schema: TSchema, part: string): (value: unknown) => ValidationResult<T> {
  const check = Compile(schema);
  return (value) => {
    if (check.Check(value)) return { ok: true, value: value as T };
    return { ok: false, detail: describeIssues(check.Errors(value) as ValidationIssue[], part) };
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
