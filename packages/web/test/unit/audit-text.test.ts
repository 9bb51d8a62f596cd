/** The audit log in words (src/lib/audit-text.ts): action names, and each entry's fields before and after. */
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionLabel, auditChanges, auditFieldLabel, auditNamesUser, auditValueText } from '../../src/lib/audit-text.js';

const AT = '2026-12-07T10:00:00.000Z';
const time = (iso: string) => `time ${iso}`;

describe('auditActionLabel', () => {
  it('names every action the server records, each differently', () => {
    const labels = AUDIT_ACTIONS.map(auditActionLabel);
    expect(labels).toEqual(['Role changed', 'Account deactivated', 'Account reactivated', 'Message deleted', 'Member removed', 'Conversation role changed', 'Report resolved', 'Report dismissed', 'Message removal started', 'Message removal finished', 'Retention changed']);
    expect(new Set(labels).size).toBe(AUDIT_ACTIONS.length);
  });

  it('shows an action newer than the app as the server names it', () => {
    expect(auditActionLabel('conversation.archived')).toBe('conversation.archived');
  });
});

describe('auditChanges', () => {
  it('pairs each field of before and after', () => {
    expect(auditChanges({ before: { role: 'member' }, after: { role: 'admin' } })).toEqual([{ field: 'role', before: 'member', after: 'admin' }]);
  });

  it('keeps a side that is null (a deleted message has no after) as absent values', () => {
    expect(auditChanges({ before: { sender_id: 'u1', seq: 17 }, after: null })).toEqual([
      { field: 'sender_id', before: 'u1', after: undefined },
      { field: 'seq', before: 17, after: undefined },
    ]);
  });

  it('has none when both sides are null (a removed member)', () => {
    expect(auditChanges({ before: null, after: null })).toEqual([]);
  });
});

describe('auditFieldLabel, auditNamesUser and auditValueText', () => {
  it('reads field names without their suffix', () => {
    expect(auditFieldLabel('deactivated_at')).toBe('deactivated');
    expect(auditFieldLabel('sender_id')).toBe('sender');
    expect(auditFieldLabel('role')).toBe('role');
  });

  it('knows which fields name a user', () => {
    expect(auditNamesUser('sender_id')).toBe(true);
    expect(auditNamesUser('conversation_id')).toBe(false);
  });

  it('says "none" for null or absent, formats times, and writes anything else as text', () => {
    expect(auditValueText('deactivated_at', null, time)).toBe('none');
    expect(auditValueText('seq', undefined, time)).toBe('none');
    expect(auditValueText('deactivated_at', AT, time)).toBe(`time ${AT}`);
    expect(auditValueText('seq', 17, time)).toBe('17');
    expect(auditValueText('role', 'admin', time)).toBe('admin');
    expect(auditValueText('labels', { a: 1 }, time)).toBe('{"a":1}');
  });
});
