// `npm run build` (and `prepare`, so `npm ci` runs it; bin/sluice.js runs it too when src/ changed
// since): bundles src/ into dist/ with esbuild, so the CLI and an installed copy start without
// compiling TypeScript on the fly (package.json exports dist/; the `development` condition, which
// vitest sets, gives src/). The dashboard's static files are copied beside the bundle.
//
// Bundled with code splitting from the few files loaded by path (ENTRIES): every lazily imported
// command stays its own chunk, loaded only when run, and code shared between them lands in shared
// chunks under dist/chunks/, so the public API (dist/index.js), which user projects import, and the
// CLI share one instance of every Sluice module. kysely, used by Sluice alone, is bundled in; every
// other package stays an import of node_modules, shared with the user's code (zod, ...).
// Written to a fresh folder and swapped in by rename, so a CLI starting meanwhile sees the whole
// old dist/ or the whole new one.
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

/**
 * The modules loaded by path: the CLI (bin/sluice.js), the public API (package.json exports) and the
 * loader hooks `sluice dev` registers by URL (runtime/fresh-import.ts). Each keeps its place in dist/.
 */
const ENTRIES = ['cli/main.ts', 'index.ts', 'runtime/fresh-import-hooks.ts'];

/** Packages bundled into dist/ rather than imported from node_modules: used by Sluice's code alone. */
const BUNDLED_PACKAGES = new Set(['kysely']);

/**
 * `import.meta.url` of a bundled module is its chunk's, not its own: in a module that reads it,
 * it becomes the URL the module had unbundled (its path under dist/, found from the chunk's own URL).
 */
const moduleUrls = {
  name: 'module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const id = '__sluice_module_url';
      const { code } = await build.esbuild.transform(text, { loader: 'ts', format: 'esm', define: { 'import.meta.url': id }, sourcefile: args.path, sourcemap: 'inline' });
      const own = relative(src, args.path).split(sep).join('/').replace(/\.ts$/, '.js');
      const header = `const ${id} = new URL(${JSON.stringify(own)}, import.meta.url.slice(0, import.meta.url.lastIndexOf('/dist/') + 6)).href;`;
      return { contents: `${header}${code}`, loader: 'js' };
    });
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return BUNDLED_PACKAGES.has(name) || args.path.startsWith('node:') ? undefined : { path: args.path, external: true };
    });
  },
};

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
  const { metafile } = await build({
    entryPoints: ENTRIES.map((entry) => join(src, entry)),
    outdir: next,
    outbase: src,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    plugins: [moduleUrls],
    logLevel: 'warning',
  });
  cpSync(join(src, 'web', 'static'), join(next, 'web', 'static'), { recursive: true });
  // The stamp: when the build began (a source saved during the build is newer, so dist/ is stale).
  writeFileSync(join(next, '.built-at'), String(started));
  const old = join(root, `.dist-old-${process.pid}-${started}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
  return Object.keys(metafile.inputs).length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const modules = await buildDist();
  process.stderr.write(`built dist/ from ${modules} modules (src/ and bundled packages) in ${Date.now() - started} ms\n`);
}
