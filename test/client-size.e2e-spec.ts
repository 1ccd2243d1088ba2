import { build } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from './support/service-process';

const KB = 1024;

/**
 * The front end's size budgets (minified, gzipped, React excluded), measured as a host's bundler
 * takes each component: with the SDK it needs, split where it loads lazily. The closed bell is
 * the bell's own chunk; opened, its popover's chunk comes too.
 */
async function chunks(entry: string): Promise<Array<{ path: string; gzipped: number }>> {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    outdir: join(PROJECT_ROOT, 'dist', 'size-check'),
    write: false,
    jsx: 'automatic',
    target: 'es2020',
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    logLevel: 'silent',
  });
  return result.outputFiles.map((file) => ({ path: file.path, gzipped: gzipSync(file.contents, { level: 9 }).length }));
}

describe('Front-end size budgets', () => {
  it('keeps the closed bell within 5 KB and the bell with its popover within 20 KB', async () => {
    const files = await chunks('client/react/notification-bell.tsx');
    const closed = files.filter((file) => !file.path.includes('notification-popover'));
    const sum = (list: typeof files) => list.reduce((total, file) => total + file.gzipped, 0);
    expect({ closed: sum(closed), within: sum(closed) <= 5 * KB }).toEqual({ closed: sum(closed), within: true });
    expect({ open: sum(files), within: sum(files) <= 20 * KB }).toEqual({ open: sum(files), within: true });
    expect(files.some((file) => file.path.includes('notification-popover'))).toBe(true);
  });

  it.each([
    ['NotificationSettings', 'client/react/notification-settings.tsx', 12 * KB],
    ['the tracker', 'client/tracker/global.ts', 3 * KB],
  ])('keeps %s within its budget', async (_name, entry, budget) => {
    const total = (await chunks(entry)).reduce((sum, file) => sum + file.gzipped, 0);
    expect({ entry, total, within: total <= budget }).toEqual({ entry, total, within: true });
  });
});
