/**
 * API tokens and bots through the SDK against a real server: a token created with
 * createApiToken signs a client in and is held to its scopes (insufficient_scope as a
 * PneumaticError); revoking it ends it. A bot created with createBot, given a token with
 * createBotToken, connects a live session, receives a message and answers it.
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../src/client.js';
import { PneumaticError } from '../src/errors.js';
import { registeredClient } from './helpers.js';
import { proxiedServerForSuite } from './proxied-server.js';

const suite = proxiedServerForSuite();
const { cleanups } = suite;

describe('API tokens and bots in the SDK', () => {
  it('creates, lists and revokes API tokens; a token client is held to its scopes', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const { token, secret } = await alice.createApiToken({ name: 'script', scopes: ['messages:read'] });
    expect(secret.startsWith('pnt_')).toBe(true);
    expect(await alice.listApiTokens()).toContainEqual(token);
    const script = new PneumaticClient({ baseUrl: suite.server.url, token: secret });
    cleanups.push(() => script.close());
    expect((await script.me()).id).toBe(alice.user!.id);
    const refused = await script.createConversation({ title: 'no', member_ids: [] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PneumaticError);
    expect(refused).toMatchObject({ code: 'insufficient_scope', status: 403 });
    await alice.revokeApiToken(token.id);
    expect(await script.me().catch((error: unknown) => error)).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('a bot with a token from its owner runs a live session: it receives and answers', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const bot = await alice.createBot(`helper${Date.now() % 1_000_000}`);
    expect(bot.user.is_bot).toBe(true);
    expect((await alice.listBots()).map((b) => b.user.id)).toContain(bot.user.id);
    const { token, secret } = await alice.createBotToken(bot.user.id, { name: 'runtime', scopes: ['messages:read', 'messages:write'] });
    expect(await alice.listBotTokens(bot.user.id)).toEqual([token]);
    const conversation = await alice.createConversation({ title: 'with a bot', member_ids: [bot.user.id] });

    const botClient = new PneumaticClient({ baseUrl: suite.server.url, token: secret });
    cleanups.push(() => botClient.close());
    const session = await botClient.connect();
    session.on('message', (message) => {
      if (message.sender_id !== bot.user.id) void session.send(message.conversation_id, `got: ${message.content}`);
    });
    await alice.send(conversation.id, 'hello');
    const deadline = Date.now() + 10_000;
    let answered = false;
    while (!answered && Date.now() < deadline) {
      const page = await alice.listMessages(conversation.id, { after: 0 });
      answered = page.messages.some((m) => m.sender_id === bot.user.id && m.content === 'got: hello');
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answered).toBe(true);
    await alice.revokeBotToken(bot.user.id, token.id);
    expect(await alice.listBotTokens(bot.user.id)).toEqual([]);
  });
});
