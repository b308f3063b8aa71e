import type { Command } from 'commander';
import type { AssetStatusView } from '../../core/staleness/asset-status.js';
import { selectAssets } from '../../core/selection/index.js';
import { loadProject } from '../../runtime/load-project.js';
import { EXIT, printJson, settingsFor } from '../cli-context.js';
import { table } from '../output/format.js';

/** `12 fresh, 3 missing` from a partitioned asset's counts. */
function partitionCounts(counts: AssetStatusView['partitions']): string {
  if (!counts) return '-';
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status}`);
  return parts.join(', ') || '0';
}

/**
 * `sluice assets list [--select EXPR] [--status] [--json]`: the definitions, and with --json or
 * --status each asset's status from the store, with its worst freshness/deadline verdict (FRESHNESS:
 * PASS, WARN, FAIL; `unchecked` for a policy no daemon has checked yet; `-` without one). Plain `assets list` never opens the store (its cold
 * start is benchmarked).
 */
export async function assetsList(cmd: Command, opts: { select?: string; json?: boolean; status?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const { graph } = await loadProject(settings.projectDir);
  const keys = opts.select === undefined ? new Set(graph.keys()) : selectAssets(opts.select, graph);
  const statuses =
    opts.json || opts.status ? await (await import('../../runtime/project-asset-statuses.js')).projectAssetStatuses(settings, graph, new Date()) : undefined;
  const assets = [...keys].sort().map((key) => {
    const a = graph.get(key);
    const s = statuses?.get(key);
    return {
      key,
      group: a.group,
      kinds: [...a.kinds],
      tags: { ...a.tags },
      owners: [...a.owners],
      deps: [...a.deps].sort(),
      ...(s ? { status: s.status, statusReason: s.reason, partitions: s.partitions, freshness: s.freshness } : {}),
    };
  });
  if (opts.json) {
    printJson(assets);
    return EXIT.ok;
  }
  if (assets.length === 0) {
    process.stdout.write('no assets selected\n');
    return EXIT.ok;
  }
  const base = (a: (typeof assets)[number]) => [a.key, a.group, a.kinds.join(','), String(graph.checksOf(a.key).length), a.deps.join(', ')];
  if (!statuses) {
    process.stdout.write(`${table(['KEY', 'GROUP', 'KINDS', 'CHECKS', 'DEPS'], assets.map(base))}\n`);
    return EXIT.ok;
  }
  const rows = assets.map((a) => {
    const [key, group, kinds, checks, deps] = base(a);
    const policy = graph.get(a.key).freshness !== undefined || graph.get(a.key).deadline !== undefined;
    return [key!, a.status ?? '-', partitionCounts(a.partitions ?? null), a.freshness?.level ?? (policy ? 'unchecked' : '-'), group!, kinds!, checks!, deps!];
  });
  process.stdout.write(`${table(['KEY', 'STATUS', 'PARTITIONS', 'FRESHNESS', 'GROUP', 'KINDS', 'CHECKS', 'DEPS'], rows)}\n`);
  return EXIT.ok;
}
