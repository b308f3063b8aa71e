import type { Command } from 'commander';
import { selectAssets } from '../../core/selection/index.js';
import { loadProject } from '../../runtime/load-project.js';
import { EXIT, printJson, settingsFor } from '../cli-context.js';
import { table } from '../output/format.js';

/** `sluice assets list [--select EXPR] [--json]`: loads definitions only, never opens the store. */
export async function assetsList(cmd: Command, opts: { select?: string; json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const { graph } = await loadProject(settings.projectDir);
  const keys = opts.select === undefined ? new Set(graph.keys()) : selectAssets(opts.select, graph);
  const assets = [...keys].sort().map((key) => {
    const a = graph.get(key);
    return { key, group: a.group, kinds: [...a.kinds], tags: { ...a.tags }, owners: [...a.owners], deps: [...a.deps].sort() };
  });
  if (opts.json) {
    printJson(assets);
    return EXIT.ok;
  }
  if (assets.length === 0) {
    process.stdout.write('no assets selected\n');
    return EXIT.ok;
  }
  const rows = assets.map((a) => [a.key, a.group, a.kinds.join(','), String(graph.checksOf(a.key).length), a.deps.join(', ')]);
  process.stdout.write(`${table(['KEY', 'GROUP', 'KINDS', 'CHECKS', 'DEPS'], rows)}\n`);
  return EXIT.ok;
}
