/**
 * A loopback proxy in front of Redis that loses pub/sub deliveries: it forwards every command
 * and reply unchanged, but drops a given share of the `message` / `pmessage` pushes Redis sends
 * to subscribers, as a network or a Redis failover can. Publishers still get their replies, so
 * a server believes its publish went out: only the receiving side misses it.
 *
 * It reads the server → client stream as RESP (RESP2 or RESP3, which ioredis negotiates) to
 * find where each value ends; nothing else is interpreted.
 */
import type { Socket } from 'node:net';
import { startProxyCore } from './proxy-core.js';

export interface LossyRedisProxy {
  port: number;
  /** Share of pushes to drop from now on, 0 to 1. */
  setLoss(share: number): void;
  /** Pushes dropped so far. */
  dropped(): number;
  close(): Promise<void>;
}

/** The end offset of the RESP value starting at `start`, or -1 if the buffer does not hold all of it yet. */
function valueEnd(buffer: Buffer, start: number): number {
  if (start >= buffer.length) return -1;
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buffer[start]!);
  const header = buffer.toString('latin1', start + 1, lineEnd);
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case '#':
    case ',':
    case '(':
      return lineEnd + 2;
    case '$':
    case '=':
    case '!': {
      const length = Number(header);
      if (length < 0) return lineEnd + 2;
      const end = lineEnd + 2 + length + 2;
      return end <= buffer.length ? end : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      // Maps and attributes hold pairs; an attribute is followed by the value it describes.
      const count = Number(header) * (type === '%' || type === '|' ? 2 : 1) + (type === '|' ? 1 : 0);
      let offset = lineEnd + 2;
      for (let i = 0; i < count; i++) {
        offset = valueEnd(buffer, offset);
        if (offset < 0) return -1;
      }
      return offset;
    }
    default:
      throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
  }
}

/** Whether the complete value is a pub/sub delivery (`*3`/`>3` `$7 message ...`, or `pmessage`, `smessage`). */
function isDelivery(value: Buffer): boolean {
  const text = value.toString('latin1', 0, Math.min(value.length, 32));
  return /^[*>][34]\r\n\$[78]\r\n[ps]?message\r\n/.test(text);
}

export async function startLossyRedisProxy(targetHost: string, targetPort: number): Promise<LossyRedisProxy> {
  let loss = 0;
  let dropped = 0;
  // Commands pass unchanged; replies are cut into whole RESP values and deliveries may be dropped.
  const forwardReplies = (upstream: Socket, client: Socket) => {
    let pending: Buffer = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let start = 0;
      const kept: Buffer[] = [];
      for (let end = valueEnd(pending, start); end > 0; end = valueEnd(pending, start)) {
        const value = pending.subarray(start, end);
        if (isDelivery(value) && Math.random() < loss) dropped++;
        else kept.push(value);
        start = end;
      }
      pending = pending.subarray(start);
      if (kept.length > 0) client.write(Buffer.concat(kept));
    });
  };
  const proxy = await startProxyCore({ target: () => ({ host: targetHost, port: targetPort }), forwardReplies });
  return {
    port: proxy.port,
    setLoss: (share) => {
      loss = share;
    },
    dropped: () => dropped,
    close: proxy.close,
  };
}
