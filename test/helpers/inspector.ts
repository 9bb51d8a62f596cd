/**
 * Full garbage collections in a server process, through the V8 inspector it opens when started
 * with `--inspect=127.0.0.1:0`: memory figures taken right after one are what the process
 * retains, not wherever V8's collector happened to be (heap used swings by 60 MiB and more
 * between collections under load, which a growth bound cannot tell from a leak).
 */
import WebSocket from 'ws';
import type { ServerProcess } from './server-process.js';

/** The node option that makes a spawned server open its inspector on a free loopback port. */
export const INSPECT_ARG = '--inspect=127.0.0.1:0';

function inspectorUrl(server: ServerProcess): string {
  const match = /Debugger listening on (ws:\/\/\S+)/.exec(server.output());
  if (!match) throw new Error(`the server has no inspector: start it with ${INSPECT_ARG}`);
  return match[1]!;
}

/** Runs `HeapProfiler.collectGarbage` (a full, compacting collection) in the server's main thread. */
export async function collectGarbage(server: ServerProcess): Promise<void> {
  const ws = new WebSocket(inspectorUrl(server));
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('HeapProfiler.collectGarbage did not answer in 30 s')), 30_000);
      ws.on('message', (data) => {
        const reply = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
        if (reply.id !== 1) return;
        clearTimeout(timer);
        if (reply.error) reject(new Error(reply.error.message));
        else resolve();
      });
      ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    });
  } finally {
    ws.close();
  }
}
