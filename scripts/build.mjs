// `npm run build` (and `prepare`, so `npm ci` runs it; bin/sluice.js runs it too when src/ changed
// since): compiles src/ to dist/, one ES module per source file (no bundling: the CLI keeps loading
// each command lazily), with the dashboard's static files beside them, so the CLI and an installed
// copy start without compiling TypeScript on the fly (package.json exports dist/; the
// `development` condition, which vitest sets, gives src/). Written to a fresh folder and swapped
// in by rename, so a CLI starting meanwhile sees the whole old dist/ or the whole new one.
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'static' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Whether dist/ was built after every file of src/ last changed. */
export function distIsCurrent() {
  let builtAt;
  try {
    builtAt = Number(readFileSync(join(dist, '.built-at'), 'utf8'));
  } catch {
    return false;
  }
  const newer = (dir) => readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs > builtAt));
  return !newer(src);
}

/** Builds dist/ from src/; returns the number of modules. */
export async function buildDist() {
  // Loaded here, not at the top: bin/sluice.js imports this file on every start to check freshness.
  const { build } = await import('esbuild');
  const started = Date.now();
  const next = join(root, `.dist-${process.pid}-${started}`);
  const entryPoints = sources(src);
  await build({ entryPoints, outdir: next, outbase: src, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' });
  cpSync(join(src, 'web', 'static'), join(next, 'web', 'static'), { recursive: true });
  // The stamp: when the build began (a source saved during the build is newer, so dist/ is stale).
  writeFileSync(join(next, '.built-at'), String(started));
  const old = join(root, `.dist-old-${process.pid}-${started}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
  return entryPoints.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const modules = await buildDist();
  process.stderr.write(`built dist/ from ${modules} modules of src/ in ${Date.now() - started} ms\n`);
}
