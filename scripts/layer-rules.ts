import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Which layers each layer may import (docs/architecture.md, "Who may import whom"). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  storage: ['core', 'storage'],
  integrations: ['core', 'storage:type', 'storage/pglite/create-pglite', 'integrations', 'index'],
  execution: ['core', 'storage', 'runtime/logger', 'execution'],
  scheduler: ['core', 'storage', 'execution', 'scheduler'],
  daemon: ['scheduler', 'execution', 'storage', 'core', 'daemon'],
  web: ['execution', 'storage', 'core', 'web', 'runtime/run-service:type'],
  cli: ['runtime', 'core', 'cli', 'web/static/format-duration'],
  runtime: ['*'],
  index: ['core', 'integrations'],
};

/** Packages only one place may import. */
export const PACKAGE_HOMES: ReadonlyArray<{ pattern: RegExp; layers: readonly string[] }> = [
  { pattern: /^kysely(\/|$)/, layers: ['storage'] },
  { pattern: /^(bullmq|ioredis)(\/|$)/, layers: ['execution/bullmq', 'runtime', 'daemon'] },
  { pattern: /^(pg|@electric-sql\/pglite)(\/|$)/, layers: ['storage', 'integrations'] },
  { pattern: /^pino(\/|$)/, layers: ['runtime', 'execution'] },
  { pattern: /^nodemailer(\/|$)/, layers: ['execution/alerts'] },
];

export interface Violation {
  readonly file: string;
  readonly message: string;
}

interface ImportRef {
  readonly spec: string;
  readonly typeOnly: boolean;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(source: string): ImportRef[] {
  const out: ImportRef[] = [];
  for (const m of source.matchAll(IMPORT)) out.push({ spec: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(DYNAMIC)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `core`, `execution`, `execution/bullmq`, `runtime/logger`, `index`, ... for a file under src/. */
function placeOf(srcDir: string, file: string): string {
  const rel = relative(srcDir, file).split(sep).join('/').replace(/\.ts$/, '');
  if (rel === 'index') return 'index';
  return rel;
}

function layerOf(place: string): string {
  return place.split('/')[0]!;
}

function allows(fromLayer: string, typeOnly: boolean, targetPlace: string): boolean {
  const rules = ALLOWED[fromLayer] ?? [];
  if (rules.includes('*')) return true;
  const target = layerOf(targetPlace);
  return rules.some((rule) => {
    const [name, mode] = rule.split(':') as [string, string | undefined];
    if (mode === 'type' && !typeOnly) return false;
    return name === target || targetPlace === name || targetPlace.startsWith(`${name}/`);
  });
}

/**
 * Checks every import under `<root>/src` against the layer rules and package homes, every import
 * under `<root>/assets` and `<root>/schedules` against "the public API only", and looks for import
 * cycles among src modules (value imports only; type imports vanish at run time).
 */
export function checkLayers(root: string): Violation[] {
  const srcDir = join(root, 'src');
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const file of listTs(srcDir)) {
    const place = placeOf(srcDir, file);
    const layer = layerOf(place);
    const edges: string[] = [];
    for (const ref of importsOf(readFileSync(file, 'utf8'))) {
      const at = relative(root, file);
      if (ref.spec.startsWith('.')) {
        const target = resolve(dirname(file), ref.spec).replace(/\.js$/, '.ts');
        const targetPlace = placeOf(srcDir, target);
        if (layerOf(targetPlace) !== layer && !allows(layer, ref.typeOnly, targetPlace)) {
          violations.push({ file: at, message: `${layer} may not import ${targetPlace} ("${ref.spec}")` });
        }
        if (!ref.typeOnly) edges.push(target);
      } else if (!ref.spec.startsWith('node:')) {
        for (const home of PACKAGE_HOMES) {
          if (home.pattern.test(ref.spec) && !home.layers.some((h) => place === h || place.startsWith(`${h}/`) || layer === h)) {
            violations.push({ file: at, message: `"${ref.spec}" may only be imported under ${home.layers.join(', ')}` });
          }
        }
        if (layer === 'core' && !ref.typeOnly) violations.push({ file: at, message: `core must not import packages ("${ref.spec}")` });
      } else if (layer === 'core') {
        violations.push({ file: at, message: `core must not touch I/O or the platform ("${ref.spec}")` });
      }
    }
    graph.set(file, edges);
  }
  for (const folder of ['assets', 'schedules']) {
    for (const file of listTs(join(root, folder))) {
      for (const ref of importsOf(readFileSync(file, 'utf8'))) {
        const outside = ref.spec.startsWith('.') && !resolve(dirname(file), ref.spec).startsWith(join(root, folder));
        if (outside || /(^|\/)src\//.test(ref.spec)) {
          violations.push({ file: relative(root, file), message: `${folder}/ may import only the public API ('sluice'), not "${ref.spec}"` });
        }
      }
    }
  }
  violations.push(...findCycles(graph).map((cycle) => ({ file: relative(root, cycle[0]!), message: `import cycle: ${cycle.map((f) => relative(root, f)).join(' -> ')}` })));
  return violations;
}

function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 1) cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
