/** The directory's paging cursor (docs/API.md, "Finding people"). */
import { describe, expect, it } from 'vitest';
import { decodeDirectoryCursor, encodeDirectoryCursor } from '../../../src/domain/profiles/directory-cursor.js';
import { codePointCompare } from '../../../src/store/profiles/directory-search.js';

const invalidCursor = expect.objectContaining({ code: 'invalid_cursor', status: 400 });

describe('directory cursor', () => {
  it('gives back the last place of the page (term, username_key) for the same query', () => {
    const cases: [prefix: string, term: string, key: string][] = [['an', 'anna', 'anna'], ['jose angel', 'jose angel garcia', 'j.a-99'], ['山', '山田', 'yamada'], ['ab', 'ab', '']];
    for (const [prefix, term, key] of cases) expect(decodeDirectoryCursor(encodeDirectoryCursor(prefix, { term, username_key: key }), prefix)).toEqual({ term, username_key: key });
  });

  it('is refused when its term does not start with the query', () => {
    const forged = Buffer.from(JSON.stringify(['an', 'zz', 'anna'])).toString('base64url');
    expect(() => decodeDirectoryCursor(forged, 'an')).toThrow(invalidCursor);
  });

  it('is URL-safe text that shows nothing a client should rely on', () => {
    const cursor = encodeDirectoryCursor('an', { term: 'anna', username_key: 'anna' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('anna');
  });

  it('is refused for another query, even one that extends the prefix', () => {
    const cursor = encodeDirectoryCursor('an', { term: 'anna', username_key: 'anna' });
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
      json(['an', 'anna']),
      json(['an', 'anna', 'anna', 'extra']),
      json(['an', 'anna', 7]),
      json(['an', null, 'anna']),
      json('an'),
      json(null),
    ];
    for (const cursor of garbage) expect(() => decodeDirectoryCursor(cursor, 'an'), cursor).toThrow(invalidCursor);
  });

  it('tells the client what to do without echoing the cursor', () => {
    expect(() => decodeDirectoryCursor('bogus', 'an')).toThrow(/start again without it/);
  });
});

describe('code-point order (store/profiles/directory-search.ts), as SQLite and PostgreSQL "C" compare', () => {
  it('orders like UTF-8 bytes, also where UTF-16 does not (a character above U+FFFF against one from U+E000)', () => {
    const words = ['b', 'a', 'ab', '\uFB01', '😀', 'é', '\uE000', 'a\u{10000}', 'a\uFFFD', ''];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(codePointCompare)).toEqual(byBytes);
    expect(codePointCompare('😀', '\uFB01')).toBeGreaterThan(0);
    expect('😀' < '\uFB01').toBe(true);
  });
});
