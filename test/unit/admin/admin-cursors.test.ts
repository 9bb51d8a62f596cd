/** The admin lists' cursors: what a page gives back decodes to the same position; anything else is 400 invalid_cursor. */
import { describe, expect, it } from 'vitest';
import { decodeAuditCursor, decodeUserCursor, encodeAuditCursor, encodeUserCursor } from '../../../src/domain/admin/admin-cursors.js';
import { AppError } from '../../../src/domain/errors.js';

const invalidCursor = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_cursor');
    return;
  }
  throw new Error('expected invalid_cursor');
};

describe('admin cursors', () => {
  it('round-trips a username (case-folded) and an audit position', () => {
    expect(decodeUserCursor(encodeUserCursor('Ana.B'))).toBe('ana.b');
    const at = '2026-12-07T10:00:00.000Z';
    expect(decodeAuditCursor(encodeAuditCursor({ at, id: 'x' }))).toEqual({ at, id: 'x' });
  });

  it('refuses what no page gave', () => {
    for (const bad of ['', 'not base64 json', Buffer.from('null').toString('base64url'), Buffer.from('{"u":5}').toString('base64url'), encodeAuditCursor({ at: 'x', id: 'y' })]) {
      invalidCursor(() => decodeUserCursor(bad));
    }
    for (const bad of ['', encodeUserCursor('ana'), Buffer.from('{"at":"yesterday","id":"x"}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
      invalidCursor(() => decodeAuditCursor(bad));
    }
  });
});
