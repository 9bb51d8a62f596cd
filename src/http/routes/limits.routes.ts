import { ServerLimits, toServerLimits } from '@pneumatic/protocol';
import { limitsFromConfig } from '../../app.js';
import type { RouteContext, TypedApp } from '../route-context.js';

/** `GET /limits`: the input limits this server enforces (public), so clients validate against them. */
export function limitsRoutes(app: TypedApp, { config }: RouteContext): void {
  const limits = toServerLimits(limitsFromConfig(config), { bodyMaxBytes: config.BODY_MAX_BYTES, wsMaxFrameBytes: config.WS_MAX_FRAME_BYTES });
  app.get('/limits', { schema: { tags: ['operations'], summary: 'The input limits this server enforces', response: { 200: ServerLimits } } }, async () => limits);
}
