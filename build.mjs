// Builds dist/ without taking it away from a service, worker or CLI that runs from it.
//
//   node build.mjs             build now (npm run build)
//   node build.mjs --if-stale  build only when an input changed since dist/ was built (the npm scripts)
//   node build.mjs --check     build nothing; exit 1, saying why, when dist/ is missing or stale
//
// `nest build` empties dist/ (deleteOutDir) and then writes it for about ten seconds: anything
// started from dist/ meanwhile found files missing, and every `npm run apikey` or migration call
// did that to a running service. Here Nest builds into a fresh directory beside dist/ (the same
// depth, so the source maps still point at src/), and once the build has succeeded two renames
// put it in place of the old one; a failed build leaves dist/ as it was. A running process keeps
// the modules it has loaded; between the two renames (microseconds) dist/ does not exist.
//
// dist/.build-inputs records the size and mtime of every input, so a change, an addition and a
// deletion all make dist/ stale, and a call with nothing changed costs a stat of each input.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));
const DIST = join(ROOT, 'dist');
const STAMP = '.build-inputs';
const LOCK = join(ROOT, '.dist-build.lock');
/** Input directories; unit tests (*.spec.ts) are not built (tsconfig.build.json). client/ holds the browser assets. */
const SOURCE_DIRS = ['src', 'migrations', 'client'];
/** Input files: the compiler's and Nest's configuration, and the lockfile (the Swagger plugin's version). */
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];

/** `{ path: "size mtime" }` of every input, paths relative to the project. */
function readInputs() {
  const inputs = {};
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith('.spec.ts')) record(path);
    }
  };
  const record = (path) => {
    const stat = statSync(path);
    inputs[relative(ROOT, path)] = `${stat.size} ${stat.mtimeMs}`;
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir));
  for (const file of CONFIG_FILES) if (existsSync(join(ROOT, file))) record(join(ROOT, file));
  return inputs;
}

/** Why dist/ is stale (the first input that differs), or null when it is up to date. */
function staleReason(inputs) {
  let built;
  try {
    built = JSON.parse(readFileSync(join(DIST, STAMP), 'utf8'));
  } catch {
    return existsSync(DIST) ? `dist/ has no ${STAMP} (built by another command)` : 'dist/ does not exist';
  }
  for (const [path, state] of Object.entries(inputs)) {
    if (!(path in built)) return `${path} is new`;
    if (built[path] !== state) return `${path} changed`;
  }
  for (const path of Object.keys(built)) if (!(path in inputs)) return `${path} was deleted`;
  return null;
}

/** Builds into a fresh directory and swaps it in place of dist/; throws when the build fails. */
function buildAndSwap(inputs) {
  const staging = join(ROOT, `.dist-build-${process.pid}`);
  const tsconfig = `${staging}.tsconfig.json`;
  const nestConfig = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8'));
  const baseTsconfig = nestConfig.compilerOptions?.tsConfigPath ?? 'tsconfig.build.json';
  // Nest resolves --path from the working directory, so the temporary config sits in the project.
  // A fresh directory has nothing to be incremental about.
  writeFileSync(
    tsconfig,
    JSON.stringify({ extends: `./${baseTsconfig}`, compilerOptions: { outDir: `./${relative(ROOT, staging)}`, incremental: false } }),
  );
  try {
    const nest = createRequire(import.meta.url).resolve('@nestjs/cli/bin/nest.js');
    // Nest's output goes to stderr: `npm run openapi > openapi.json` keeps stdout for the document.
    const result = spawnSync(process.execPath, [nest, 'build', '--path', relative(ROOT, tsconfig)], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (result.status !== 0) throw new Error(`nest build failed (exit ${result.status ?? result.signal}); dist/ is unchanged`);
    // The browser assets the service serves (/tracker.js), bundled by esbuild into dist/public.
    const clientBuild = join(ROOT, 'client', 'build.mjs');
    if (existsSync(clientBuild)) {
      const client = spawnSync(process.execPath, [clientBuild, join(staging, 'public'), '--library', join(staging, 'client')], {
        cwd: ROOT,
        stdio: ['ignore', 2, 2],
      });
      if (client.status !== 0) throw new Error(`client build failed (exit ${client.status ?? client.signal}); dist/ is unchanged`);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(tsconfig, { force: true });
  }
  writeFileSync(join(staging, STAMP), JSON.stringify(inputs));
  // npm makes the bin targets executable when the package is installed; the same here, so a
  // symlink to one (as node_modules/.bin holds) runs in this checkout too.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const target of Object.values(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {}))) {
    const inDist = relative(DIST, join(ROOT, target));
    if (!inDist.startsWith('..') && existsSync(join(staging, inDist))) chmodSync(join(staging, inDist), 0o755);
  }
  const old = join(ROOT, `.dist-old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  try {
    renameSync(staging, DIST);
  } catch (error) {
    if (existsSync(old)) renameSync(old, DIST);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

function lockAgeMs() {
  try {
    return Date.now() - statSync(LOCK).mtimeMs;
  } catch {
    return 0;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** One build at a time: concurrent calls (two CLI calls, parallel test workers) wait for it. */
async function withBuildLock(work) {
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {
      // the holder has not written its pid yet
    }
    // A lock left by a build that was killed would otherwise block every later one.
    const orphaned = Number.isInteger(holder) && holder > 0 ? !isAlive(holder) : lockAgeMs() > 60_000;
    if (orphaned) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (waited === 0) process.stderr.write('Waiting for another build of dist/…\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  writeFileSync(join(LOCK, 'pid'), String(process.pid));
  try {
    // What a killed build left behind.
    for (const entry of readdirSync(ROOT)) {
      if (/^\.dist-(build|old)-\d+(\.tsconfig\.json)?$/.test(entry)) rmSync(join(ROOT, entry), { recursive: true, force: true });
    }
    return work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

async function main(mode) {
  if (mode === '--check') {
    const reason = staleReason(readInputs());
    if (reason) process.stderr.write(`dist/ is stale: ${reason}. Run \`npm run build\`.\n`);
    return reason ? 1 : 0;
  }
  if (mode !== undefined && mode !== '--if-stale') {
    process.stderr.write('Usage: node build.mjs [--if-stale | --check]\n');
    return 2;
  }
  if (mode === '--if-stale' && staleReason(readInputs()) === null) return 0;
  return withBuildLock(() => {
    // Read again under the lock: another call may have just built the same sources.
    const inputs = readInputs();
    const reason = staleReason(inputs);
    if (mode === '--if-stale' && reason === null) return 0;
    process.stderr.write(`Building dist/${reason ? ` (${reason})` : ''}…\n`);
    buildAndSwap(inputs);
    return 0;
  });
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
