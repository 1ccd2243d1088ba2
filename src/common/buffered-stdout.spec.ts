import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BufferedStdout } from './buffered-stdout';

/** The compiled module (`npm test` builds first): a child process runs JavaScript. */
const BUILT = join(__dirname, '..', '..', 'dist', 'src', 'common', 'buffered-stdout.js');

describe(BufferedStdout.name, () => {
  it('writes the lines of one event loop turn with one call, in order', async () => {
    const writes: string[] = [];
    const sut = new BufferedStdout({ write: (text: string) => writes.push(text) });
    sut.write('a\n');
    sut.write('b\n');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    sut.write('c\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('writes at once when a turn has gathered 64 KiB', () => {
    const writes: string[] = [];
    const sut = new BufferedStdout({ write: (text: string) => writes.push(text) });
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) sut.write(line);
    expect(writes.join('')).toBe(line.repeat(64));
  });

  it('writes what is gathered before the process exits, also on an uncaught exception', () => {
    const script = `
      const { BufferedStdout } = require(${JSON.stringify(BUILT)});
      const out = new BufferedStdout();
      out.write('first\\n');
      out.write('last\\n');
      ${'throw new Error("boom");'}
    `;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(result.stdout).toBe('first\nlast\n');
    expect(result.status).not.toBe(0);
  });
});
