import { realpathSync } from 'node:fs';
import { register } from 'node:module';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GENERATION_PARAM, type FreshImportData } from './fresh-import-hooks.js';
import type { ImportModule } from './load-project.js';
import { SLUICE_ROOT } from './sluice-root.js';
import { ensureTypeScriptLoader } from './typescript-loader.js';

let registeredFor: string | undefined;
let hookPromise: Promise<void> | undefined;

/**
 * Importers of fresh copies of a project's modules, one per reload generation (see
 * fresh-import-hooks.ts): `importerFor(projectDir)(3)` imports every file under the project as
 * generation 3, re-reading what changed on disk, while packages and Sluice itself stay shared.
 * The hooks are registered once per process, for one project. Each generation's modules stay in
 * memory for the life of the process (ESM never unloads a module).
 */
export function freshImporter(projectDir: string): (generation: number) => ImportModule {
  const dir = realpathSync(projectDir) + sep;
  if (registeredFor !== undefined && registeredFor !== dir) {
    throw new Error(`fresh imports are set up for ${registeredFor}, not ${dir}: one project per process`);
  }
  registeredFor = dir;
  // Registered on the first import, after the TypeScript loader: the hooks registered last run
  // first, so these see every resolution before tsx maps it.
  const registerHooks = () =>
    (hookPromise ??= ensureTypeScriptLoader(join(dir, 'package.json')).then(() => {
      const root = realpathSync(SLUICE_ROOT);
      const data: FreshImportData = { projectDir: dir, shared: [join(root, 'src') + sep, join(root, 'dist') + sep] };
      // The hooks module beside this one: .ts when running from src/, .js when compiled.
      register(new URL(`./fresh-import-hooks${import.meta.url.endsWith('.js') ? '.js' : '.ts'}`, import.meta.url), { data });
    }));
  return (generation) => async (file) => {
    await registerHooks();
    return (await import(`${pathToFileURL(realpathSync(file)).href}?${GENERATION_PARAM}=${generation}`)) as Record<string, unknown>;
  };
}
