import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** The heap cap when MAX_HEAP_MB is not set: a live heap of ~45 MB keeps peak RSS near 225 MB. */
export const DEFAULT_MAX_HEAP_MB = 256;

/** A heap flag given on the command line or in NODE_OPTIONS (V8 accepts `_` for `-`). */
const HEAP_FLAG = /--max[-_](old[-_]space|heap)[-_]size/;

/** Set by the launcher for its child, which then goes down with it (see watchLauncher). */
const LAUNCHER_MARK = 'ENGAGE_HEAP_CAP_LAUNCHER';

/** Signals a service manager or a terminal sends to stop the service; the child shuts down on each. */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];

/** MAX_HEAP_MB in MB (0: no cap), or a message naming the variable when it is not a valid value. */
export function parseMaxHeapMb(value: string | undefined): { mb: number } | { error: string } {
  if (value === undefined || value.trim() === '') return { mb: DEFAULT_MAX_HEAP_MB };
  const mb = /^\d{1,7}$/.test(value.trim()) ? Number(value) : NaN;
  if (mb === 0 || (mb >= 64 && mb <= 1_048_576)) return { mb };
  return { error: `MAX_HEAP_MB must be 0 (no cap) or a whole number of MB from 64 to 1048576; got "${value}"` };
}

/** The V8 heap limit of this process, in MB (the old-space cap plus the young generation). */
export function heapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
}

/**
 * Caps the V8 heap at MAX_HEAP_MB for `node dist/src/main.js` (and worker.js) started without a
 * heap flag. Returns true when this process is only the launcher: the entry must then load nothing
 * else, and the service runs in the child.
 *
 * V8 sizes its heap when the process starts: `v8.setFlagsFromString('--max-old-space-size=256')`
 * from code leaves `heap_size_limit` at its default (4144 MB on Node 20 on a 24 GB machine,
 * measured), and the heap then grows past 4 GB. So the process starts itself again, once, with the
 * flag: stdio inherited, the stop signals forwarded, the child's exit code (or signal) passed on.
 * Nothing is relaunched when a heap flag is already given (`npm start`, NODE_OPTIONS), which
 * saves the launcher (~42 MB RSS, ~7 MB of it private: the rest is the node binary both share), or
 * when MAX_HEAP_MB=0.
 */
export function relaunchWithHeapCap(): boolean {
  const capped = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => HEAP_FLAG.test(arg));
  if (capped) {
    watchLauncher();
    return false;
  }
  const setting = parseMaxHeapMb(process.env.MAX_HEAP_MB);
  if ('error' in setting) {
    process.stderr.write(`${setting.error}\n`);
    process.exit(1);
  }
  if (setting.mb === 0) return false;

  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${setting.mb}`, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [LAUNCHER_MARK]: '1' },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`Engage could not start its heap-capped process: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of FORWARDED_SIGNALS) process.off(name, forward);
    if (signal === null) process.exit(code ?? 1);
    // Ended by a signal: end the same way, so a shell or supervisor sees what it would have seen.
    process.exitCode = 128 + (constants.signals[signal] ?? 0);
    process.kill(process.pid, signal);
  });
  return true;
}

/**
 * In the launcher's child: a launcher killed outright (SIGKILL cannot be forwarded) must not
 * leave the service running as an orphan on its port and databases. Its end closes the IPC
 * channel; the child then ends as abruptly, which the delivery records handle as a crash.
 */
function watchLauncher(): void {
  if (process.env[LAUNCHER_MARK] === undefined || !process.channel) return;
  delete process.env[LAUNCHER_MARK];
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}
