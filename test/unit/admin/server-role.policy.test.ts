/** Who may administer (src/domain/admin/server-role.policy.ts): the stored role decides; an admin's token also needs the admin scope. */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/account.service.js';
import { requireAdmin } from '../../../src/domain/admin/server-role.policy.js';
import type { HeldScopes } from '../../../src/domain/scope.policy.js';

const principal = (scopes: HeldScopes): Principal => ({
  user: { id: 'u', username: 'u', created_at: '', is_bot: false, display_name: null, avatar_url: null, status_text: null, deactivated: false },
  session_id: 's',
  expires_at: '',
  scopes,
});

const refusal = (run: () => void) => {
  try {
    run();
    return null;
  } catch (error) {
    return { code: (error as { code: string }).code, detail: (error as Error).message };
  }
};

describe('requireAdmin', () => {
  it('admits an admin with a login session or an admin-scoped token', () => {
    expect(refusal(() => requireAdmin(principal(null), 'admin'))).toBeNull();
    expect(refusal(() => requireAdmin(principal(['admin']), 'admin'))).toBeNull();
  });

  it('refuses a member whatever their token holds, and an admin token without the admin scope, all as forbidden', () => {
    expect(refusal(() => requireAdmin(principal(null), 'member'))).toEqual({ code: 'forbidden', detail: 'Only a server admin may do this.' });
    expect(refusal(() => requireAdmin(principal(['admin']), 'member'))?.code).toBe('forbidden');
    expect(refusal(() => requireAdmin(principal(null), null))?.code).toBe('forbidden');
    expect(refusal(() => requireAdmin(principal(['messages:read', 'account:manage']), 'admin'))).toEqual({ code: 'forbidden', detail: 'This token lacks the admin scope.' });
  });
});
