/**
 * The web app at `/`: packages/web/dist (built by `npm run build`) with a strict
 * Content-Security-Policy on the page, its hashed assets under `/assets/`, and what makes it an
 * installable app with notifications: `/manifest.webmanifest`, its icons under `/icons/`, and the
 * service worker `/sw.js` (served from the root, so its scope is the whole app). Without a build,
 * `/` keeps serving the placeholder page of home.routes.ts.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { RoutePlugin } from '../route-context.js';
import { homeRoutes } from './home.routes.js';

/** From src/http/routes when run from source, from dist/src/http/routes when built. */
const DIST_CANDIDATES = ['../../../packages/web/dist/', '../../../../packages/web/dist/'];

/** A Host header we are willing to echo into the policy: a hostname or [IPv6], optional port. */
const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function findWebAppDist(): string | null {
  for (const candidate of DIST_CANDIDATES) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

/**
 * Scripts, styles and images only from this origin, no inline code, no framing. `connect-src
 * 'self'` covers ws:/wss: to the same host in CSP Level 3 browsers; the explicit socket
 * origins are for browsers that predate that rule.
 */
export function webAppContentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Files of dist/ served at the root under fixed names: not content-hashed, so revalidated on each
 * use (`no-cache`), which is also how a browser finds a new service worker promptly.
 */
const ROOT_FILES: ReadonlyArray<{ path: string; file: string; type: string; headers?: Record<string, string> }> = [
  { path: '/manifest.webmanifest', file: 'manifest.webmanifest', type: 'application/manifest+json; charset=utf-8' },
  // A worker's scope may not be wider than its script's folder without this header; / is its own folder, so it only says so.
  { path: '/sw.js', file: 'sw.js', type: 'text/javascript; charset=utf-8', headers: { 'service-worker-allowed': '/' } },
];

/** Serves the built web app, or the placeholder page when packages/web has not been built. */
export const webAppRoutes: RoutePlugin = async (app) => {
  const dist = findWebAppDist();
  if (!dist) return homeRoutes(app);
  await app.register(fastifyStatic, {
    root: join(dist, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    // File names carry a content hash: a new build gets new names.
    maxAge: '365d',
    immutable: true,
  });
  // Icons keep their names from build to build: cached for a day, not forever.
  if (existsSync(join(dist, 'icons'))) {
    await app.register(fastifyStatic, { root: join(dist, 'icons'), prefix: '/icons/', decorateReply: false, index: false, maxAge: '1d' });
  }
  for (const { path, file, type, headers } of ROOT_FILES) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) => {
      const body = await readFile(join(dist, file)).catch(() => null);
      if (!body) return reply.callNotFound();
      return reply.headers({ ...headers, 'cache-control': 'no-cache' }).type(type).send(body);
    });
  }
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const page = await readFile(join(dist, 'index.html'), 'utf8');
    return reply
      .header('content-security-policy', webAppContentSecurityPolicy(request.headers.host))
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(page);
  });
};
