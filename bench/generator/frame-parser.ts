/** Reading the server's frames cheaply: the generator reads several for every one the server writes. */

export interface Frame {
  type?: string;
  message_id?: string;
  message?: { message_id: string; conversation_id: string; seq: number; content: string };
  code?: string;
  detail?: string;
}

/** Reads a JSON string value after `"key":"` at or after `from`; null when absent. */
function stringAfter(text: string, key: string, from = 0): string | null {
  const at = text.indexOf(key, from);
  if (at < 0) return null;
  const start = at + key.length;
  const end = text.indexOf('"', start);
  return end < 0 ? null : text.slice(start, end);
}

/**
 * The generator must read several frames for every one the server sends it, so it avoids a full
 * JSON.parse for the two hot frame types (message, ack): their fields are plain ASCII (UUIDs,
 * integers, our own content). Anything unexpected falls back to JSON.parse.
 */
export function fastParse(text: string): Frame | null {
  if (text.startsWith('{"type":"message","message":{')) {
    const messageId = stringAfter(text, '"message_id":"');
    const conversationId = stringAfter(text, '"conversation_id":"');
    const content = stringAfter(text, '"content":"');
    const seqAt = text.indexOf('"seq":');
    if (messageId === null || conversationId === null || content === null || seqAt < 0) return null;
    const seq = parseInt(text.slice(seqAt + 6, seqAt + 18), 10);
    if (!Number.isFinite(seq)) return null;
    return { type: 'message', message: { message_id: messageId, conversation_id: conversationId, seq, content } };
  }
  if (text.startsWith('{"type":"ack","message_id":"')) {
    const messageId = stringAfter(text, '"message_id":"');
    return messageId === null ? null : { type: 'ack', message_id: messageId };
  }
  return null;
}
