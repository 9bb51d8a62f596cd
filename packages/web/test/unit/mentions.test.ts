/** The app's reading of mentions (lib/mentions.ts): what is highlighted, and what the composer offers at the caret. */
import { describe, expect, it } from 'vitest';
import { mayMentionAll, mentionCandidates, mentionQueryAt, splitMentions } from '../../src/lib/mentions.js';

describe('splitMentions', () => {
  const targets = { names: new Map([['ann', false], ['ann.', false], ['bo-b', true]]), all: false };

  it('splits out the mentioned names, with the text between them', () => {
    expect(splitMentions('hi @ann and @BO-B!', targets)).toEqual(['hi ', { mention: '@ann', strong: false }, ' and ', { mention: '@BO-B', strong: true }, '!']);
  });

  it('reads names as the server does: not after a word character, trailing . and - dropped unless a user has them', () => {
    expect(splitMentions('x@ann é@ann _@ann', targets)).toEqual(['x@ann é@ann _@ann']);
    expect(splitMentions('(@ann)', targets)).toEqual(['(', { mention: '@ann', strong: false }, ')']);
    expect(splitMentions('@ann.', targets)).toEqual([{ mention: '@ann.', strong: false }]);
    expect(splitMentions('@bo-b--.', targets)).toEqual([{ mention: '@bo-b', strong: true }, '--.']);
    expect(splitMentions('@annabel @all', targets)).toEqual(['@annabel @all']);
    expect(splitMentions('@ALL now', { names: new Map(), all: true })).toEqual([{ mention: '@ALL', strong: true }, ' now']);
  });
});

describe('mentionQueryAt', () => {
  it('finds the @ the caret is after, with the letters typed so far', () => {
    expect(mentionQueryAt('hi @an', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('hi @an there', 6)).toEqual({ start: 3, query: 'an' });
  });

  it('is null away from a mention, after a space, and in an address', () => {
    expect(mentionQueryAt('hi @an there', 12)).toBeNull();
    expect(mentionQueryAt('@ann ', 5)).toBeNull();
    expect(mentionQueryAt('mail ann@ex', 11)).toBeNull();
    expect(mentionQueryAt('', 0)).toBeNull();
  });
});

describe('mentionCandidates', () => {
  const names = ['carol', 'Bob', 'bobby', 'rob', 'all'];

  it('lists prefixes first, then names containing the query, by name; never a user called all', () => {
    expect(mentionCandidates(names, 'bo', false).map((c) => c.username)).toEqual(['Bob', 'bobby']);
    expect(mentionCandidates(names, 'ob', false).map((c) => c.username)).toEqual(['Bob', 'bobby', 'rob']);
    expect(mentionCandidates(names, '', false).map((c) => c.username)).toEqual(['Bob', 'bobby', 'carol', 'rob']);
  });

  it('offers @all last when allowed and it matches, within the limit', () => {
    expect(mentionCandidates(names, 'a', true)).toEqual([{ username: 'carol', everyone: false }, { username: 'all', everyone: true }]);
    expect(mentionCandidates(names, 'a', false).map((c) => c.username)).toEqual(['carol']);
    const many = Array.from({ length: 20 }, (_, i) => `a${i}`);
    expect(mentionCandidates(many, '', true, 8).at(-1)).toEqual({ username: 'all', everyone: true });
    expect(mentionCandidates(many, '', true, 8)).toHaveLength(8);
  });
});

describe('mayMentionAll', () => {
  it('lets owners and admins always, others up to 20 members', () => {
    expect(mayMentionAll('owner', 500)).toBe(true);
    expect(mayMentionAll('admin', 500)).toBe(true);
    expect(mayMentionAll('member', 20)).toBe(true);
    expect(mayMentionAll('member', 21)).toBe(false);
  });
});
