/** Starts a worker thread on a TypeScript module of this project, from the build or from sources. */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `fromUrl` is the caller's `import.meta.url`, `name` the worker module's file name without
 * extension. Both ways, the thread inherits the process's Node flags (e.g. --cpu-prof).
 *
 * From the build (`node dist/src/main.js`) the caller is a `.js` file and the worker is the
 * compiled `.js` beside it: a plain `new Worker(url)`, running as an ES module.
 *
 * From sources (`node --import tsx`, Vitest) the caller is a `.ts` file, and a new thread starts
 * without the parent's TypeScript loader: tsx's `--import` hook registers itself only on the
 * main thread under Node 20, and Vitest transforms modules without any Node loader. So the
 * thread starts on a bootstrap that registers tsx's require hook (its documented `tsx/cjs/api`)
 * and requires the `.ts` module, which tsx compiles to CommonJS. tsx's ES-module hook
 * (`tsx/esm/api`) would work too, but it runs on a loader thread of its own, which costs each
 * start about four times the CPU; the require hook runs in the thread. So a worker module must
 * stay valid as CommonJS: no top-level await.
 */
export function startModuleWorker(fromUrl: string, name: string, options: Omit<WorkerOptions, 'eval'>): Worker {
  if (!fromUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, fromUrl), options);
  const tsx = createRequire(fromUrl).resolve('tsx/cjs/api');
  const entry = fileURLToPath(new URL(`./${name}.ts`, fromUrl));
  const bootstrap = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
  return new Worker(bootstrap, { ...options, eval: true });
}
