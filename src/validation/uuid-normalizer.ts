/**
 * Ids are UUIDs in lower-case canonical form (API.md, Conventions); RFC 9562 §4 has them
 * case-insensitive on input. Validators lowercase every value whose schema is the protocol's
 * Uuid schema (recognized by its pattern), once, so routes, frame handlers and services only
 * ever see canonical ids and compare them with `===`.
 */
import { UUID_PATTERN } from '@pneumatic/protocol';
import type { TSchema } from 'typebox';

/** Rewrites a valid value in place (objects, arrays) or returns its canonical form (a string). */
export type Normalize = (value: unknown) => unknown;

interface SchemaShape {
  type?: unknown;
  pattern?: unknown;
  properties?: Record<string, TSchema>;
  items?: TSchema;
  anyOf?: TSchema[];
}

/**
 * The normalizer for values of `schema`, or null when it holds no Uuid. Objects and arrays are
 * descended into; a union only where one branch alone holds a Uuid (`Uuid | null`, the
 * activity frame's `viewing`): a string is then lowercased, any other value left as it is.
 */
export function uuidNormalizer(schema: TSchema): Normalize | null {
  const shape = schema as SchemaShape;
  if (shape.type === 'string' && shape.pattern === UUID_PATTERN) {
    return (value) => (typeof value === 'string' ? value.toLowerCase() : value);
  }
  if (shape.type === 'object' && shape.properties) {
    const fields = Object.entries(shape.properties).flatMap(([key, property]) => {
      const normalize = uuidNormalizer(property);
      return normalize ? [[key, normalize] as const] : [];
    });
    if (fields.length === 0) return null;
    return (value) => {
      if (value === null || typeof value !== 'object') return value;
      const record = value as Record<string, unknown>;
      for (const [key, normalize] of fields) if (Object.hasOwn(record, key)) record[key] = normalize(record[key]);
      return value;
    };
  }
  if (Array.isArray(shape.anyOf)) {
    const branches = shape.anyOf.map(uuidNormalizer).filter((n): n is Normalize => n !== null);
    return branches.length === 1 ? branches[0]! : null;
  }
  if (shape.type === 'array' && shape.items) {
    const normalize = uuidNormalizer(shape.items);
    if (!normalize) return null;
    return (value) => {
      if (!Array.isArray(value)) return value;
      for (let i = 0; i < value.length; i++) value[i] = normalize(value[i]);
      return value;
    };
  }
  return null;
}
