// Helpers of the benchmark: start servers as their own processes, sample their memory, drive load.
import autocannon from 'autocannon';
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Starts a server process and waits until `ready(url)` resolves true; samples its RSS until stopped. */
export async function startProcess({ args, env, cwd, baseUrl, ready }) {
  let output = '';
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    if (await ready(baseUrl).catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let peak = 0;
  const sampler = setInterval(() => {
    const rss = rssMb(child.pid);
    if (rss !== null && rss > peak) peak = rss;
  }, 200);
  return {
    baseUrl,
    pid: child.pid,
    output: () => output,
    /** Peak RSS since the last reset. */
    takePeakRss: () => {
      const value = Math.max(peak, rssMb(child.pid) ?? 0);
      peak = 0;
      return Math.round(value * 10) / 10;
    },
    stop: async () => {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Runs one autocannon load; returns the figures the report keeps. */
export async function load({ url, connections, duration, requests, headers }) {
  const result = await autocannon({ url, connections, duration, requests, headers, timeout: 10 });
  return {
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

/**
 * Opens an inbox stream for each of `users` in a child process (bench/stream-clients.mjs) and
 * resolves once every one has its first event. `stop({ expected, graceMs })` waits until that
 * many notifications arrived (or graceMs passed), closes the streams and answers their latencies.
 */
export async function startStreamClients({ baseUrl, key, users }) {
  const child = fork(new URL('./stream-clients.mjs', import.meta.url), [JSON.stringify({ baseUrl, key, users })], { stdio: 'inherit' });
  const exited = once(child, 'exit');
  try {
    await new Promise((resolve, reject) => {
      const fail = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`not all of ${users.length} streams opened within 30 s`)), 30_000);
      child.on('message', (message) => {
        if (message.type === 'failed') fail(new Error(`opening the streams failed: ${message.error}`));
        if (message.type === 'opened' && message.opened === users.length) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => fail(new Error(`the stream clients exited (${code})`)));
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    stop: async ({ expected, graceMs }) => {
      const result = new Promise((resolve) => child.on('message', (message) => message.type === 'result' && resolve(message)));
      child.send({ type: 'stop', expected, graceMs });
      const figures = await result;
      await exited;
      return figures;
    },
    kill: () => child.kill('SIGKILL'),
  };
}
