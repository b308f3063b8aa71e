import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { didYouMean, suggest } from '../../core/suggest.js';
import { loadProject } from '../../runtime/load-project.js';
import { openRunService } from '../../runtime/open-run-service.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { metadataLine, table } from '../output/format.js';

/**
 * `sluice assets show KEY [--limit N] [--json]`: the asset's definition (group, kinds, deps, checks)
 * and its history from the store, newest first: materializations and check results.
 */
export async function assetsShow(cmd: Command, key: string, opts: { limit?: string; json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const limit = opts.limit === undefined ? 20 : parsePositiveInt(opts.limit, '--limit');
  const { graph } = await loadProject(settings.projectDir);
  if (!graph.has(key)) {
    throw new SluiceError('UNKNOWN_ASSET', `unknown asset "${key}"${didYouMean(suggest(key, graph.keys()))}; run \`sluice assets list\` to see what exists`, {
      key,
    });
  }
  const asset = graph.get(key);
  const opened = await openRunService(settings);
  const history = await opened.assetHistory(key, limit).finally(() => opened.close());
  const view = {
    key,
    group: asset.group,
    kinds: [...asset.kinds],
    description: asset.description ?? null,
    deps: [...asset.deps].sort(),
    checks: graph.checksOf(key).map((c) => ({ name: c.name, severity: c.severity, blocking: c.blocking, description: c.description ?? null })),
    materializations: history.materializations,
    observations: history.observations,
    checkHistory: history.checks,
  };
  if (opts.json) {
    printJson(view);
    return EXIT.ok;
  }
  const out = process.stdout;
  out.write(`asset ${key}  group=${view.group}${view.kinds.length ? `  kinds=${view.kinds.join(',')}` : ''}\n`);
  if (view.description) out.write(`${view.description}\n`);
  out.write(`deps: ${view.deps.join(', ') || '-'}\n`);
  out.write(`checks: ${view.checks.map((c) => `${c.name} [${c.severity}${c.blocking ? ', blocking' : ''}]`).join(', ') || '-'}\n\n`);
  out.write('materializations (newest first):\n');
  out.write(
    view.materializations.length === 0
      ? '  none yet\n'
      : `${table(['AT', 'RUN', 'METADATA'], view.materializations.map((m) => [m.at, m.runId, metadataLine(m.metadata)]))}\n`,
  );
  if (view.observations.length > 0) {
    out.write('\nobservations (newest first):\n');
    out.write(`${table(['AT', 'RUN', 'PARTITION', 'METADATA'], view.observations.map((o) => [o.at, o.runId, o.partition ?? '-', metadataLine(o.metadata)]))}\n`);
  }
  out.write('\ncheck results (newest first):\n');
  out.write(
    view.checkHistory.length === 0
      ? '  none yet\n'
      : `${table(
          ['AT', 'CHECK', 'RESULT', 'RUN', 'DETAILS'],
          view.checkHistory.map((c) => [c.at, c.checkName, c.passed ? 'passed' : 'FAILED', c.runId, `${c.description ?? ''} ${metadataLine(c.metadata)}`.trim()]),
        )}\n`,
  );
  return EXIT.ok;
}
