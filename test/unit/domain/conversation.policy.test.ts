import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requireMayChangeRoles, requireMayDelete, requireMayEdit, requireMayRemove, requireMayRename, requireMaySetRetention, requireMemberIds, requireMembership, ROLE_PERMISSIONS, roleMay } from '../../../src/domain/conversation.policy.js';
import { newTestServices } from '../fakes/test-services.js';

async function arrange() {
  const t = newTestServices();
  const [owner, member, outsider] = [await t.newUser('owner'), await t.newUser('member'), await t.newUser('outsider')];
  const conversation = await t.newConversation(owner, [member]);
  return { store: t.store, owner, member, outsider, conversation };
}

describe('requireMembership', () => {
  it("returns the caller's role", async () => {
    const { store, owner, member, conversation } = await arrange();
    expect(await requireMembership(store, conversation.id, owner.id)).toEqual({ role: 'owner' });
    expect(await requireMembership(store, conversation.id, member.id)).toEqual({ role: 'member' });
  });

  it('answers not_found for a conversation that does not exist, before not_member', async () => {
    const { store, outsider } = await arrange();
    await expect(requireMembership(store, randomUUID(), outsider.id)).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  it('answers not_member (403) to a non-member of an existing conversation', async () => {
    const { store, outsider, conversation } = await arrange();
    await expect(requireMembership(store, conversation.id, outsider.id)).rejects.toMatchObject({ code: 'not_member', status: 403 });
  });
});

describe('requireMemberIds', () => {
  it('returns every member when the caller is one', async () => {
    const { store, owner, member, conversation } = await arrange();
    expect((await requireMemberIds(store, conversation.id, member.id)).sort()).toEqual([owner.id, member.id].sort());
  });

  it('tells a missing conversation (404) from one the caller is not in (403)', async () => {
    const { store, outsider, conversation } = await arrange();
    await expect(requireMemberIds(store, randomUUID(), outsider.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(requireMemberIds(store, conversation.id, outsider.id)).rejects.toMatchObject({ code: 'not_member' });
  });
});

describe('who may remove, edit and delete', () => {
  const owner = { role: 'owner' as const };
  const member = { role: 'member' as const };

  const admin = { role: 'admin' as const };

  it('anyone may remove themselves; an owner anyone; an admin members only; a member nobody else', () => {
    expect(() => requireMayRemove(member, 'm', 'm', member)).not.toThrow();
    expect(() => requireMayRemove(admin, 'a', 'a', admin)).not.toThrow();
    expect(() => requireMayRemove(owner, 'o', 'm', member)).not.toThrow();
    expect(() => requireMayRemove(owner, 'o', 'a', admin)).not.toThrow();
    expect(() => requireMayRemove(owner, 'o', 'p', owner)).not.toThrow();
    expect(() => requireMayRemove(admin, 'a', 'm', member)).not.toThrow();
    // Not a member: the removal itself answers 404.
    expect(() => requireMayRemove(admin, 'a', 'x', null)).not.toThrow();
    for (const target of [admin, owner]) expect(() => requireMayRemove(admin, 'a', 't', target)).toThrow(expect.objectContaining({ code: 'not_owner', status: 403 }));
    expect(() => requireMayRemove(member, 'm', 'o', owner)).toThrow(expect.objectContaining({ code: 'not_owner', status: 403 }));
    expect(() => requireMayRemove(member, 'm', 'n', member)).toThrow(expect.objectContaining({ code: 'not_owner', status: 403 }));
  });

  it('owners and admins may rename; only owners change roles', () => {
    expect(() => requireMayRename(owner)).not.toThrow();
    expect(() => requireMayRename(admin)).not.toThrow();
    expect(() => requireMayRename(member)).toThrow(expect.objectContaining({ code: 'not_owner' }));
    expect(() => requireMayChangeRoles(owner)).not.toThrow();
    for (const caller of [admin, member]) expect(() => requireMayChangeRoles(caller)).toThrow(expect.objectContaining({ code: 'not_owner', status: 403 }));
  });

  it('the permission table: owners may everything it lists, members nothing, admins all but changing roles and retention', () => {
    for (const action of Object.keys(ROLE_PERMISSIONS) as (keyof typeof ROLE_PERMISSIONS)[]) {
      expect(roleMay('owner', action)).toBe(true);
      expect(roleMay('member', action)).toBe(false);
      expect(roleMay('admin', action)).toBe(action !== 'change_roles' && action !== 'set_retention');
    }
  });

  it('only owners set a conversation\'s retention', () => {
    expect(() => requireMaySetRetention(owner)).not.toThrow();
    for (const caller of [admin, member]) expect(() => requireMaySetRetention(caller)).toThrow(expect.objectContaining({ code: 'not_owner', status: 403 }));
  });

  it('only the sender may edit, owner or not', () => {
    expect(() => requireMayEdit('s', 's')).not.toThrow();
    expect(() => requireMayEdit('s', 'o')).toThrow(expect.objectContaining({ code: 'not_sender', status: 403 }));
  });

  it('the sender or an owner may delete; another plain member may not', () => {
    expect(() => requireMayDelete('s', 's', member)).not.toThrow();
    expect(() => requireMayDelete('s', 'o', owner)).not.toThrow();
    expect(() => requireMayDelete('s', 'a', admin)).not.toThrow();
    expect(() => requireMayDelete('s', 'm', member)).toThrow(expect.objectContaining({ code: 'not_sender' }));
  });
});
