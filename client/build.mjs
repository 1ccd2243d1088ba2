// Builds the browser assets the service serves, into the directory given (node client/build.mjs <out>):
//   tracker.js   the tracker for a <script> tag (window.engage), minified
//   tracker.mjs  the same as an ES module (`import { engage } from '…/tracker.mjs'`)
//   index.html, demo.js, demo.css   the demo page at `/` (React and the components, bundled)
// With --library <dir>: the package's entries, react.mjs (ES module, the popover split off),
// react.cjs (CommonJS) and their types, React left to the host.
// root build.mjs runs both on every build (dist/public, dist/client).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node client/build.mjs <output directory>');
  process.exit(2);
}

const common = { bundle: true, minify: true, target: 'es2020', platform: 'browser', legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: [join(HERE, 'tracker', 'global.ts')], format: 'iife', outfile: join(out, 'tracker.js') });
await build({ ...common, entryPoints: [join(HERE, 'tracker', 'tracker.ts')], format: 'esm', outfile: join(out, 'tracker.mjs') });
await build({
  ...common,
  entryPoints: [join(HERE, 'demo', 'demo.tsx')],
  format: 'iife',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  outfile: join(out, 'demo.js'),
});
mkdirSync(out, { recursive: true });
for (const file of ['index.html', 'demo.css']) copyFileSync(join(HERE, 'demo', file), join(out, file));

const library = process.argv.indexOf('--library');
if (library > 0) {
  const dir = process.argv[library + 1];
  const react = {
    ...common,
    minify: false,
    target: 'es2020',
    jsx: 'automatic',
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    // esbuild drops module directives when it bundles: the components are client components.
    banner: { js: '"use client";' },
  };
  await build({
    ...react,
    entryPoints: { react: join(HERE, 'react', 'index.ts') },
    format: 'esm',
    splitting: true,
    outdir: dir,
    outExtension: { '.js': '.mjs' },
  });
  await build({ ...react, entryPoints: [join(HERE, 'react', 'index.ts')], format: 'cjs', outfile: join(dir, 'react.cjs') });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const types = spawnSync(process.execPath, [tsc, '-p', join(HERE, 'tsconfig.build.json'), '--outDir', join(dir, 'types')], {
    stdio: 'inherit',
  });
  if (types.status !== 0) process.exit(types.status ?? 1);
}
