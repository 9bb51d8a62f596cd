/**
 * The SDK's profile, directory and login-session requests as they leave the client (a fake fetch
 * records them): method, path, query and body as docs/API.md ("Profiles", "Finding people",
 * "Password and sessions") has them, and `getUsers` asking 100 ids at a time.
 */
import { USERS_BY_ID_MAX as PROTOCOL_USERS_BY_ID_MAX } from '@pneumatic/protocol';
import { describe, expect, it } from 'vitest';
import { USERS_BY_ID_MAX } from '../../src/users-request.js';
import { line, recordingClient } from './recording-client.js';

describe('profile, directory and session requests', () => {
  it('sends each route with its body', async () => {
    const { client, sent } = recordingClient((s) => (s.method === 'GET' && s.url.pathname === '/sessions' ? { sessions: [{ id: 's1' }] } : s.url.pathname.startsWith('/users/me') && s.method !== 'POST' ? { id: 'me' } : undefined));
    await client.updateProfile({ display_name: 'Ana', status_text: null });
    await client.setAvatar('u-1');
    await client.clearAvatar();
    await client.changePassword('old secret', 'new secret');
    expect(await client.listSessions()).toEqual([{ id: 's1' }]);
    await client.revokeSession('s/2');
    expect(sent.map(line)).toEqual([
      'PATCH /users/me {"display_name":"Ana","status_text":null}',
      'PUT /users/me/avatar {"upload_id":"u-1"}',
      'DELETE /users/me/avatar',
      'POST /users/me/password {"current_password":"old secret","new_password":"new secret"}',
      'GET /sessions',
      'DELETE /sessions/s%2F2',
    ]);
  });

  it('searches the directory with q, limit and cursor, answering users and next_cursor', async () => {
    const { client, sent } = recordingClient(() => ({ users: [], next_cursor: 'k2' }));
    expect(await client.searchUsers('José L', { limit: 5, cursor: 'k1' })).toEqual({ users: [], next_cursor: 'k2' });
    await client.searchUsers('ana');
    expect(sent.map((s) => Object.fromEntries(s.url.searchParams))).toEqual([{ q: 'José L', limit: '5', cursor: 'k1' }, { q: 'ana' }]);
  });

  it('looks users up by id 100 at a time, each id once, joining the answers in the order asked', async () => {
    expect(USERS_BY_ID_MAX).toBe(PROTOCOL_USERS_BY_ID_MAX);
    const ids = Array.from({ length: 250 }, (_, i) => `id${i}`);
    const { client, sent } = recordingClient((s) => ({ users: s.url.searchParams.get('ids')!.split(',').map((id) => ({ id })) }));
    const users = await client.getUsers([...ids, 'id0', 'id249']);
    expect(sent.map((s) => s.url.searchParams.get('ids')!.split(',').length)).toEqual([100, 100, 50]);
    expect(users.map((u) => u.id)).toEqual(ids);
    expect(await client.getUsers([])).toEqual([]);
    expect(sent).toHaveLength(3);
  });
});
