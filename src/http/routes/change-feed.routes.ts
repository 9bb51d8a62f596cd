import zlib from 'node:zlib';
import compress from '@fastify/compress';
import { EventsPage, SYNC_BODY_MAX_BYTES, SyncResponse } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

const DEFAULT_EVENTS = 100;
/**
 * Feed answers are repetitive JSON (about 500 bytes per event, a 500-conversation sync runs to
 * megabytes) and shrink about 15× under gzip: compressed when the client accepts it. Brotli at
 * its default quality 11 would cost more CPU than the sync itself, so quality 4.
 */
const COMPRESSED = { compress: { brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } } } as const;
/**
 * The response schemas stay (they document the answers in OpenAPI), but these answers are
 * serialized with JSON.stringify: fast-json-stringify picks a branch of every union (an event is
 * one of three shapes, a sync entry one of three) by validating each value against the
 * branches, which for 5,000 events cost more than reading them. The objects are built field by
 * field by the store and the service, so there is nothing extra to strip.
 */
const PLAIN_JSON = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) } as const;
const DEFAULT_SNAPSHOT_MESSAGES = 50;

/** The change feed (docs/API.md, "Change feed"): a conversation's events, and one-request sync. */
export const changeFeedRoutes: RoutePlugin = async (app, { services, schemas, config }) => {
  const tags = ['change feed'];
  // Registered here rather than on the whole app: even with `global: false` the plugin hooks
  // every route of its context, a cost each request to any other route would pay for nothing.
  // Off unless a route asks (COMPRESSED): small answers cost more CPU to compress than they save.
  await app.register(compress, { global: false, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });

  app.get(
    '/conversations/:id/events',
    {
      ...COMPRESSED,
      ...PLAIN_JSON,
      schema: {
        tags,
        summary: 'The events after a position, each with the current state of what it changed',
        params: schemas.ConversationParams,
        querystring: schemas.EventsQuery,
        response: responses({ 200: EventsPage }),
      },
    },
    async (request) =>
      services.changeFeed.events(principalOf(request).user.id, request.params.id, request.query.after ?? 0, request.query.limit ?? DEFAULT_EVENTS),
  );

  app.post(
    '/sync',
    {
      // Up to 10,000 positions: more than the general body limit allows.
      bodyLimit: Math.max(SYNC_BODY_MAX_BYTES, config.BODY_MAX_BYTES),
      ...COMPRESSED,
      ...PLAIN_JSON,
      schema: {
        tags,
        summary: 'Bring a device up to date: events past each position, new conversations, gone ones, read positions',
        body: schemas.Sync,
        response: responses({ 200: SyncResponse }),
      },
    },
    async (request) => {
      const positions = new Map<string, number>();
      for (const [id, position] of Object.entries(request.body.conversations)) {
        // Ids are compared lower-case; the same id twice in different case keeps the older position.
        const key = id.toLowerCase();
        positions.set(key, Math.min(position, positions.get(key) ?? position));
      }
      return services.changeFeed.sync(principalOf(request).user.id, {
        positions,
        limit: request.body.limit ?? DEFAULT_EVENTS,
        messagesLimit: request.body.messages_limit ?? DEFAULT_SNAPSHOT_MESSAGES,
      });
    },
  );
};
