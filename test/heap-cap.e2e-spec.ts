import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runServiceExpectingExit, startService } from './support/service-process';
import { makeTempDir } from './support/temp-dir';
import { waitFor } from './support/wait-for';

/** What V8 gives a plain `node` on this machine, with and without a heap flag, in MB. */
const heapLimitOf = (...flags: string[]): number =>
  Number(
    spawnSync(process.execPath, [...flags, '-p', 'Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20)'], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    }).stdout.trim(),
  );

/** The heap limit and pid the service logged at boot. */
const bootHeapLine = (output: string): { limitMb: number; pid: number } => {
  const line = output.split('\n').find((l) => l.includes('V8 heap limit'));
  if (!line) throw new Error(`no heap limit logged:\n${output}`);
  const entry = JSON.parse(line) as { pid: number; message: string };
  return { limitMb: Number(/V8 heap limit (\d+) MB/.exec(entry.message)?.[1]), pid: entry.pid };
};

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Sends SIGTERM and returns how the process ended: [exit code, signal]. */
const terminate = async (child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> => {
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill('SIGTERM');
  return exited;
};

// `node dist/src/main.js` with no flag at all, as a platform's start command often is.
describe('The heap cap of the built service started without flags (e2e)', () => {
  it('runs the service under MAX_HEAP_MB (default 256) in a child started with the flag, and stops it on SIGTERM', async () => {
    const dir = makeTempDir('engage-heap-');
    const service = await startService(dir.path, { AUTH_DISABLED: 'true' });
    try {
      const { limitMb, pid } = bootHeapLine(service.output());
      expect(limitMb).toBe(heapLimitOf('--max-old-space-size=256'));
      expect(limitMb).toBeLessThan(heapLimitOf());
      expect(pid).not.toBe(service.child.pid);
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual([
        process.execPath,
        '--max-old-space-size=256',
        join(PROJECT_ROOT, 'dist', 'src', 'main.js'),
        '',
      ]);
      expect((await fetch(`${service.baseUrl}/api/health`)).status).toBe(200);

      // The launcher passes SIGTERM on and waits for the service's graceful shutdown.
      expect(await terminate(service.child)).toEqual([0, null]);
      expect(isRunning(pid)).toBe(false);
    } finally {
      await service.stop();
      dir.remove();
    }
  }, 40_000);

  it('takes MAX_HEAP_MB, and with MAX_HEAP_MB=0 runs uncapped in the one process', async () => {
    const dir = makeTempDir('engage-heap-');
    try {
      const larger = await startService(dir.path, { AUTH_DISABLED: 'true', MAX_HEAP_MB: '512' });
      expect(bootHeapLine(larger.output()).limitMb).toBe(heapLimitOf('--max-old-space-size=512'));
      const cappedExit = await terminate(larger.child);

      const uncapped = await startService(dir.path, { AUTH_DISABLED: 'true', MAX_HEAP_MB: '0' });
      const { limitMb, pid } = bootHeapLine(uncapped.output());
      expect(pid).toBe(uncapped.child.pid);
      expect(limitMb).toBe(heapLimitOf());
      // A shell or supervisor sees the launcher end exactly as the service itself ends.
      expect(cappedExit).toEqual(await terminate(uncapped.child));
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('leaves no orphan when the launcher is killed outright: the service goes down with it', async () => {
    const dir = makeTempDir('engage-heap-');
    const service = await startService(dir.path, { AUTH_DISABLED: 'true' });
    try {
      const { pid } = bootHeapLine(service.output());
      service.child.kill('SIGKILL');
      await once(service.child, 'exit');
      await waitFor(async () => (isRunning(pid) ? undefined : true), 5_000, `service process ${pid} to end`);
      await expect(fetch(`${service.baseUrl}/api/health`)).rejects.toThrow();
    } finally {
      dir.remove();
    }
  }, 40_000);

  it('refuses a MAX_HEAP_MB that is not 0 or a size from 64 MB, naming the variable', async () => {
    for (const value of ['lots', '16', '-1']) {
      const { code, output } = await runServiceExpectingExit(makeTempDir('engage-heap-').path, { MAX_HEAP_MB: value });
      expect(code).toBe(1);
      expect(output).toContain(`MAX_HEAP_MB must be 0 (no cap) or a whole number of MB from 64 to 1048576; got "${value}"`);
    }
  });

  it('caps the delivery worker (`node dist/src/worker.js`) the same way', async () => {
    const dir = makeTempDir('engage-heap-worker-');
    const worker = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'src', 'worker.js')], {
      cwd: dir.path,
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `engage-heap-test-${process.pid}-${Date.now()}`,
        AUTH_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const started = await waitFor(
        async () => /worker started \(V8 heap limit (\d+) MB\)/.exec(output) ?? undefined,
        20_000,
        `the worker to start:\n${output}`,
      );
      expect(Number(started[1])).toBe(heapLimitOf('--max-old-space-size=256'));
      // The worker exits 0 after its shutdown hooks (useProcessExit), and its launcher with it.
      expect(await terminate(worker)).toEqual([0, null]);
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
      dir.remove();
    }
  }, 40_000);
});
