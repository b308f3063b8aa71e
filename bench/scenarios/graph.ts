import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { selectAssets } from '../../src/core/selection/index.js';
import { loadProject } from '../../src/runtime/load-project.js';
import { quantile } from '../lib/stats.js';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

/** Load + validate + resolve `+key:<mid>+` of a generated project, in ms (first load in this process). */
export async function graphLoad(projectDir: string, middleKey: string): Promise<{ ms: number; selected: number }> {
  const t0 = performance.now();
  const project = await loadProject(projectDir);
  const selected = selectAssets(`+key:${middleKey}+`, project.graph).size;
  return { ms: performance.now() - t0, selected };
}

/** Median wall time (ms) of `sluice assets list --json` on a project, cold processes, over `runs`. */
export function cliColdStart(projectDir: string, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = spawnSync(process.execPath, [BIN, 'assets', 'list', '--json', '--project', projectDir], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SLUICE_DATABASE_URL: '' } });
    if (res.status !== 0) throw new Error(`assets list failed: ${res.stderr}`);
    samples.push(performance.now() - t0);
  }
  return quantile(samples, 0.5);
}
