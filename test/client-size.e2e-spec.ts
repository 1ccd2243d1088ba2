import { build } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from './support/service-process';

/**
 * The front end's size budgets (minified, gzipped, React excluded), measured as a host's bundler
 * would take each component: with the SDK it needs. The closed bell is held to 5 KB by holding
 * the whole bell, popover and all, to it.
 */
const BUDGETS: Array<[string, string, number]> = [
  ['NotificationBell (closed, and with its popover)', 'client/react/notification-bell.tsx', 5 * 1024],
  ['NotificationSettings', 'client/react/notification-settings.tsx', 12 * 1024],
  ['the tracker', 'client/tracker/global.ts', 3 * 1024],
];

describe('Front-end size budgets', () => {
  it.each(BUDGETS)('%s stays within its budget', async (_name, entry, budget) => {
    const result = await build({
      entryPoints: [join(PROJECT_ROOT, entry)],
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      jsx: 'automatic',
      target: 'es2020',
      external: ['react', 'react-dom', 'react/jsx-runtime'],
      logLevel: 'silent',
    });
    const gzipped = gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
    expect({ entry, gzipped, within: gzipped <= budget }).toEqual({ entry, gzipped, within: true });
  });
});
