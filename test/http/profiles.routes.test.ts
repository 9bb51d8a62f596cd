/**
 * Profiles (docs/API.md, "Profiles"): display name and status text with their refusals, the
 * avatar made from an upload (square WebP, no metadata, public immutable URL), and who hears of
 * a change: the people sharing a conversation through member.updated events (live and from the
 * log), the user's own devices through user.updated with their user_seq and sync's `me`.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { uploaded } from '../helpers/uploads.js';
import { currentUserSeq } from '../helpers/user-seq.js';
import { TestSocket } from '../helpers/ws-client.js';
import { GPS_EXIF, solid } from '../unit/files/image-fixtures.js';

const REFUSED_DISPLAY_NAMES: [string, string][] = [
  ['a control character', 'Ana\u0007'],
  ['a newline', 'Ana\nLópez'],
  ['a right-to-left override', 'evil\u202Egnp.exe'],
  ['a bidi isolate', 'Ana\u2067x\u2069'],
  ['a right-to-left mark', 'Ana\u200F'],
  ['a zero-width space', 'An\u200Ba'],
  ['a zero-width joiner', 'An\u200Da'],
  ['a byte order mark', '\uFEFFAna'],
  ['a soft hyphen', 'An\u00ADa'],
  ['65 characters', 'x'.repeat(65)],
];

for (const dialect of enabledDialects()) {
  describe(`profiles [${dialect}]`, () => {
    let server: TestServer;
    let ana: TestUser;
    let ben: TestUser;
    let cleo: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [ana, ben, cleo] = await registerUsers(server.url, 'ana', 'ben', 'cleo');
    });
    afterAll(() => server.close());

    it('starts empty, sets, normalises and clears the display name and status text', async () => {
      const fresh = await ana.api.get('/users/me');
      expect(fresh.body).toMatchObject({ display_name: null, avatar_url: null, status_text: null });

      const set = await ana.api.patch('/users/me', { display_name: '  Ana Mari\u0301a López ', status_text: 'On holiday 🏖️' });
      expect(set.status).toBe(200);
      // NFC (i + combining acute → í) and trimmed.
      expect(set.body).toMatchObject({ id: ana.user.id, display_name: 'Ana María López', status_text: 'On holiday 🏖️' });
      expect((await ben.api.get(`/users/${ana.user.id}`)).body.display_name).toBe('Ana María López');
      expect((await ana.api.get('/users/me')).body.status_text).toBe('On holiday 🏖️');

      const emoji64 = '😀'.repeat(64);
      expect((await ana.api.patch('/users/me', { status_text: emoji64 })).body.status_text).toBe(emoji64);
      const cleared = await ana.api.patch('/users/me', { status_text: '' });
      expect(cleared.body).toMatchObject({ display_name: 'Ana María López', status_text: null });
      expect((await ana.api.patch('/users/me', { display_name: null })).body.display_name).toBeNull();
    });

    it.each(REFUSED_DISPLAY_NAMES)('refuses a display name with %s (400 invalid_display_name), changing nothing', async (_what, name) => {
      await ben.api.patch('/users/me', { display_name: 'Ben' });
      expectProblem(await ben.api.patch('/users/me', { display_name: name }), 400, 'invalid_display_name');
      expect((await ben.api.get('/users/me')).body.display_name).toBe('Ben');
    });

    it('refuses a bad status text, unknown fields and wrong types', async () => {
      expectProblem(await ben.api.patch('/users/me', { status_text: 'x'.repeat(141) }), 400, 'invalid_status_text');
      expectProblem(await ben.api.patch('/users/me', { status_text: 'a\u202Eb' }), 400, 'invalid_status_text');
      expectProblem(await ben.api.patch('/users/me', { username: 'other' }), 400, 'invalid_request');
      expectProblem(await ben.api.patch('/users/me', { display_name: 42 }), 400, 'invalid_request');
      expectProblem(await ben.api.patch('/users/me', { display_name: 'a\u0000b' }), 400, 'invalid_request');
    });

    it('announces a display name to the members of every shared conversation as member.updated, and to the user’s own devices as user.updated', async () => {
      const [dan, eve] = await registerUsers(server.url, 'dan', 'eve');
      const shared = await createConversation(dan, [eve]);
      const other = await createConversation(dan, [cleo]);
      const eveSocket = await TestSocket.open(server.wsUrl, { token: eve.token });
      const danSocket = await TestSocket.open(server.wsUrl, { token: dan.token });
      const cleoSocket = await TestSocket.open(server.wsUrl, { token: cleo.token });
      const seqBefore = await currentUserSeq(dan);
      try {
        const changed = await dan.api.patch('/users/me', { display_name: 'Dan the Man' });
        expect(changed.status).toBe(200);

        const isDans = (f: Record<string, any>) => f.type === 'member.updated' && f.member.user_id === dan.user.id;
        const toEve = await eveSocket.waitFor(isDans);
        expect(toEve).toMatchObject({ conversation_id: shared.id, event_seq: shared.last_event_seq + 1, member: { display_name: 'Dan the Man', avatar_url: null, username: dan.user.username } });
        const toCleo = await cleoSocket.waitFor(isDans);
        expect(toCleo.conversation_id).toBe(other.id);
        await eveSocket.expectNone((f) => isDans(f) && f.conversation_id === other.id);

        const own = await danSocket.waitFor((f) => f.type === 'user.updated');
        expect(own).toEqual({ type: 'user.updated', user: changed.body, user_seq: seqBefore + 1 });

        // From the log: a device that was away gets the change with the conversation's events.
        const events = await eve.api.get(`/conversations/${shared.id}/events?after=${shared.last_event_seq}`);
        expect(events.body.events).toEqual([expect.objectContaining({ type: 'member.updated', actor_id: dan.user.id, user_id: dan.user.id, member: expect.objectContaining({ display_name: 'Dan the Man' }) })]);
        const synced = await dan.api.post('/sync', { conversations: {} });
        expect(synced.body.me).toEqual(changed.body);
        expect(synced.body.user_seq).toBe(seqBefore + 1);
        // Members listed anywhere carry it.
        const listed = await eve.api.get(`/conversations/${shared.id}`);
        expect(listed.body.members.find((m: { user_id: string }) => m.user_id === dan.user.id).display_name).toBe('Dan the Man');
      } finally {
        for (const socket of [eveSocket, danSocket, cleoSocket]) socket.ws.close();
      }
    });

    it('announces nothing for a change that changes nothing, and a status text only to the user’s own devices', async () => {
      const [fay, gus] = await registerUsers(server.url, 'fay', 'gus');
      const conversation = await createConversation(fay, [gus]);
      await fay.api.patch('/users/me', { display_name: 'Fay' });
      const seq = await currentUserSeq(fay);
      const last = (await gus.api.get(`/conversations/${conversation.id}`)).body.last_event_seq;

      expect((await fay.api.patch('/users/me', { display_name: 'Fay' })).status).toBe(200);
      expect((await fay.api.patch('/users/me', {})).status).toBe(200);
      expect(await currentUserSeq(fay)).toBe(seq);
      await fay.api.patch('/users/me', { status_text: 'busy' });
      expect(await currentUserSeq(fay)).toBe(seq + 1);
      expect((await gus.api.get(`/conversations/${conversation.id}`)).body.last_event_seq).toBe(last);
    });

    it('keeps both of two concurrent changes of different fields, and announces each display name once per conversation', async () => {
      const [hal, ivy] = await registerUsers(server.url, 'hal', 'ivy');
      const conversation = await createConversation(hal, [ivy]);
      for (let round = 0; round < 10; round++) {
        const [named, statused] = await Promise.all([
          hal.api.patch('/users/me', { display_name: `Hal ${round}` }),
          hal.api.patch('/users/me', { status_text: `status ${round}` }),
        ]);
        expect([named.status, statused.status]).toEqual([200, 200]);
        expect((await hal.api.get('/users/me')).body).toMatchObject({ display_name: `Hal ${round}`, status_text: `status ${round}` });
      }
      const events = (await ivy.api.get(`/conversations/${conversation.id}/events?after=${conversation.last_event_seq}`)).body.events;
      expect(events.map((e: { type: string }) => e.type)).toEqual(Array(10).fill('member.updated'));
    });

    it('makes an avatar from an image upload: a 256×256 WebP without metadata at a public, immutable URL, replaced and removed with the file', async () => {
      const photo = await solid(1200, 800).jpeg().withExif(GPS_EXIF).toBuffer();
      const upload = await uploaded(cleo.api, photo, 'me.jpg');
      const set = await cleo.api.put('/users/me/avatar', { upload_id: upload.id });
      expect(set.status).toBe(200);
      const url: string = set.body.avatar_url;
      expect(url).toMatch(/^\/avatars\/[A-Za-z0-9_-]{22}\.webp$/);

      const served = await fetch(`${server.url}${url}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/webp');
      expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const bytes = Buffer.from(await served.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
      expect(meta.exif).toBeUndefined();
      expect(bytes.includes(Buffer.from('Pneumatic'))).toBe(false);

      const again = await cleo.api.put('/users/me/avatar', { upload_id: upload.id });
      expect(again.body.avatar_url).not.toBe(url);
      expect((await fetch(`${server.url}${url}`)).status).toBe(404);
      const removed = await cleo.api.delete('/users/me/avatar');
      expect(removed.body.avatar_url).toBeNull();
      expect((await fetch(`${server.url}${again.body.avatar_url}`)).status).toBe(404);
    });

    it('refuses an avatar from an upload that is not an image, not the caller’s, or does not exist', async () => {
      const text = await uploaded(ben.api, 'just text', 'notes.txt');
      expectProblem(await ben.api.put('/users/me/avatar', { upload_id: text.id }), 400, 'not_an_image');
      const fake = await uploaded(ben.api, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]), 'broken.png');
      expectProblem(await ben.api.put('/users/me/avatar', { upload_id: fake.id }), 400, 'not_an_image');
      const anas = await uploaded(ana.api, await solid(64, 64).png().toBuffer(), 'a.png');
      expectProblem(await ben.api.put('/users/me/avatar', { upload_id: anas.id }), 404, 'upload_not_found');
      expectProblem(await ben.api.put('/users/me/avatar', { upload_id: '00000000-0000-4000-8000-000000000000' }), 404, 'upload_not_found');
      expectProblem(await ben.api.put('/users/me/avatar', { upload_id: 'nope' }), 400, 'invalid_request');
      expect((await fetch(`${server.url}/avatars/..%2Fuploads%2F${anas.id}`)).status).toBe(404);
      expect((await fetch(`${server.url}/avatars/AAAAAAAAAAAAAAAAAAAAAA.webp`)).status).toBe(404);
    });
  });
}
