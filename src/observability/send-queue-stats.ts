/**
 * What the send queues of all of a process's sockets did, for /metrics: plain numbers updated on
 * each send (a compare and an add), read only when metrics are scraped.
 */
export class SendQueueStats {
  /** The most bytes any socket of this process had waiting to be sent, since start. */
  peakBytes = 0;
  /** Sockets closed with 4008 because their peer stopped reading. */
  slowConsumersClosed = 0;
}
