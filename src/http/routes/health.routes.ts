import { Type } from 'typebox';
import type { RoutePlugin } from '../route-context.js';

const Status = Type.Object({
  status: Type.String(),
  database: Type.Optional(Type.String()),
  /** With `database: "failing"`: why writes fail (disk_full, read_only...). */
  database_reason: Type.Optional(Type.String()),
  bus: Type.Optional(Type.String()),
});
const READY_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

export const healthRoutes: RoutePlugin = async (app, { store, bus, metrics }) => {
  const tags = ['operations'];
  app.get('/healthz', { schema: { tags, summary: 'The process is up', response: { 200: Status } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    {
      schema: {
        tags,
        summary: 'The database answers and takes writes (and the bus, if configured, answers)',
        response: { 200: Status, 503: Status },
      },
    },
    async (_request, reply) => {
      // A database can answer `select 1` and still refuse every write (full disk, read-only
      // file, a standby): the store tracks how writes went and says why they fail.
      const [answers, failure] = await Promise.all([
        withTimeout(store.ping(), READY_TIMEOUT_MS).then(() => true, () => false),
        withTimeout(store.writeFailure(), READY_TIMEOUT_MS).catch(() => null),
      ]);
      const database = !answers ? 'down' : failure ? 'failing' : 'up';
      const busState = bus.isHealthy() ? 'up' : 'down';
      const ready = database === 'up' && busState === 'up';
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ok' : 'unavailable', database, ...(failure ? { database_reason: failure } : {}), bus: busState });
    },
  );

  app.get('/metrics', { schema: { tags, summary: 'Prometheus text format', hide: false } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
};
