import type { ClientFrame, ClientFrameType } from '@pneumatic/protocol';
import type { ServerMetrics } from '../../observability/metrics.js';
import type { PresenceTracker } from '../../presence/presence-tracker.js';
import type { Services } from '../../services.js';
import type { Connection } from '../connection.js';

export interface HandlerContext {
  services: Services;
  metrics: ServerMetrics;
  presence: Pick<PresenceTracker, 'activity'>;
}

/** Handles one validated client frame; throwing answers the client with an error frame. */
export type FrameHandler<T extends ClientFrameType> = (ctx: HandlerContext, connection: Connection, frame: ClientFrame<T>) => Promise<void>;
