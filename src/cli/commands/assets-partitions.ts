import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { UnknownAssetError } from '../../core/graph/unknown-asset-error.js';
import { loadProject } from '../../runtime/load-project.js';
import { openRunService } from '../../runtime/open-run-service.js';
import { EXIT, printJson, settingsFor } from '../cli-context.js';
import { table } from '../output/format.js';

/**
 * `sluice assets partitions KEY [--json]`: every partition of a partitioned asset up to now, newest
 * first: materialized, failed, missing or running (an asset lock is held on it), stale ones marked,
 * with the run of its last outcome and when.
 */
export async function assetsPartitions(cmd: Command, key: string, opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const { graph } = await loadProject(settings.projectDir);
  // Checked before the store is opened: bad input fails fast, whoever holds the store.
  if (!graph.has(key)) throw new UnknownAssetError(key, graph.keys());
  if (!graph.get(key).partitions) {
    throw new SluiceError('UNPARTITIONED_ASSET', `asset "${key}" is not partitioned; \`sluice assets show ${key}\` shows its materializations`, { key });
  }
  const opened = await openRunService(settings);
  const view = await opened.assetPartitions(graph, key).finally(() => opened.close());
  if (opts.json) {
    printJson(view);
    return EXIT.ok;
  }
  const out = process.stdout;
  const { counts } = view;
  out.write(`asset ${key}  partitions: ${view.partitionsDefinition}\n`);
  out.write(
    `${view.partitions.length} partition(s): ${counts.materialized} materialized${view.stale > 0 ? ` (${view.stale} stale)` : ''}, ${counts.failed} failed, ${counts.missing} missing, ${counts.running} running\n`,
  );
  if (view.partitions.length === 0) return EXIT.ok;
  const rows = view.partitions.map((p) => [p.key, p.stale ? `${p.status} (stale)` : p.status, p.runId ?? '-', p.at ?? '-', p.staleReason ?? '']);
  out.write(`${table(['PARTITION', 'STATUS', 'RUN', 'AT', 'NOTE'], rows)}\n`);
  return EXIT.ok;
}
