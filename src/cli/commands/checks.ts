import type { Command } from 'commander';
import { isGating } from '../../core/checks/check-definition.js';
import { selectAssets } from '../../core/selection/index.js';
import { loadProject } from '../../runtime/load-project.js';
import { openRunService } from '../../runtime/open-run-service.js';
import type { LatestCheckResult } from '../../runtime/run-service.js';
import { EXIT, printJson, settingsFor } from '../cli-context.js';
import { table } from '../output/format.js';

export interface CheckListing {
  readonly asset: string;
  readonly name: string;
  readonly severity: 'ERROR' | 'WARN';
  readonly blocking: boolean;
  /** Blocking with severity ERROR: its failure skips downstream steps and gates later runs. */
  readonly gating: boolean;
  readonly description: string | null;
  /** The latest evaluation, null when the check never ran. */
  readonly latest: { readonly passed: boolean; readonly at: string; readonly runId: string } | null;
}

/**
 * `sluice checks list [--select EXPR] [--json]`: every check of the selected assets (selecting an
 * asset selects its checks) with its latest result from the store.
 */
export async function checksList(cmd: Command, opts: { select?: string; json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const { graph } = await loadProject(settings.projectDir);
  const keys = opts.select === undefined ? new Set(graph.keys()) : selectAssets(opts.select, graph);
  const checks = graph.order.filter((key) => keys.has(key)).flatMap((key) => graph.checksOf(key));
  let latest: LatestCheckResult[] = [];
  if (checks.length > 0) {
    const opened = await openRunService(settings);
    try {
      latest = await opened.latestCheckResults([...new Set(checks.map((c) => c.asset))]);
    } finally {
      await opened.close();
    }
  }
  const byId = new Map(latest.map((r) => [`${r.assetKey}#${r.checkName}`, r]));
  const listing: CheckListing[] = checks.map((c) => {
    const r = byId.get(`${c.asset}#${c.name}`);
    return {
      asset: c.asset,
      name: c.name,
      severity: c.severity,
      blocking: c.blocking,
      gating: isGating(c),
      description: c.description ?? null,
      latest: r ? { passed: r.passed, at: r.at, runId: r.runId } : null,
    };
  });
  if (opts.json) {
    printJson(listing);
    return EXIT.ok;
  }
  if (listing.length === 0) {
    process.stdout.write('no checks on the selected assets\n');
    return EXIT.ok;
  }
  const rows = listing.map((c) => [
    c.asset,
    c.name,
    c.severity,
    c.blocking ? 'yes' : 'no',
    c.latest ? (c.latest.passed ? 'passed' : 'FAILED') : 'never run',
    c.latest?.at ?? '-',
    c.latest?.runId ?? '-',
    c.description ?? '',
  ]);
  process.stdout.write(`${table(['ASSET', 'CHECK', 'SEVERITY', 'BLOCKING', 'LATEST', 'AT', 'RUN', 'DESCRIPTION'], rows)}\n`);
  return EXIT.ok;
}
