import { ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './support/service-process';
import { makeTempDir } from './support/temp-dir';

const run = promisify(execFile);
// Jest's NODE_EXTRA_CA_CERTS is relative to the project: a child in another directory would warn.
const { NODE_EXTRA_CA_CERTS: _certs, ...childEnv } = process.env;

/**
 * build.mjs on a project of two files that borrows Engage's node_modules: the real `nest build`,
 * seconds instead of the service's ten, and nothing done to the dist/ other tests run from.
 */
function makeProject(dir: string): void {
  copyFileSync(join(PROJECT_ROOT, 'build.mjs'), join(dir, 'build.mjs'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'mini', private: true, bin: { mini: 'dist/src/main.js' } }));
  writeFileSync(
    join(dir, 'nest-cli.json'),
    JSON.stringify({ sourceRoot: 'src', compilerOptions: { deleteOutDir: true, tsConfigPath: 'tsconfig.build.json' } }),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'ES2023',
        strict: true,
        outDir: './dist',
        rootDir: '.',
        sourceMap: true,
        types: ['node'],
      },
      include: ['src'],
    }),
  );
  writeFileSync(
    join(dir, 'tsconfig.build.json'),
    JSON.stringify({ extends: './tsconfig.json', exclude: ['node_modules', 'dist', '**/*.spec.ts'] }),
  );
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'main.ts'), "#!/usr/bin/env node\nimport { greeting } from './greeting';\nconsole.log(greeting);\n");
  writeFileSync(join(dir, 'src', 'greeting.ts'), "export const greeting = 'hello';\n");
}

async function build(dir: string, ...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [join(dir, 'build.mjs'), ...args], { cwd: dir, env: childEnv, timeout: 60_000 });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

/** Leaves a file in dist/ that only a rebuild would take away. */
function markDist(dir: string): { survived(): boolean } {
  const marker = join(dir, 'dist', 'marker');
  writeFileSync(marker, 'still here');
  const inode = statSync(join(dir, 'dist')).ino;
  return { survived: () => existsSync(marker) && statSync(join(dir, 'dist')).ino === inode };
}

