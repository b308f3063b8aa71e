import type { Command } from 'commander';
import { formatEvaluationTree } from '../../core/automation/format-evaluation-tree.js';
import { withRunService } from '../../runtime/open-run-service.js';
import type { AutomationStatusView } from '../../runtime/run-service.js';
import { EXIT, printJson, settingsFor } from '../cli-context.js';

/** The definitions are needed (preview, why): load them here, never in a daemon's process. */
const WITH_PROJECT = { launch: true, inProcess: true } as const;

function statusText(view: AutomationStatusView): string {
  const last = view.lastEvaluation;
  const lastText = last
    ? `last evaluation ${last.evaluatedAt}: ${last.requestedCount} partition(s) requested, ${last.runIds.length} run(s), ${last.backfillIds.length} backfill(s)${last.errors.length ? `, ${last.errors.length} launch error(s): ${last.errors.map((e) => e.message).join('; ')}` : ''}`
    : 'never evaluated';
  return `automation: ${view.status} (since ${view.updatedAt}); ${lastText}\n`;
}

/** `sluice automation start|stop|status [--json]`. */
export async function automationStatus(cmd: Command, action: 'start' | 'stop' | 'status', opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const view = await withRunService(settings, (runs) => (action === 'status' ? runs.automationStatus() : runs.setAutomationStatus(action === 'start' ? 'RUNNING' : 'STOPPED')));
  if (opts.json) printJson(view);
  else {
    process.stdout.write(statusText(view));
    if (action === 'start') process.stdout.write('a running sluice daemon evaluates the automated assets every SLUICE_AUTOMATION_INTERVAL_MS (default 30 s)\n');
  }
  return EXIT.ok;
}

/** `sluice automation preview [--json]`: what the next evaluation would launch; nothing is launched or saved. */
export async function automationPreview(cmd: Command, opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const preview = await withRunService(settings, (runs) => runs.automationPreview(), WITH_PROJECT);
  if (opts.json) printJson(preview);
  else {
    if (preview.launches.length === 0) process.stdout.write('the next evaluation would launch nothing\n');
    for (const launch of preview.launches) {
      const assets = launch.assets.join(', ');
      if (launch.kind === 'run') process.stdout.write(`run: ${assets}${launch.partition === null ? '' : ` (partition ${launch.partition})`}\n`);
      else process.stdout.write(`backfill: ${assets} (partitions ${launch.from}...${launch.to}, ${launch.partitions.length})\n`);
    }
    for (const error of preview.errors) process.stdout.write(`not evaluated: ${error.asset}: ${error.message}\n`);
  }
  return EXIT.ok;
}

/** `sluice automation why KEY [--partition P] [--json]`: the asset's latest evaluation tree. */
export async function automationWhy(cmd: Command, key: string, opts: { partition?: string; json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const view = await withRunService(settings, (runs) => runs.assetAutomation(key), WITH_PROJECT);
  if (opts.json) {
    printJson(view);
    return EXIT.ok;
  }
  const evaluation = view.evaluation;
  if (!evaluation) {
    process.stdout.write(
      `${key}: no automation evaluation is kept (only the last 30 days are): give it \`automation\` (e.g. eager()), run \`sluice automation start\` with a daemon running, or see what would happen with \`sluice automation preview\`\n`,
    );
    return EXIT.ok;
  }
  const partition = opts.partition;
  const requested = partition === undefined ? evaluation.requested.length > 0 : evaluation.requested.includes(partition);
  process.stdout.write(`${key}${partition === undefined ? '' : ` partition ${partition}`}: ${requested ? 'requested' : 'not requested'} by the evaluation of ${evaluation.evaluatedAt}\n`);
  if (evaluation.error) process.stdout.write(`not evaluated: ${evaluation.error.message}\n`);
  if (evaluation.tree) process.stdout.write(`${formatEvaluationTree(evaluation.tree, partition).join('\n')}\n`);
  return EXIT.ok;
}
