/** Where a login session is used from, written at most every few minutes (docs/API.md, "Password and sessions"). */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SessionUse } from '../../../src/domain/ports/repositories.js';
import { SessionUseRecorder, USE_WRITE_INTERVAL_MS } from '../../../src/domain/sessions/session-use-recorder.js';
import { InMemorySessionRepository } from '../fakes/in-memory-accounts.js';
import { InMemoryStore } from '../fakes/in-memory-store.js';

/** The in-memory sessions, counting the writes of uses and failing the next `failNext` of them. */
class CountingSessions extends InMemorySessionRepository {
  readonly attempts: [string, SessionUse][] = [];
  failNext = 0;

  override async recordUse(sessionId: string, use: SessionUse): Promise<void> {
    this.attempts.push([sessionId, use]);
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('database unavailable');
    }
    await super.recordUse(sessionId, use);
  }
}

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const client = { user_agent: CHROME, ip: '203.0.113.77' };
/** Lets the recorder's fire-and-forget write (and its failure handler) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function arrange() {
  const store = new InMemoryStore();
  const sessions = new CountingSessions(store.tables);
  const userId = randomUUID();
  await store.users.create({ id: userId, username: 'alice', created_at: iso(0), password_hash: 'h' });
  const login = async () => {
    const id = randomUUID();
    await sessions.create({ id, token_hash: id, user_id: userId, created_at: iso(T0), expires_at: iso(T0 + 86_400_000), use: SessionUseRecorder.useOf({}, iso(T0)) });
    return id;
  };
  return { sessions, recorder: new SessionUseRecorder(sessions), userId, login };
}

describe('SessionUseRecorder', () => {
  it('writes a session’s first use with the time, the User-Agent and the approximate network', async () => {
    const { sessions, recorder, userId, login } = await arrange();
    const id = await login();
    recorder.used(id, client, T0 + 1000);
    await settle();
    expect(sessions.attempts).toEqual([[id, { at: iso(T0 + 1000), user_agent: CHROME, ip: '203.0.113.0/24' }]]);
    expect(await sessions.listLogins(userId, iso(T0))).toEqual([
      { id, created_at: iso(T0), expires_at: iso(T0 + 86_400_000), last_used_at: iso(T0 + 1000), user_agent: CHROME, ip: '203.0.113.0/24' },
    ]);
  });

  it(`does not write again within ${USE_WRITE_INTERVAL_MS / 60_000} minutes of the last write, and writes again after`, async () => {
    const { sessions, recorder, login } = await arrange();
    expect(USE_WRITE_INTERVAL_MS).toBe(5 * 60_000);
    const id = await login();
    recorder.used(id, client, T0);
    recorder.used(id, client, T0 + 1);
    recorder.used(id, { ip: '198.51.100.1' }, T0 + USE_WRITE_INTERVAL_MS - 1);
    await settle();
    expect(sessions.attempts).toHaveLength(1);
    recorder.used(id, { ip: '198.51.100.1' }, T0 + USE_WRITE_INTERVAL_MS);
    await settle();
    expect(sessions.attempts.map(([, use]) => use)).toEqual([
      { at: iso(T0), user_agent: CHROME, ip: '203.0.113.0/24' },
      { at: iso(T0 + USE_WRITE_INTERVAL_MS), user_agent: null, ip: '198.51.100.0/24' },
    ]);
  });

  it('counts the interval from the last write, not the last use', async () => {
    const { sessions, recorder, login } = await arrange();
    const id = await login();
    for (let minute = 0; minute <= 10; minute++) recorder.used(id, client, T0 + minute * 60_000);
    await settle();
    expect(sessions.attempts.map(([, use]) => use.at)).toEqual([iso(T0), iso(T0 + 5 * 60_000), iso(T0 + 10 * 60_000)]);
  });

  it('keeps the interval per session', async () => {
    const { sessions, recorder, login } = await arrange();
    const [a, b] = [await login(), await login()];
    recorder.used(a, client, T0);
    recorder.used(b, client, T0 + 1);
    recorder.used(a, client, T0 + 2);
    await settle();
    expect(sessions.attempts.map(([id]) => id)).toEqual([a, b]);
  });

  it('writes nothing for the first uses of a session just created with its first use (created())', async () => {
    const { sessions, recorder, login } = await arrange();
    const id = await login();
    recorder.created(id, T0);
    recorder.used(id, client, T0 + 1000);
    recorder.used(id, client, T0 + USE_WRITE_INTERVAL_MS - 1);
    await settle();
    expect(sessions.attempts).toEqual([]);
    recorder.used(id, client, T0 + USE_WRITE_INTERVAL_MS);
    await settle();
    expect(sessions.attempts.map(([, use]) => use.at)).toEqual([iso(T0 + USE_WRITE_INTERVAL_MS)]);
  });

  it('tries a failed write again on the next use, without failing the use', async () => {
    const { sessions, recorder, userId, login } = await arrange();
    const id = await login();
    sessions.failNext = 1;
    expect(() => recorder.used(id, client, T0 + 1000)).not.toThrow();
    await settle();
    expect((await sessions.listLogins(userId, iso(T0)))[0]?.last_used_at).toBe(iso(T0));
    recorder.used(id, client, T0 + 2000);
    await settle();
    expect(sessions.attempts.map(([, use]) => use.at)).toEqual([iso(T0 + 1000), iso(T0 + 2000)]);
    expect((await sessions.listLogins(userId, iso(T0)))[0]?.last_used_at).toBe(iso(T0 + 2000));
    recorder.used(id, client, T0 + 3000);
    await settle();
    expect(sessions.attempts).toHaveLength(2);
  });

  it('describes a new session’s first use the same way (useOf)', () => {
    expect(SessionUseRecorder.useOf({ user_agent: 'x'.repeat(600), ip: '2001:db8:abcd:12::1' }, iso(T0))).toEqual({
      at: iso(T0),
      user_agent: 'x'.repeat(512),
      ip: '2001:db8:abcd::/48',
    });
    expect(SessionUseRecorder.useOf({}, iso(T0))).toEqual({ at: iso(T0), user_agent: null, ip: null });
  });
});
