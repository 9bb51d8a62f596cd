/** Starts a worker thread on a TypeScript module of this project, from the build or from sources. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `fromUrl` is the caller's `import.meta.url`, `name` the worker module's file name without
 * extension. From the build (`node dist/src/main.js`) the caller is a `.js` file and the worker
 * is the compiled `.js` beside it: a plain `new Worker(url)`.
 *
 * From sources (tsx, Vitest) the caller is a `.ts` file, and a new thread starts without the
 * parent's TypeScript loader: tsx's `--import` hook registers itself only on the main thread
 * under Node 20, and Vitest transforms modules without any Node loader. So the thread starts on
 * a two-line bootstrap that registers tsx through its documented API (`tsx/esm/api`) and then
 * imports the `.ts` module, which then runs as ES module exactly as its compiled form does.
 * The API's ES-module entry is found through tsx's package exports, because
 * `import.meta.resolve` is missing under Vitest and `require.resolve` picks the CommonJS entry.
 * Both ways, the thread inherits the process's Node flags (e.g. --cpu-prof).
 */
export function startModuleWorker(fromUrl: string, name: string, options: Omit<WorkerOptions, 'eval'>): Worker {
  if (!fromUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, fromUrl), options);
  const entry = new URL(`./${name}.ts`, fromUrl).href;
  const bootstrap = `import(${JSON.stringify(tsxApiUrl(fromUrl))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The ES-module entry of `tsx/esm/api`, as tsx's package.json exports it. */
function tsxApiUrl(fromUrl: string): string {
  const manifestPath = createRequire(fromUrl).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const entry = manifest.exports['./esm/api']?.import.default;
  if (!entry) throw new Error('tsx does not export ./esm/api; cannot start a worker thread from sources');
  return new URL(entry, pathToFileURL(manifestPath)).href;
}
