/**
 * What happens each time the socket (re)opens, before live events flow: list the user's
 * conversations, then fetch every tracked conversation's messages after its last seen seq.
 * The sequencer holds live messages meanwhile and releases them in seq order afterwards.
 */
import { messagesAfter } from '../catch-up.js';
import { PneumaticError } from '../errors.js';
import type { RestApi } from '../rest-api.js';
import type { ChatState } from '../state/chat-state.js';
import type { ConversationSummary } from '../types.js';
import type { MessageSequencer } from './message-sequencer.js';

/** Conversations caught up at once. */
const CONCURRENCY = 4;

export interface SyncContext {
  api: RestApi;
  sequencer: MessageSequencer;
  state: ChatState;
  /** Start positions the app supplied (e.g. persisted cursors), used for conversations not yet tracked. */
  initialCursors: Record<string, number>;
  /** False when a newer connection has superseded this sync: stop early. */
  current: () => boolean;
}

export interface SyncResult {
  /** Conversations seen for the first time (after the first sync: joined while offline). */
  discovered: ConversationSummary[];
  /** Conversations tracked before but no longer accessible (left or removed while offline). */
  lost: string[];
}

export async function syncAll(ctx: SyncContext): Promise<SyncResult> {
  const trackedBefore = new Set(ctx.sequencer.cursors().keys());
  const summaries = await listAllConversations(ctx.api);
  const discovered: ConversationSummary[] = [];
  for (const summary of summaries) {
    ctx.state.applySummary(summary);
    if (!trackedBefore.has(summary.id)) {
      discovered.push(summary);
      ctx.sequencer.track(summary.id, ctx.initialCursors[summary.id] ?? summary.last_seq);
    }
  }
  const listed = new Set(summaries.map((s) => s.id));
  const lost = [...trackedBefore].filter((id) => !listed.has(id));
  for (const id of lost) ctx.sequencer.forget(id);

  const queue = [...ctx.sequencer.cursors().keys()];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined && ctx.current(); id = queue.shift()) {
      if (await catchUpConversation(ctx, id)) ctx.sequencer.endCatchUp(id);
      else lost.push(id);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { discovered, lost };
}

/** Delivers every message after the cursor; false when the conversation is no longer accessible. */
export async function catchUpConversation(ctx: Pick<SyncContext, 'api' | 'sequencer' | 'current'>, conversationId: string): Promise<boolean> {
  const cursor = ctx.sequencer.cursor(conversationId);
  if (cursor === undefined) return true;
  ctx.sequencer.beginCatchUp(conversationId);
  try {
    for await (const page of messagesAfter(ctx.api, conversationId, cursor)) {
      if (!ctx.current()) return true;
      ctx.sequencer.acceptHistory(page);
    }
  } catch (error) {
    if (error instanceof PneumaticError && (error.status === 403 || error.status === 404)) {
      ctx.sequencer.forget(conversationId);
      return false;
    }
    throw error;
  }
  return true;
}

async function listAllConversations(api: RestApi): Promise<ConversationSummary[]> {
  const all: ConversationSummary[] = [];
  let before: string | undefined;
  do {
    const page = await api.listConversations({ limit: 200, ...(before ? { before } : {}) });
    all.push(...page.conversations);
    before = page.next_cursor ?? undefined;
  } while (before);
  return all;
}