describe('build.mjs (builds dist/ beside the old one and swaps it in)', () => {
  const dir = makeTempDir('engage-build-');

  beforeAll(() => makeProject(dir.path));
  afterAll(() => dir.remove());

  it('reports a missing dist/ as stale, builds it, and records the inputs', async () => {
    expect(await build(dir.path, '--check')).toEqual({ code: 1, stderr: expect.stringContaining('dist/ does not exist') });
    const built = await build(dir.path, '--if-stale');
    expect(built).toEqual({ code: 0, stderr: expect.stringContaining('Building dist/') });
    expect((await run(process.execPath, [join(dir.path, 'dist', 'src', 'main.js')], { env: childEnv })).stdout).toBe('hello\n');
    expect(Object.keys(JSON.parse(readFileSync(join(dir.path, 'dist', '.build-inputs'), 'utf8')))).toEqual(
      expect.arrayContaining(['src/main.ts', 'src/greeting.ts', 'tsconfig.json', 'nest-cli.json']),
    );
    expect(await build(dir.path, '--check')).toEqual({ code: 0, stderr: '' });
  });

  it('keeps the shebang and makes the bin entry executable, as npm does on install', async () => {
    const bin = join(dir.path, 'dist', 'src', 'main.js');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).toBe(0o111);
    expect((await run(bin, [], { env: childEnv })).stdout).toBe('hello\n');
  });

  it('does not rebuild when nothing changed: dist/ and a file left in it survive', async () => {
    const mark = markDist(dir.path);
    expect(await build(dir.path, '--if-stale')).toEqual({ code: 0, stderr: '' });
    expect(mark.survived()).toBe(true);
    // A unit test is no input of the build.
    writeFileSync(join(dir.path, 'src', 'greeting.spec.ts'), '// a unit test\n');
    expect(await build(dir.path, '--if-stale')).toEqual({ code: 0, stderr: '' });
    expect(mark.survived()).toBe(true);
  });

  it('rebuilds when a source changes, into a new dist/', async () => {
    const mark = markDist(dir.path);
    writeFileSync(join(dir.path, 'src', 'greeting.ts'), "export const greeting = 'hello again';\n");
    writeFileSync(join(dir.path, 'src', 'unused.ts'), 'export const unused = 1;\n');
    expect(await build(dir.path, '--check')).toEqual({ code: 1, stderr: expect.stringContaining('src/greeting.ts changed') });
    expect(await build(dir.path, '--if-stale')).toEqual({ code: 0, stderr: expect.stringContaining('src/greeting.ts changed') });
    expect(mark.survived()).toBe(false);
    expect((await run(process.execPath, [join(dir.path, 'dist', 'src', 'main.js')], { env: childEnv })).stdout).toBe('hello again\n');
  });

  it('rebuilds when a source is deleted, leaving no output of it behind', async () => {
    expect(existsSync(join(dir.path, 'dist', 'src', 'unused.js'))).toBe(true);
    rmSync(join(dir.path, 'src', 'unused.ts'));
    expect(await build(dir.path, '--if-stale')).toEqual({ code: 0, stderr: expect.stringContaining('src/unused.ts was deleted') });
    expect(existsSync(join(dir.path, 'dist', 'src', 'unused.js'))).toBe(false);
  });

  it('leaves dist/ as it was when the build fails, and nothing beside it', async () => {
    const mark = markDist(dir.path);
    const greeting = join(dir.path, 'src', 'greeting.ts');
    const good = readFileSync(greeting, 'utf8');
    writeFileSync(greeting, 'export const greeting: number = "not a number";\n');
    try {
      const failed = await build(dir.path, '--if-stale');
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('nest build failed');
      expect(mark.survived()).toBe(true);
      expect((await run(process.execPath, [join(dir.path, 'dist', 'src', 'main.js')], { env: childEnv })).stdout).toBe('hello again\n');
      expect(readdirSync(dir.path).filter((name) => name.startsWith('.dist'))).toEqual([]);
    } finally {
      writeFileSync(greeting, good);
    }
  });

  it('builds once when two calls find dist/ stale at the same time', async () => {
    writeFileSync(join(dir.path, 'src', 'greeting.ts'), "export const greeting = 'hello, both';\n");
    const [first, second] = await Promise.all([build(dir.path, '--if-stale'), build(dir.path, '--if-stale')]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(`${first.stderr}${second.stderr}`.match(/Building dist\//g)).toHaveLength(1);
    expect(await build(dir.path, '--check')).toEqual({ code: 0, stderr: '' });
  });

  it('never takes dist/ away from a process reading it while it rebuilds', async () => {
    // A stand-in for a running service that loads modules from dist/ (a worker thread, a lazy import).
    const reader: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); let misses = 0; const t = setInterval(() => { try { fs.readFileSync(${JSON.stringify(join(dir.path, 'dist', 'src', 'main.js'))}); } catch { misses++; } }, 2); process.on('SIGTERM', () => { clearInterval(t); process.stdout.write(String(misses)); process.exit(0); });`,
      ],
      { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let misses = '';
    reader.stdout?.on('data', (chunk: Buffer) => (misses += chunk.toString()));
    try {
      writeFileSync(join(dir.path, 'src', 'greeting.ts'), "export const greeting = 'hello, reader';\n");
      expect((await build(dir.path)).code).toBe(0);
    } finally {
      reader.kill('SIGTERM');
      await new Promise((resolve) => reader.once('exit', resolve));
    }
    // `nest build` alone empties dist/ first and refills it seconds later: on this project, 1,010 of
    // 2,394 such reads missed.
    expect(misses).toBe('0');
  });
});
