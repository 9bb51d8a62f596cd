/**
 * An echo bot on the SDK (docs/API.md, "Bots"): it answers every message in its conversations
 * with the same text, quoted, and `!ping` with `pong`. A bot is a member like any other; it
 * signs in with an API token its owner created for it (POST /bots/{id}/tokens, scopes
 * messages:read and messages:write).
 *
 *   PNEUMATIC_URL=http://127.0.0.1:8000 PNEUMATIC_TOKEN=pnt_… node --import tsx examples/echo-bot/bot.ts
 *
 * It says "ready" on stdout once live and "joined <id>" when added to a conversation, and stops
 * on SIGINT or SIGTERM.
 */
import { PneumaticClient, type Message } from '@pneumatic/client';

const baseUrl = process.env.PNEUMATIC_URL ?? 'http://127.0.0.1:8000';
const token = process.env.PNEUMATIC_TOKEN;
if (!token) {
  console.error('Set PNEUMATIC_TOKEN to an API token of the bot (POST /bots/{id}/tokens).');
  process.exit(2);
}

/** What the bot answers to `message`, or null to stay quiet. */
function answerTo(message: Message, botId: string): string | null {
  if (message.sender_id === botId || message.deleted || message.content === '') return null;
  if (message.content.trim() === '!ping') return 'pong';
  return `echo: ${message.content}`;
}

const client = new PneumaticClient({ baseUrl, token });
const me = await client.me();
if (!me.is_bot) console.error(`warning: ${me.username} is not a bot account; answering anyway`);
const session = await client.connect();

session.on('message', (message) => {
  // Never another bot's messages: two echo bots would answer each other forever.
  const sender = session.state.conversation(message.conversation_id)?.members.find((m) => m.user_id === message.sender_id);
  if (sender?.is_bot) return;
  const answer = answerTo(message, me.id);
  if (answer === null) return;
  session.send(message.conversation_id, answer, { replyToId: message.message_id }).catch((error: unknown) => console.error('send failed:', error));
});
// Added to a conversation while running: messages from here on are answered (the ones before are history).
session.on('member.added', ({ conversation, user_id }) => {
  if (user_id === me.id) process.stdout.write(`joined ${conversation.id}\n`);
});
session.on('state', ({ state }) => {
  if (state === 'live') process.stdout.write('ready\n');
});
if (session.connectionState === 'live') process.stdout.write('ready\n');

const stop = () => {
  client.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
