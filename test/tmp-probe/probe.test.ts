import { randomUUID } from 'node:crypto';
import { it } from 'vitest';
import { createConversation, registerUser, sendMessage } from '../helpers/api-client.js';
import { startServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

for (const dialect of ['sqlite', 'postgres'] as const) {
  it(`probe ${dialect}`, async () => {
    const server = await startServer({ dialect });
    const a = await registerUser(server.url, 'a');
    const b = await registerUser(server.url, 'b');
    const c = await createConversation(a, [b]);
    const m = await sendMessage(a, c.id, 'x');
    const show = async (label: string, p: Promise<any>) => { const r = await p; console.log(dialect, label, r.status, JSON.stringify(r.body).slice(0, 200)); };
    await show('nul content', a.api.post('/messages', { message_id: randomUUID(), conversation_id: c.id, content: 'a\u0000b' }));
    await show('nul title', a.api.post('/conversations', { title: 'a\u0000b', member_ids: [] }));
    await show('nul username query', a.api.get('/users?username=a%00b'));
    await show('nul username login', a.api.post('/sessions', { username: 'a\u0000b', password: 'xxxxxxxxxx' }));
    await show('lone surrogate', a.api.post('/messages', { message_id: randomUUID(), conversation_id: c.id, content: 'a\ud800b' }));
    await show('lone surrogate title', a.api.post('/conversations', { title: '\udfff', member_ids: [] }));
    await show('seq 1e300', a.api.post(`/conversations/${c.id}/read`, { seq: 1e300 }));
    await show('seq 2^53+', a.api.post(`/conversations/${c.id}/read`, { rawBody: '{"seq": 9007199254740993}', headers: { 'content-type': 'application/json' } }));
    await show('seq 2^31', a.api.post(`/conversations/${c.id}/read`, { seq: 2 ** 31 }));
    await show('before huge', a.api.get(`/conversations/${c.id}/messages?before=9999999999999999`));
    await show('after 2^40', a.api.get(`/conversations/${c.id}/messages?after=1099511627776`));
    await show('deep', a.api.post('/messages', undefined, { rawBody: '{"content":' + '['.repeat(20000) + ']'.repeat(20000) + '}', headers: { 'content-type': 'application/json' } }));
    await show('proto', a.api.post('/messages', undefined, { rawBody: '{"__proto__":{"x":1},"content":"a"}', headers: { 'content-type': 'application/json' } }));
    await show('ctor', a.api.post('/messages', undefined, { rawBody: '{"constructor":{"prototype":{"x":1}},"content":"a"}', headers: { 'content-type': 'application/json' } }));
    await show('null body', a.api.post('/messages', undefined, { rawBody: 'null', headers: { 'content-type': 'application/json' } }));
    await show('empty body', a.api.post('/messages', undefined, { rawBody: '', headers: { 'content-type': 'application/json' } }));
    await show('no body', a.api.post('/messages'));
    await show('text/plain', a.api.post('/messages', undefined, { rawBody: '{}', headers: { 'content-type': 'text/plain' } }));
    await show('form', a.api.post('/messages', undefined, { rawBody: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    await show('json latin1', a.api.post('/messages', undefined, { rawBody: '{}', headers: { 'content-type': 'application/json; charset=latin1' } }));
    await show('big', a.api.post('/messages', { message_id: randomUUID(), conversation_id: c.id, content: 'x'.repeat(70000) }));
    await show('path trav', a.api.get('/conversations/%2e%2e%2f%2e%2e%2fusers'));
    await show('path trav2', a.api.get('/users/..%2F..%2Fetc%2Fpasswd'));
    await show('path nul', a.api.get('/users/%00'));
    await show('path bad pct', a.api.get('/users/%zz'));
    await show('patch msg bad', a.api.patch(`/messages/${m.message_id}`, { content: 'a\u0000' }));
    await show('limit=', a.api.get(`/conversations/${c.id}/messages?limit=`));
    await show('limit twice', a.api.get(`/conversations/${c.id}/messages?limit=1&limit=2`));
    await show('after twice', a.api.get(`/conversations/${c.id}/messages?after=1&after=2`));
    await show('list before twice', a.api.get(`/conversations?before=a&before=b`));
    await show('list bad cursor', a.api.get(`/conversations?before=garbage`));
    await show('list bad cursor2', a.api.get(`/conversations?before=${encodeURIComponent(Buffer.from('{"x":1}').toString('base64url'))}`));
    await show('logout all=yes', a.api.delete(`/sessions?all=yes`));
    await show('users username=', a.api.get(`/users?username=`));
    await show('emoji 4000', a.api.post('/messages', { message_id: randomUUID(), conversation_id: c.id, content: '😀'.repeat(4000) }));
    await show('uppercase uuid', a.api.post('/messages', { message_id: randomUUID().toUpperCase(), conversation_id: c.id.toUpperCase(), content: 'up' }));
    const s = await TestSocket.open(server.wsUrl, { token: a.token });
    for (const f of ['{"type":"read","conversation_id":"' + c.id + '","seq":1e300}', JSON.stringify({ type: 'message', message_id: randomUUID(), conversation_id: c.id, content: 'a\u0000b' }), '{"type":"join","conversation_id":"' + c.id + '","__proto__":{"x":1}}', '{"__proto__":{"type":"ping"}}', '']) {
      const r = await s.request(f as never, () => true);
      console.log(dialect, 'ws', f.slice(0, 60), JSON.stringify(r));
    }
    s.ws.send(Buffer.from([0xff, 0xfe, 0, 1]), { binary: true });
    console.log(dialect, 'binary', JSON.stringify(await s.waitFor((f) => f.type === 'error' && f.code === 'invalid_json')));
    s.close();
    await server.close();
  }, 60000);
}
