/**
 * Shared by the fuzz suites: a server with a conversation, a control client that must receive
 * every control message sent between fuzz cases, and a watch on unhandled rejections and uncaught
 * exceptions in the process (the server runs in the test process).
 */
import { randomUUID } from 'node:crypto';
import { createConversation, registerUsers, sendMessage, type TestUser } from './api-client.js';
import { startServer, type TestServer } from './server.js';
import { TestSocket } from './ws-client.js';

/** Runs of one property: FUZZ_RUNS (nightly) or the suite's default (CI). */
export function fuzzRuns(defaultRuns: number): number {
  const configured = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(configured) && configured > 0 ? configured : defaultRuns;
}

/** A fixed seed per run, printed, so a failure can be replayed with FUZZ_SEED. */
export function fuzzSeed(): number {
  const configured = Number(process.env.FUZZ_SEED);
  return Number.isInteger(configured) ? configured : Date.now() % 2_147_483_647;
}

export interface FuzzHarness {
  server: TestServer;
  alice: TestUser;
  bob: TestUser;
  conversationId: string;
  messageId: string;
  /** Sends a control message that the control client must receive (a conversation the fuzzers never see). */
  control(): Promise<void>;
  /** Waits until the control client has every control message; returns their count. */
  verifyControl(): Promise<number>;
  /** Problems seen in the process: unhandled rejections and uncaught exceptions. */
  problems: string[];
  close(): Promise<void>;
}

export async function startFuzzHarness(env: Record<string, string> = {}): Promise<FuzzHarness> {
  const server = await startServer({ env: { RATE_LIMITS: 'off', ...env } });
  const [alice, bob, sender, receiver] = await registerUsers(server.url, 'fuzza', 'fuzzb', 'ctrls', 'ctrlr');
  const conversation = await createConversation(alice, [bob], 'fuzz');
  const message = await sendMessage(alice, conversation.id, 'first');
  // The control pair is out of the fuzzers' reach: its ids and tokens are never generated.
  const controlConversation = await createConversation(sender, [receiver], 'control');
  const socket = await TestSocket.open(server.wsUrl, { token: receiver.token });
  const sent: string[] = [];
  const problems: string[] = [];
  const onRejection = (reason: unknown) => problems.push(`unhandledRejection: ${String(reason)}`);
  const onException = (error: Error) => problems.push(`uncaughtException: ${error.message}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    server,
    alice,
    bob,
    conversationId: conversation.id,
    messageId: message.message_id,
    problems,
    async control() {
      const id = randomUUID();
      sent.push(id);
      await sendMessage(sender, controlConversation.id, 'control', id);
    },
    async verifyControl() {
      const ids = new Set(sent);
      await socket.waitForCount((f) => f.type === 'message' && ids.has(f.message.message_id), ids.size, 20_000);
      if (socket.closed) throw new Error(`the control socket closed: ${JSON.stringify(socket.closed)}`);
      return ids.size;
    },
    async close() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
      socket.close();
      await server.close();
    },
  };
}
