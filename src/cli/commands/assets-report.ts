import type { Command } from 'commander';
import type { Metadata } from '../../core/asset/metadata.js';
import { SluiceError } from '../../core/errors.js';
import { withRunService } from '../../runtime/open-run-service.js';
import { EXIT, printJson, settingsFor } from '../cli-context.js';

function parseMetadata(raw: string | undefined): Metadata | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new SluiceError('INVALID_FLAG', `--metadata is not valid JSON: ${(error as Error).message}; e.g. --metadata '{"rows": 120}'`, { flag: '--metadata' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SluiceError('INVALID_FLAG', `--metadata must be a JSON object, e.g. --metadata '{"rows": 120}'`, { flag: '--metadata' });
  }
  return value as Metadata;
}

/**
 * `sluice assets report KEY [--partition P] [--metadata JSON] [--observation] [--json]`: records a
 * materialization made outside Sluice (an upstream system loaded the table), so staleness, asset
 * sensors and declarative automation react to it like to any materialization; with --observation,
 * an observation (metadata about the asset, no new materialization).
 */
export async function assetsReport(cmd: Command, key: string, opts: { partition?: string; metadata?: string; observation?: boolean; json?: boolean }): Promise<number> {
  const metadata = parseMetadata(opts.metadata);
  const kind = opts.observation ? 'observation' : 'materialization';
  const { runId } = await withRunService(
    settingsFor(cmd),
    (service) => service.reportAssetEvent({ assetKey: key, ...(opts.partition === undefined ? {} : { partition: opts.partition }), ...(metadata ? { metadata } : {}), kind, source: 'cli' }),
    { launch: true },
  );
  if (opts.json) printJson({ assetKey: key, partition: opts.partition ?? null, kind, runId });
  else process.stdout.write(`reported ${kind === 'observation' ? 'an observation' : 'a materialization'} of ${key}${opts.partition ? ` partition ${opts.partition}` : ''} (run ${runId})\n`);
  return EXIT.ok;
}
