// Builds the browser assets the service serves, into the directory given (node client/build.mjs <out>):
//   tracker.js   the tracker for a <script> tag (window.engage), minified
//   tracker.mjs  the same as an ES module (`import { engage } from '…/tracker.mjs'`)
//   index.html, demo.js, demo.css   the demo page at `/` (React and the components, bundled)
// root build.mjs runs it into dist/public on every build.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
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
