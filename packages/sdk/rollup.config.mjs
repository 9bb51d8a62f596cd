/**
 * The published build: tsc's output (.tmp/tsc, removed afterwards) bundled into dist/index.js
 * and dist/index.d.ts.
 *
 * The SDK takes its wire types from @pneumatic/protocol, a private workspace package that is not
 * on the registry. Its only values are the close codes (`@pneumatic/protocol/close-codes`), the
 * notification defaults (`@pneumatic/protocol/notification-defaults`), presence's limits
 * (`@pneumatic/protocol/presence-limits`), the scopes (`@pneumatic/protocol/scopes`) and the event
 * types (`@pneumatic/protocol/event-types`), plain constants, which the JS bundle inlines from the protocol's build; the
 * declarations inline the protocol's (rollup-plugin-dts `includeExternal`), which leaves
 * `typebox` (a dependency, for its `Static<>` types) as the one import of the .d.ts. Each bundle
 * fails the build if it imports anything else, so the tarball installs from the registry alone.
 */
import { join } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';

const here = (path) => join(import.meta.dirname, path);

/** Fails the build when a bundle imports a module other than `allowed`. */
function onlyImports(allowed) {
  return {
    name: 'pneumatic-only-imports',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const imports = [...chunk.imports, ...chunk.dynamicImports];
        const stray = imports.filter((id) => !allowed.includes(id));
        if (stray.length > 0) this.error(`${chunk.fileName} imports ${stray.join(', ')}; only ${allowed.join(', ')} may be imported by the published SDK`);
      }
    },
  };
}

/** Unresolved imports would stay in the bundle as bare imports: treat them as errors. */
function strict(warning, warn) {
  if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(warning.message);
  warn(warning);
}

export default [
  {
    input: here('.tmp/tsc/index.js'),
    output: { file: here('dist/index.js'), format: 'es' },
    // Loaded on demand on Node without a global WebSocket (src/session/websocket.ts).
    external: ['ws'],
    onwarn: strict,
    plugins: [nodeResolve({ resolveOnly: ['@pneumatic/protocol'] }), onlyImports(['ws'])],
  },
  {
    input: here('.tmp/tsc/index.d.ts'),
    output: { file: here('dist/index.d.ts'), format: 'es' },
    onwarn: strict,
    plugins: [dts({ includeExternal: ['@pneumatic/protocol', '@pneumatic/protocol/close-codes', '@pneumatic/protocol/notification-defaults', '@pneumatic/protocol/presence-limits'], tsconfig: here('tsconfig.json') }), onlyImports(['typebox'])],
  },
];
