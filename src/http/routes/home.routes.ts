import type { TypedApp } from '../route-context.js';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pneumatic</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1d232a; }
  code { background: #eef1f4; padding: 0 .25rem; border-radius: 4px; }
</style>
</head>
<body>
<main>
<h1>Pneumatic</h1>
<p>A self-hostable real-time chat server: REST for everything, a WebSocket at <code>/ws</code> for live events.</p>
<ul>
  <li><a href="/docs">API documentation</a> (OpenAPI UI) and the <a href="/openapi.json">OpenAPI document</a></li>
  <li><a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>, <a href="/metrics">/metrics</a></li>
</ul>
</main>
</body>
</html>
`;

/** The landing page; the web app replaces it in a later release. */
export function homeRoutes(app: TypedApp): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
}
