import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLayers, importsOf } from '../../scripts/layer-rules.js';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sluice-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('layer rules', () => {
  it('passes on this repository', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    expect(checkLayers(root)).toEqual([]);
  });

  it('reads value, type, re-export and dynamic imports', () => {
    const refs = importsOf(`import { a } from './a.js';\nimport type { B } from '../b.js';\nexport { c } from './c.js';\nconst d = await import('./d.js');`);
    expect(refs).toEqual([
      { spec: './a.js', typeOnly: false },
      { spec: '../b.js', typeOnly: true },
      { spec: './c.js', typeOnly: false },
      { spec: './d.js', typeOnly: false },
    ]);
  });

  it('flags core importing storage, node builtins or packages', () => {
    const root = project({
      'src/core/a.ts': `import { x } from '../storage/x.js';\nimport { readFileSync } from 'node:fs';\nimport { z } from 'zod';`,
      'src/storage/x.ts': `export const x = 1;`,
    });
    const messages = checkLayers(root).map((v) => v.message).sort();
    expect(messages).toEqual([
      'core may not import storage/x ("../storage/x.js")',
      'core must not import packages ("zod")',
      'core must not touch I/O or the platform ("node:fs")',
    ]);
  });

  it('flags kysely outside storage and a web route importing the daemon', () => {
    const root = project({
      'src/web/route.ts': `import { Kysely } from 'kysely';\nimport { d } from '../daemon/d.js';`,
      'src/daemon/d.ts': `export const d = 1;`,
    });
    const messages = checkLayers(root).map((v) => v.message).sort();
    expect(messages).toEqual(['"kysely" may only be imported under storage', 'web may not import daemon/d ("../daemon/d.js")']);
  });

  it('lets the cli import only runtime/, core/ and itself: not even a type of storage or execution', () => {
    const root = project({
      'src/cli/a.ts': `import type { Instance } from '../storage/instance.js';`,
      'src/cli/b.ts': `import { launchRun } from '../execution/launch-run.js';`,
      'src/cli/c.ts': `import { openRunService } from '../runtime/open-run-service.js';\nimport { SluiceError } from '../core/errors.js';`,
      'src/storage/instance.ts': `export interface Instance {}`,
      'src/execution/launch-run.ts': `export const launchRun = 1;`,
      'src/runtime/open-run-service.ts': `export const openRunService = 1;`,
      'src/core/errors.ts': `export class SluiceError {}`,
    });
    expect(checkLayers(root).map((v) => `${v.file}: ${v.message}`).sort()).toEqual([
      'src/cli/a.ts: cli may not import storage/instance ("../storage/instance.js")',
      'src/cli/b.ts: cli may not import execution/launch-run ("../execution/launch-run.js")',
    ]);
  });

  it('finds import cycles and names them', () => {
    const root = project({
      'src/core/a.ts': `import { b } from './b.js';\nexport const a = 1;`,
      'src/core/b.ts': `import { a } from './a.js';\nexport const b = 2;`,
    });
    expect(checkLayers(root).map((v) => v.message)).toEqual(['import cycle: src/core/a.ts -> src/core/b.ts -> src/core/a.ts']);
  });

  it('keeps assets/ on the public API', () => {
    const root = project({ 'assets/a.ts': `import { defineAsset } from '../src/index.js';` });
    expect(checkLayers(root).map((v) => v.message)).toEqual([`assets/ may import only the public API ('sluice'), not "../src/index.js"`]);
  });
});
