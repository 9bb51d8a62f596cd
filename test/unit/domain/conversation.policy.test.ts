import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requireMayDelete, requireMayEdit, requireMayRemove, requireMemberIds, requireMembership } from '../../../src/domain/conversation.policy.js';
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

  it('anyone may remove themselves; only an owner may remove someone else', () => {
    expect(() => requireMayRemove(member, 'm', 'm')).not.toThrow();
    expect(() => requireMayRemove(owner, 'o', 'm')).not.toThrow();
    expect(() => requireMayRemove(member, 'm', 'o')).toThrow(expect.objectContaining({ code: 'not_owner', status: 403 }));
  });

  it('only the sender may edit, owner or not', () => {
    expect(() => requireMayEdit('s', 's')).not.toThrow();
    expect(() => requireMayEdit('s', 'o')).toThrow(expect.objectContaining({ code: 'not_sender', status: 403 }));
  });

  it('the sender or an owner may delete; another plain member may not', () => {
    expect(() => requireMayDelete('s', 's', member)).not.toThrow();
    expect(() => requireMayDelete('s', 'o', owner)).not.toThrow();
    expect(() => requireMayDelete('s', 'm', member)).toThrow(expect.objectContaining({ code: 'not_sender' }));
  });
});
