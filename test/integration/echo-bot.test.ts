/**
 * The example bot (examples/echo-bot/bot.ts) run as its README line says, against a real server:
 * signed in with a token its owner created, it answers in a conversation it was a member of
 * before it started and in one it is added to while running (once it says it joined), quoting
 * the message; it ignores its own messages, and stops on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface StoredMessage {
  message_id: string;
  sender_id: string;
  content: string;
  reply_to_id: string | null;
}

describe('the example echo bot', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let bot: ChildProcess | null = null;
  let output = '';
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off' } });
    [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
  });
  afterAll(async () => {
    bot?.kill('SIGKILL');
    await server.close();
  });

  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the bot said: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const answerTo = async (user: TestUser, conversationId: string, sent: { message_id: string }, botId: string): Promise<StoredMessage> => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const messages = (await user.api.get(`/conversations/${conversationId}/messages?after=0`)).body.messages as StoredMessage[];
      const answer = messages.find((m) => m.sender_id === botId && m.reply_to_id === sent.message_id);
      if (answer) return answer;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no answer to ${sent.message_id} in ${conversationId}; the bot said: ${output}`);
  };

  it('answers in its conversations, quoting each message, and stops on SIGTERM', async () => {
    const created = await alice.api.post('/bots', { username: `echo${randomUUID().slice(0, 8)}` });
    const botId = created.body.user.id as string;
    const secret = (await alice.api.post(`/bots/${botId}/tokens`, { name: 'echo', scopes: ['messages:read', 'messages:write'] })).body.secret as string;
    const before = await createConversation(alice, [bob]);
    expect((await alice.api.post(`/conversations/${before.id}/members`, { user_id: botId })).status).toBe(201);

    bot = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'examples/echo-bot/bot.ts'], {
      cwd: ROOT,
      env: { ...process.env, PNEUMATIC_URL: server.url, PNEUMATIC_TOKEN: secret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ready = new Promise<void>((resolve, reject) => {
      bot!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready')) resolve();
      });
      bot!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      bot!.once('exit', (code) => reject(new Error(`the bot exited with ${code}: ${output}`)));
    });
    await ready;

    const hello = await sendMessage(bob, before.id, 'hello bot');
    expect((await answerTo(bob, before.id, hello, botId)).content).toBe('echo: hello bot');
    const ping = await sendMessage(alice, before.id, '!ping');
    expect((await answerTo(alice, before.id, ping, botId)).content).toBe('pong');

    // Added while it runs: the live session learns of the conversation and answers there too.
    const later = await createConversation(bob, [alice]);
    expect((await bob.api.post(`/conversations/${later.id}/members`, { user_id: botId })).status).toBe(201);
    await until(() => output.includes(`joined ${later.id}`), 'the bot to join');
    const again = await sendMessage(bob, later.id, 'are you there?');
    expect((await answerTo(bob, later.id, again, botId)).content).toBe('echo: are you there?');

    // It never answers itself: two messages of people, two answers, nothing more.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const all = (await bob.api.get(`/conversations/${before.id}/messages?after=0`)).body.messages as StoredMessage[];
    expect(all.filter((m) => m.sender_id === botId)).toHaveLength(2);

    const exited = new Promise<number | null>((resolve) => bot!.once('exit', (code) => resolve(code)));
    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
    bot = null;
  });
});
