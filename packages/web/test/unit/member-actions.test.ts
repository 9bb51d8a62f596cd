/**
 * What the people panel offers on each member (lib/member-actions.ts), by your conversation role
 * and theirs: the server's table (docs/API.md, "Conversation roles") read by the app, so nothing
 * shows that the server would refuse.
 */
import type { MemberRole } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { hasActions, isManager, mayRename, memberActions } from '../../src/lib/member-actions.js';

const ROLES: MemberRole[] = ['owner', 'admin', 'member'];

describe('memberActions', () => {
  it('lets an owner give any other role, to others and to themselves', () => {
    expect(memberActions('owner', 'member', false).roles).toEqual(['owner', 'admin']);
    expect(memberActions('owner', 'admin', false).roles).toEqual(['owner', 'member']);
    expect(memberActions('owner', 'owner', false).roles).toEqual(['admin', 'member']);
    // Stepping down: the server refuses it for the only owner (409 last_owner).
    expect(memberActions('owner', 'owner', true).roles).toEqual(['admin', 'member']);
  });

  it('offers no role changes to admins, members or someone not in the conversation', () => {
    for (const caller of ['admin', 'member', undefined] as const) {
      for (const target of ROLES) expect(memberActions(caller, target, false).roles).toEqual([]);
    }
  });

  it('lets an owner remove anyone else, an admin plain members only, a member nobody', () => {
    expect(ROLES.map((target) => memberActions('owner', target, false).remove)).toEqual([true, true, true]);
    expect(ROLES.map((target) => memberActions('admin', target, false).remove)).toEqual([false, false, true]);
    expect(ROLES.map((target) => memberActions('member', target, false).remove)).toEqual([false, false, false]);
    expect(ROLES.map((target) => memberActions(undefined, target, false).remove)).toEqual([false, false, false]);
  });

  it('never offers removing or blocking yourself (Leave is for that)', () => {
    for (const role of ROLES) {
      expect(memberActions(role, role, true).remove).toBe(false);
      expect(memberActions(role, role, true).block).toBe(false);
    }
  });

  it('lets anyone block anyone else, whatever the roles', () => {
    for (const caller of ROLES) for (const target of ROLES) expect(memberActions(caller, target, false).block).toBe(true);
  });
});

describe('hasActions', () => {
  it('is false only where there is nothing to offer: yourself, unless you are an owner', () => {
    expect(hasActions(memberActions('member', 'member', true))).toBe(false);
    expect(hasActions(memberActions('admin', 'admin', true))).toBe(false);
    expect(hasActions(memberActions('owner', 'owner', true))).toBe(true);
    expect(hasActions(memberActions('member', 'owner', false))).toBe(true);
  });
});

describe('mayRename and isManager', () => {
  it('are true for owners and admins only', () => {
    expect(ROLES.map(mayRename)).toEqual([true, true, false]);
    expect(ROLES.map(isManager)).toEqual([true, true, false]);
    expect(mayRename(undefined)).toBe(false);
  });
});
