// Module resolution hooks (node:module `register`) behind `sluice dev`'s reloads; they run in Node's
// loader thread. ESM caches a module by its URL for the life of the process, so a changed file
// cannot be imported again under its own URL. Instead every reload generation imports the
// project's modules under URLs carrying `?sluice-gen=N`, and this hook hands that query on from an
// importer to the project files it imports, so a generation is a fresh copy of the project's own
// module graph. Everything else (packages in node_modules, Sluice's own src/) resolves as usual and
// stays one shared instance: Sluice's classes, process-wide caches and the resources they share.
import type { InitializeHook, ResolveHook } from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATION_PARAM = 'sluice-gen';

export interface FreshImportData {
  /** The project folder (a real path ending with the separator): its files are imported fresh. */
  readonly projectDir: string;
  /** Folders inside it that stay shared (Sluice's own sources when the project is its repository). */
  readonly shared: readonly string[];
}

let data: FreshImportData = { projectDir: '\0', shared: [] };

export const initialize: InitializeHook<FreshImportData> = (given) => {
  data = given;
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const result = await nextResolve(specifier, context);
  const parent = context.parentURL;
  if (!parent?.includes(`${GENERATION_PARAM}=`) || !result.url.startsWith('file:')) return result;
  const generation = new URL(parent).searchParams.get(GENERATION_PARAM);
  if (!generation) return result;
  const path = fileURLToPath(result.url);
  if (!path.startsWith(data.projectDir) || path.includes(`${sep}node_modules${sep}`) || data.shared.some((dir) => path.startsWith(dir))) return result;
  const url = new URL(result.url);
  url.searchParams.set(GENERATION_PARAM, generation);
  return { ...result, url: url.href };
};
