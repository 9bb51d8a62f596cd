/** The directory's paging cursor (docs/API.md, "Finding people"). */
import { describe, expect, it } from 'vitest';
import { decodeDirectoryCursor, encodeDirectoryCursor } from '../../../src/domain/profiles/directory-cursor.js';

const invalidCursor = expect.objectContaining({ code: 'invalid_cursor', status: 400 });

describe('directory cursor', () => {
  it('gives back the last username_key of the page for the same query', () => {
    const cases: [prefix: string, key: string][] = [['an', 'anna'], ['jose angel', 'j.a-99'], ['山', '山田'], ['ab', '']];
    for (const [prefix, key] of cases) expect(decodeDirectoryCursor(encodeDirectoryCursor(prefix, key), prefix)).toBe(key);
  });

  it('is URL-safe text that shows nothing a client should rely on', () => {
    const cursor = encodeDirectoryCursor('an', 'anna');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('anna');
  });

  it('is refused for another query, even one that extends the prefix', () => {
    const cursor = encodeDirectoryCursor('an', 'anna');
    expect(() => decodeDirectoryCursor(cursor, 'ann')).toThrow(invalidCursor);
    expect(() => decodeDirectoryCursor(cursor, 'a')).toThrow(invalidCursor);
    expect(() => decodeDirectoryCursor(cursor, 'AN')).toThrow(invalidCursor);
  });

  it('refuses garbage with invalid_cursor rather than a server error', () => {
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const garbage = [
      '',
      'not a cursor',
      '%%%',
      Buffer.from('{').toString('base64url'),
      json({ prefix: 'an', key: 'anna' }),
      json(['an']),
      json(['an', 'anna', 'extra']),
      json(['an', 7]),
      json(['an', null]),
      json('an'),
      json(null),
    ];
    for (const cursor of garbage) expect(() => decodeDirectoryCursor(cursor, 'an'), cursor).toThrow(invalidCursor);
  });

  it('tells the client what to do without echoing the cursor', () => {
    expect(() => decodeDirectoryCursor('bogus', 'an')).toThrow(/start again without it/);
  });
});
