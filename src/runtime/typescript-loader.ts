import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * Makes `import()` of a project's TypeScript modules work in a process running compiled Sluice
 * (dist/): registers tsx's loader hooks once, first loading the public API (`sluice`, dist/index.js)
 * so that its module graph is read without the hooks (each hooked import costs a round trip to the
 * loader thread; a project's `import ... from 'sluice'` then finds it loaded). Running from src/
 * (tsx or vitest already compile TypeScript) it does nothing.
 *
 * `projectFile` (a path inside the project) lets it do the same for the packages of SHARED_PACKAGES
 * that the project resolves to the very copy Sluice uses: zod's ~95 modules through the hooks cost
 * a command that loads a project with a config schema ~0.2 s of CPU and as much wall time.
 */
let ready: Promise<void> | undefined;

/** Packages Sluice depends on that a project imports too: zod, for an asset's config schema. */
const SHARED_PACKAGES = ['zod'];

export function ensureTypeScriptLoader(projectFile?: string): Promise<void> {
  ready ??= (async () => {
    if (!import.meta.url.endsWith('.js')) return;
    await import('../index.js');
    if (projectFile !== undefined) {
      for (const name of SHARED_PACKAGES) if (sameCopy(name, projectFile)) await import(name);
    }
    const { register } = await import('tsx/esm/api');
    register();
  })();
  return ready;
}

/** Whether `name` resolves from `projectFile` to the package folder it resolves to from Sluice. */
function sameCopy(name: string, projectFile: string): boolean {
  const folder = (from: string) => dirname(realpathSync(createRequire(from).resolve(`${name}/package.json`)));
  try {
    return folder(projectFile) === folder(import.meta.url);
  } catch {
    // The project cannot import it (or Sluice's copy is missing): nothing to share.
    return false;
  }
}
