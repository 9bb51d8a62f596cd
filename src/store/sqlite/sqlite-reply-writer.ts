/**
 * Replies on the SQLite writer thread (docs/API.md, "Replies and threads"): a send naming
 * `reply_to_id` and/or `thread_root_id` is written in the same batch transaction as the plain
 * sends around it (its own savepoint), so it never waits for the write lock beside the writer,
 * and the thread's summary is updated in the reply's transaction. The batch holds the write
 * lock, so the checks below hold until commit and concurrent replies count exactly.
 *
 * Same rules as the PostgreSQL path (store/repositories/thread-append.ts): a message_id already
 * stored answers with it; the root and the quoted message must be the conversation's, not
 * deleted, the root not itself a reply (refused: nothing written); then the counter row moves
 * (event_seq by two for a thread reply: its `message.created` and the root's `thread.updated`),
 * the message is inserted (with its mentions and their marks), the root's summary and version
 * written, both events logged, and the
 * sender (and the root's author, unless they unfollowed) follow the thread.
 */
import type SQLite from 'better-sqlite3';
import type { NewReply, ReplyRefusal } from '../../domain/ports/repositories.js';
import { markTargets, mentionColumns } from '../mention-marks.js';
import type { MessageRow } from '../rows.js';
import type { WriteOutcome } from './sqlite-writer.protocol.js';

interface Subject {
  conversation_id: string;
  thread_root_id: string | null;
  deleted_at: string | null;
}

/** Prepares the statements once (after migrations: the writer starts on a migrated database). */
export function replyWriter(db: SQLite.Database): (reply: NewReply) => WriteOutcome {
  const existing = db.prepare<[string], MessageRow>('select * from messages where message_id = ?');
  const subject = db.prepare<[string], Subject>('select conversation_id, thread_root_id, deleted_at from messages where message_id = ?');
  const bump = db.prepare<[number, string, string], { last_seq: number; last_event_seq: number }>(
    'update conversations set last_seq = last_seq + 1, last_event_seq = last_event_seq + ?, last_activity_at = ? ' +
      'where id = ? returning last_seq, last_event_seq',
  );
  const insert = db.prepare<[string, string, string, string, number, string, number, string | null, string | null, string, number, string], MessageRow>(
    'insert into messages (message_id, conversation_id, sender_id, content, seq, created_at, edited_at, deleted_at, version, reply_to_id, thread_root_id, mentions, mentions_all, attachments) ' +
      'values (?, ?, ?, ?, ?, ?, null, null, ?, ?, ?, ?, ?, ?) returning *',
  );
  // Attaching (docs/API.md, "Files and images"): the uploads must still be the sender's and
  // ready; the batch holds the write lock, so the clean-up job cannot take one in between.
  const attachableCount = db.prepare<[string, string], { n: number }>(
    "select count(*) as n from uploads where owner_id = ? and status = 'ready' and id in (select value from json_each(?))",
  );
  const markAttached = db.prepare<[string]>('update uploads set attached = 1 where id in (select value from json_each(?))');
  const insertAttachment = db.prepare<[string, string, number]>('insert into message_attachments (message_id, upload_id, position) values (?, ?, ?)');
  const insertMark = db.prepare<[string, number, string | null, string]>(
    'insert into mention_marks (conversation_id, seq, user_id, sender_id) values (?, ?, ?, ?)',
  );
  const logEvent = db.prepare<[string, number, string, string, string, string]>(
    'insert into conversation_events (conversation_id, event_seq, type, actor_id, message_id, user_id, created_at) values (?, ?, ?, ?, ?, null, ?)',
  );
  const updateRoot = db.prepare<[string, string, number, string], MessageRow>(
    'update messages set thread_reply_count = thread_reply_count + 1, thread_last_reply_at = ?, thread_last_reply_id = ?, version = ? ' +
      'where message_id = ? returning *',
  );
  const followAsPoster = db.prepare<[string, string, string, number]>(
    'insert into thread_reads (user_id, message_id, conversation_id, following, last_read_seq) values (?, ?, ?, 1, ?) ' +
      'on conflict (user_id, message_id) do update set following = 1, last_read_seq = excluded.last_read_seq',
  );
  const followAsAuthor = db.prepare<[string, string, string]>(
    'insert into thread_reads (user_id, message_id, conversation_id, following, last_read_seq) values (?, ?, ?, 1, 0) ' +
      'on conflict (user_id, message_id) do nothing',
  );

  function refusal(reply: NewReply): ReplyRefusal | null {
    if (reply.thread_root_id !== null) {
      const root = subject.get(reply.thread_root_id);
      if (!root || root.conversation_id !== reply.conversation_id) return 'root_unknown';
      if (root.thread_root_id !== null) return 'root_nested';
      if (root.deleted_at !== null) return 'root_deleted';
    }
    if (reply.reply_to_id !== null) {
      const target = subject.get(reply.reply_to_id);
      if (!target || target.conversation_id !== reply.conversation_id) return 'target_unknown';
      if (target.deleted_at !== null) return 'target_deleted';
    }
    const attachments = reply.attachments ?? [];
    if (attachments.length > 0 && attachableCount.get(reply.sender_id, JSON.stringify(attachments.map((a) => a.id)))!.n !== attachments.length) {
      return 'attachment_unavailable';
    }
    return null;
  }

  return (reply) => {
    const stored = existing.get(reply.message_id);
    if (stored) return { kind: 'existing', row: stored };
    const refused = refusal(reply);
    if (refused) return { kind: 'refused', reason: refused };
    const rootId = reply.thread_root_id;
    const createdAt = new Date().toISOString();
    const counter = bump.get(rootId === null ? 1 : 2, createdAt, reply.conversation_id);
    if (!counter) throw Object.assign(new Error(`conversation ${reply.conversation_id} vanished`), { code: 'NOT_FOUND' });
    const eventSeq = counter.last_event_seq - (rootId === null ? 0 : 1);
    const { message_id, conversation_id, sender_id, content, reply_to_id } = reply;
    const columns = mentionColumns(reply.mentions);
    const attachments = reply.attachments ?? [];
    const row = insert.get(message_id, conversation_id, sender_id, content, counter.last_seq, createdAt, eventSeq, reply_to_id, rootId, columns.mentions, columns.mentions_all, JSON.stringify(attachments))!;
    if (attachments.length > 0) {
      markAttached.run(JSON.stringify(attachments.map((a) => a.id)));
      attachments.forEach((attachment, position) => insertAttachment.run(message_id, attachment.id, position));
    }
    logEvent.run(conversation_id, eventSeq, 'message.created', sender_id, message_id, createdAt);
    for (const target of markTargets(sender_id, reply.mentions)) insertMark.run(conversation_id, counter.last_seq, target, sender_id);
    if (rootId === null) return { kind: 'created', row };
    const root = updateRoot.get(createdAt, message_id, eventSeq + 1, rootId)!;
    logEvent.run(conversation_id, eventSeq + 1, 'thread.updated', sender_id, rootId, createdAt);
    followAsPoster.run(sender_id, rootId, conversation_id, counter.last_seq);
    if (root.sender_id !== sender_id) followAsAuthor.run(root.sender_id, rootId, conversation_id);
    return { kind: 'created', row, root };
  };
}
