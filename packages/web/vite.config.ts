/** Builds the web app into packages/web/dist: `vite build packages/web` from the repository root. */
import { fileURLToPath } from 'node:url';
import { build, defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { formatReport, measureFirstLoad } from './scripts/check-size.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

/** Prints the first-load JS size after every build and fails the build above the budget. */
function bundleBudget(): Plugin {
  return {
    name: 'pneumatic-bundle-budget',
    apply: 'build',
    closeBundle() {
      const report = measureFirstLoad(outDir);
      console.warn(formatReport(report));
      if (!report.withinBudget) throw new Error('The first-load JavaScript is over the 100 KB gzip budget.');
    },
  };
}

/**
 * Builds src/sw/sw.ts into dist/sw.js, after the app: a classic script with nothing shared with
 * the app's chunks (a worker served from the root, so its scope is the whole app, and one that
 * every browser can run, module workers not being universal yet).
 */
function serviceWorker(): Plugin {
  return {
    name: 'pneumatic-service-worker',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root,
        // public/: the web manifest and its icons, copied as they are to dist/ (served at /).
  publicDir: 'public',
        logLevel: 'warn',
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          target: 'es2022',
          sourcemap: false,
          lib: { entry: 'src/sw/sw.ts', formats: ['iife'], name: 'pneumaticServiceWorker', fileName: () => 'sw.js' },
        },
      });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  // public/: the web manifest and its icons, copied as they are to dist/ (served at /).
  publicDir: 'public',
  // Workspace packages (SDK, protocol) are bundled from their TypeScript sources.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    // Keep every asset a file: inlined data: URLs would need a looser Content-Security-Policy.
    assetsInlineLimit: 0,
  },
  plugins: [bundleBudget(), serviceWorker()],
});
