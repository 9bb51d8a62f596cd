/**
 * Frames sent to one socket during one turn of the event loop leave in one write.
 *
 * `ws` writes every frame on its own (a writev of header and payload), and on loopback or a LAN
 * that syscall, with the TCP work it sets off, is most of what a delivery costs. A send settles
 * its whole batch of writer-thread commits in one turn, and the sender's socket gets its own
 * delivery and then, a few promise reactions later, its ack: corked until the turn's promise
 * reactions have run, they go out together, and the profile of the direct-messages benchmark
 * halves its time in writev.
 */
import type { Writable } from 'node:stream';

/** What a coalesced socket needs: Node's own cork and uncork (net.Socket has them). */
export type Corkable = Pick<Writable, 'cork' | 'uncork'>;

let corked = new Set<Corkable>();
let flushScheduled = false;

/**
 * Holds the socket's writes until the current callback and every promise reaction it set off
 * have run: a nextTick queued from a promise reaction runs once the microtask queue is empty.
 * Cheap to call for every frame; the socket is corked once per turn.
 */
export function coalesceWrites(socket: Corkable): void {
  if (corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  if (!flushScheduled) {
    flushScheduled = true;
    process.nextTick(flush);
  }
}

function flush(): void {
  flushScheduled = false;
  // A socket corked again while this runs belongs to the next flush.
  const sockets = corked;
  corked = new Set();
  // uncork on a destroyed socket does nothing, so a socket closed meanwhile needs no care.
  for (const socket of sockets) socket.uncork();
}
