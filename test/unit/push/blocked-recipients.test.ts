import { describe, expect, it } from 'vitest';
import type { OutboxMessage, PushRecipient } from '../../../src/domain/ports/push-repository.js';
import { withoutBlockers } from '../../../src/push/blocked-recipients.js';
import { InMemoryBlockRepository } from '../fakes/in-memory-blocks-and-audit.js';

const message = (sender_id: string): OutboxMessage => ({ sender_id }) as OutboxMessage;
const to = (user_id: string): PushRecipient => ({ user_id, mention: false, urgent: false, preview: true });

describe('withoutBlockers', () => {
  it('drops a recipient who blocks the sender of that message only', async () => {
    const blocks = new InMemoryBlockRepository();
    await blocks.block('carol', 'pest', '2026-01-01T00:00:00.000Z', 10);
    const decided = [[to('carol'), to('dave')], [to('carol'), to('pest')]];
    expect(await withoutBlockers([message('pest'), message('dave')], decided, blocks)).toEqual([[to('dave')], [to('carol'), to('pest')]]);
  });

  it('asks nothing when no message has recipients, and changes nothing when nobody blocks the senders', async () => {
    const asked: string[][] = [];
    const blocks = { blocksOf: async (ids: readonly string[]) => (asked.push([...ids]), []) };
    expect(await withoutBlockers([message('a')], [[]], blocks)).toEqual([[]]);
    expect(asked).toEqual([]);
    const decided = [[to('b')], [to('a')], [to('c')]];
    expect(await withoutBlockers([message('a'), message('b'), message('a')], decided, blocks)).toBe(decided);
    expect(asked).toEqual([['a', 'b']]);
  });
});
