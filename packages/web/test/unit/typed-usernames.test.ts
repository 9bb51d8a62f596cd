/**
 * Usernames typed whole into a people field ("New conversation", the People panel's "Add
 * member"): how the text is split, and the lookup that tells the users found from the names
 * nobody has.
 */
import type { User } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { lookUpUsernames, typedUsernames, unknownUsernamesText } from '../../src/lib/typed-usernames.js';

const user = (username: string): User => ({ id: `id-${username}`, username, created_at: '2026-12-06T10:00:00.000Z', is_bot: false, display_name: null, avatar_url: null, status_text: null, deactivated: false });

describe('typedUsernames', () => {
  it('splits at commas and spaces, drops a leading @ and empty parts', () => {
    expect(typedUsernames(' @ana, bob  carol,,')).toEqual(['ana', 'bob', 'carol']);
  });

  it('keeps each name once, ignoring case, as first typed', () => {
    expect(typedUsernames('Ana, ana, @ANA, bob')).toEqual(['Ana', 'bob']);
  });

  it('finds nothing in blank text', () => {
    expect(typedUsernames('  ,  ')).toEqual([]);
  });
});

describe('lookUpUsernames', () => {
  it('answers the users found in the order typed and the names nobody has', async () => {
    const known = new Map([['ana', user('ana')], ['carol', user('carol')]]);
    const asked: string[] = [];
    const result = await lookUpUsernames(['carol', 'zed', 'ana'], async (name) => {
      asked.push(name);
      return known.get(name) ?? null;
    });
    expect(result.users.map((u) => u.username)).toEqual(['carol', 'ana']);
    expect(result.unknown).toEqual(['zed']);
    expect(asked.sort()).toEqual(['ana', 'carol', 'zed']);
  });

  it('says which names are unknown, in quotes', () => {
    expect(unknownUsernamesText(['zed'])).toBe('No user named “zed”.');
    expect(unknownUsernamesText(['zed', 'zoe'])).toBe('No user named “zed”, “zoe”.');
  });
});
