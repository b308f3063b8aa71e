import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export type Shape = { kind: 'chain'; n: number } | { kind: 'wide'; n: number } | { kind: 'layered'; n: number; width: number };

/** The deps of asset i (keys `a<i>`) in a shape; layered: each asset depends on two of the previous layer. */
export function depsOf(shape: Shape, i: number): string[] {
  if (shape.kind === 'chain') return i === 0 ? [] : [`a${i - 1}`];
  if (shape.kind === 'wide') return [];
  const layer = Math.floor(i / shape.width);
  if (layer === 0) return [];
  const prev = (layer - 1) * shape.width;
  const pos = i % shape.width;
  return [...new Set([`a${prev + pos}`, `a${prev + ((pos * 7 + 3) % shape.width)}`])];
}

/**
 * A throwaway project of no-op assets `a0..a<n-1>` in the given shape, defined by a loop in one
 * module (definitions stay frozen data), with node_modules/sluice linked to this repo.
 */
export function generateProject(shape: Shape): string {
  const dir = mkdtempSync(join(tmpdir(), `sluice-bench-${shape.kind}-`));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'schedules'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'sluice'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-project', private: true, type: 'module' }));
  const depsExpr =
    shape.kind === 'chain'
      ? '(i) => (i === 0 ? [] : [`a${i - 1}`])'
      : shape.kind === 'wide'
        ? '() => []'
        : `(i) => { const w = ${shape.width}; const layer = Math.floor(i / w); if (layer === 0) return []; const prev = (layer - 1) * w; const pos = i % w; return [...new Set([\`a\${prev + pos}\`, \`a\${prev + ((pos * 7 + 3) % w)}\`])]; }`;
  writeFileSync(
    join(dir, 'assets', 'generated.ts'),
    `import { defineAsset } from 'sluice';
const depsOf: (i: number) => string[] = ${depsExpr};
export const assets = Array.from({ length: ${shape.n} }, (_, i) =>
  defineAsset({ key: \`a\${i}\`, deps: depsOf(i), group: \`g\${i % 10}\`, materialize: () => {} }),
);
`,
  );
  return dir;
}
