import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { PROJECT_ROOT } from './support/service-process';

const LIBRARY = join(PROJECT_ROOT, 'dist', 'client');

/**
 * The package's front-end entries as a host app takes them (`@engage-oss/nest/react`): the built
 * CommonJS and ES module files, client components, renderable on a server (nothing browser-only
 * runs at import or render), with their types.
 */
describe('The React entry of the package (built)', () => {
  it('is a client module in both formats, with types', () => {
    for (const file of ['react.cjs', 'react.mjs']) expect(readFileSync(join(LIBRARY, file), 'utf8').startsWith('"use client";')).toBe(true);
    const types = readFileSync(join(LIBRARY, 'types', 'react', 'index.d.ts'), 'utf8');
    expect(types).toContain('NotificationBell');
    expect(types).toContain('NotificationSettings');
    expect(readFileSync(join(LIBRARY, 'types', 'sdk', 'index.d.ts'), 'utf8')).toContain('EngageClient');
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(pkg.exports['./react']).toEqual({
      types: './dist/client/types/react/index.d.ts',
      import: './dist/client/react.mjs',
      require: './dist/client/react.cjs',
    });
  });

  it('renders the bell and the settings on a server, from CommonJS and from the ES module alike', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fromCjs = require(join(LIBRARY, 'react.cjs'));
    const fromEsm = await import(join(LIBRARY, 'react.mjs'));
    for (const entry of [fromCjs, fromEsm]) {
      const bell = renderToString(createElement(entry.NotificationBell, { userId: 'ada', token: 'a-token' }));
      expect(bell).toContain('aria-label="Notifications"');
      expect(bell).toContain('aria-expanded="false"');
      const settings = renderToString(createElement(entry.NotificationSettings, { userId: 'ada', token: 'a-token' }));
      expect(settings).toContain('Loading');
      expect(typeof entry.EngageClient).toBe('function');
    }
  });
});
