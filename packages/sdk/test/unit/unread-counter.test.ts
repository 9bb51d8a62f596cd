import { describe, expect, it } from 'vitest';
import { UnreadCounter } from '../../src/state/unread-counter.js';
import { message } from './fixtures.js';

function counter(self: string | null = 'me') {
  return new UnreadCounter(() => self);
}

describe('UnreadCounter', () => {
  it("starts from the server's count and adds live messages from others, once each", () => {
    const unread = counter();
    unread.seed('c', 3, 2, 5);
    expect(unread.count('c')).toBe(3);
    unread.message(message('c', 6));
    unread.message(message('c', 6));
    unread.message(message('c', 7, { sender_id: 'me' }));
    unread.message(message('c', 8, { deleted: true, content: '' }));
    expect(unread.count('c')).toBe(4);
  });

  it('does not count again what the server already counted (seq up to the seeded last_seq)', () => {
    const unread = counter();
    unread.seed('c', 2, 3, 5);
    unread.message(message('c', 4));
    unread.message(message('c', 5));
    expect(unread.count('c')).toBe(2);
  });

  it('moves the read position only forward, and shrinks the count to what is left after it', () => {
    const unread = counter();
    unread.seed('c', 3, 2, 5);
    unread.message(message('c', 6));
    unread.message(message('c', 7));
    unread.read('c', 4);
    // At most 1 of the server's 3 (seqs up to 5) is above 4; 6 and 7 are unread.
    expect(unread.count('c')).toBe(3);
    expect(unread.lastReadSeq('c')).toBe(4);
    unread.read('c', 3);
    expect(unread.lastReadSeq('c')).toBe(4);
    expect(unread.count('c')).toBe(3);
    unread.read('c', 6);
    expect(unread.count('c')).toBe(1);
    unread.message(message('c', 6));
    expect(unread.count('c')).toBe(1);
    unread.read('c', 7);
    expect(unread.count('c')).toBe(0);
  });

  it('keeps the smaller count when the server reported fewer than the seqs read past', () => {
    const unread = counter();
    // Unread 1 of seqs 1..10 (the rest were the user's own or deleted); reading up to 5 cannot make it 5.
    unread.seed('c', 1, 0, 10);
    unread.read('c', 5);
    expect(unread.count('c')).toBe(1);
  });

  it('drops a message from the count when it is deleted', () => {
    const unread = counter();
    unread.seed('c', 0, 0, 0);
    unread.message(message('c', 1));
    unread.message(message('c', 2));
    unread.updated(message('c', 1, { content: 'edited', edited_at: new Date().toISOString() }));
    expect(unread.count('c')).toBe(2);
    unread.updated(message('c', 1, { deleted: true, content: '' }));
    expect(unread.count('c')).toBe(1);
    unread.updated(message('unknown', 1, { deleted: true }));
  });

  it('counts a conversation first seen through a live message, and forgets one', () => {
    const unread = counter(null);
    expect(unread.count('new')).toBe(0);
    unread.message(message('new', 1, { sender_id: 'me' }));
    expect(unread.count('new')).toBe(1);
    expect(unread.lastReadSeq('new')).toBe(0);
    unread.forget('new');
    expect(unread.count('new')).toBe(0);
  });
});
