/**
 * MessageRepository.historyJson: the page the database writes as JSON text must parse to exactly
 * what `history` returns (the Message objects, field order included), for any storable content,
 * edited and deleted messages, and every kind of cursor; on the in-memory fake and each SQL store.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HistoryQuery } from '../../src/domain/ports/repositories.js';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

/** Text both databases store as sent (no NUL, no lone surrogate: the API refuses those). */
const CONTENTS = [
  'plain',
  'quotes " and \' and backslash \\ and slash / and \\u0041 as text',
  'control characters: \u0001 \u0007 \b \t \n \u000b \f \r \u001b \u001f and DEL \u007f',
  'line and paragraph separators \u2028 \u2029, BOM \ufeff, NBSP \u00a0',
  'unicode: héllo wörld, 漢字, русский, עברית, العربية, e\u0301 (combining)',
  'astral: 😀 👍🏽 👨‍👩‍👧 𝄞 𠜎',
  '</script><script>alert(1)</script> & &amp; <b>',
  '{"messages":[],"has_more":true}',
  'null',
  '   leading and trailing spaces   ',
  'x'.repeat(4000),
];

for (const subject of storeSubjects) {
  describe(`MessageRepository.historyJson [${subject.name}]`, () => {
    const store = storeForSuite(subject);

    const { user, conversation, send } = storeFactories(() => store);

    /** historyJson's page, parsed and written again by JSON.stringify, equals history's page written by JSON.stringify. */
    async function expectSamePage(conversationId: string, query: HistoryQuery): Promise<void> {
      const objects = await store.messages.history(conversationId, query);
      const text = await store.messages.historyJson(conversationId, query);
      expect(text.has_more).toBe(objects.has_more);
      expect([text.has_more_before, text.has_more_after]).toEqual([objects.has_more_before, objects.has_more_after]);
      expect(JSON.stringify(JSON.parse(text.messages_json))).toBe(JSON.stringify(objects.messages));
    }

    it('writes every storable content as JSON that parses back to the stored string', async () => {
      const owner = await user();
      const c = await conversation(owner);
      for (const content of CONTENTS) await send(c, owner, content);
      const page = await store.messages.historyJson(c, { limit: 200 });
      expect((JSON.parse(page.messages_json) as { content: string }[]).map((m) => m.content)).toEqual(CONTENTS);
      await expectSamePage(c, { limit: 200 });
    });

    it('writes edited messages with edited_at and their new version, deleted ones with content "" and deleted true', async () => {
      const [owner, other] = [await user(), await user()];
      const c = await conversation(owner, [other]);
      const kept = (await send(c, owner, 'kept')).message;
      const edited = (await send(c, other, 'before the edit')).message;
      const deleted = (await send(c, owner, 'to be deleted')).message;
      const both = (await send(c, other, 'edited, then deleted')).message;
      const afterEdit = await store.messages.edit(edited, 'after the edit "quoted" ✓', at(10), other);
      await store.messages.markDeleted(deleted, at(11), owner);
      await store.messages.edit(both, 'edited once', at(12), other);
      await store.messages.markDeleted(both, at(13), owner);

      const page = JSON.parse((await store.messages.historyJson(c, { limit: 10 })).messages_json) as unknown[];
      expect(page).toEqual([
        kept,
        afterEdit,
        expect.objectContaining({ message_id: deleted.message_id, content: '', deleted: true, edited_at: null }),
        expect.objectContaining({ message_id: both.message_id, content: '', deleted: true, edited_at: at(12) }),
      ]);
      expect(afterEdit).toMatchObject({ edited_at: at(10), deleted: false });
      await expectSamePage(c, { limit: 10 });
    });

    it('returns the same pages as history for every cursor, limit and has_more', async () => {
      const owner = await user();
      const c = await conversation(owner);
      for (let i = 1; i <= 12; i++) await send(c, owner, `message ${i}`);
      const queries: HistoryQuery[] = [
        { limit: 50 },
        { limit: 12 },
        { limit: 11 },
        { limit: 1 },
        { limit: 4, before: 10 },
        { limit: 4, before: 5 },
        { limit: 4, before: 1 },
        { limit: 4, before: 0 },
        { limit: 3, before: 2_147_483_647 },
        { limit: 3, before: 2_147_483_648 },
        { limit: 4, after: 0 },
        { limit: 4, after: 8 },
        { limit: 4, after: 9 },
        { limit: 4, after: 12 },
        { limit: 4, after: 2_147_483_647 },
        { limit: 4, after: 9_999_999_999_999 },
      ];
      for (const query of queries) await expectSamePage(c, query);
      expect(await store.messages.historyJson(c, { limit: 2, before: 4 })).toEqual({
        messages_json: expect.any(String),
        has_more: true,
      });
      expect((JSON.parse((await store.messages.historyJson(c, { limit: 2, before: 4 })).messages_json) as { seq: number }[]).map((m) => m.seq)).toEqual([2, 3]);
    });

    it('returns the same pages around a seq as history, cut about half on each side', async () => {
      const owner = await user();
      const c = await conversation(owner);
      for (let i = 1; i <= 12; i++) await send(c, owner, `message ${i}`);
      const arounds: [HistoryQuery, number[], boolean, boolean][] = [
        [{ limit: 5, around: 6 }, [4, 5, 6, 7, 8], true, true],
        [{ limit: 4, around: 6 }, [4, 5, 6, 7], true, true],
        [{ limit: 1, around: 6 }, [6], true, true],
        [{ limit: 5, around: 1 }, [1, 2, 3, 4, 5], false, true],
        [{ limit: 5, around: 2 }, [1, 2, 3, 4, 5], false, true],
        [{ limit: 5, around: 12 }, [8, 9, 10, 11, 12], true, false],
        [{ limit: 5, around: 0 }, [1, 2, 3, 4, 5], false, true],
        [{ limit: 5, around: 40 }, [8, 9, 10, 11, 12], true, false],
        [{ limit: 5, around: 2_147_483_648 }, [8, 9, 10, 11, 12], true, false],
        [{ limit: 12, around: 6 }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], false, false],
        [{ limit: 50, around: 6 }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], false, false],
      ];
      for (const [query, seqs, before, after] of arounds) {
        await expectSamePage(c, query);
        const page = await store.messages.historyJson(c, query);
        expect((JSON.parse(page.messages_json) as { seq: number }[]).map((m) => m.seq), JSON.stringify(query)).toEqual(seqs);
        expect(page, JSON.stringify(query)).toMatchObject({ has_more: before || after, has_more_before: before, has_more_after: after });
      }
      expect(await store.messages.historyJson(randomUUID(), { limit: 5, around: 3 })).toEqual({
        messages_json: '[]',
        has_more: false,
        has_more_before: false,
        has_more_after: false,
      });
    });

    it('returns an empty array for an empty or unknown conversation', async () => {
      const owner = await user();
      const c = await conversation(owner);
      for (const id of [c, randomUUID()]) {
        expect(await store.messages.historyJson(id, { limit: 50 })).toEqual({ messages_json: '[]', has_more: false });
        expect(await store.messages.historyJson(id, { limit: 50, after: 0 })).toEqual({ messages_json: '[]', has_more: false });
      }
    });
  });
}
