import type { Command } from 'commander';
import { checkProject, type ProjectCheck } from '../../runtime/check-project.js';
import { EXIT, printJson, settingsFor } from '../cli-context.js';
import { formatProblems } from '../output/problems.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summaryText(check: ProjectCheck): string {
  const s = check.summary;
  const groups = Object.entries(s.groups).map(([name, n]) => `${name} ${n}`);
  const shown = groups.length > 8 ? [...groups.slice(0, 8), `and ${groups.length - 8} more`] : groups;
  return [
    `project ${check.project}`,
    `  ${plural(s.modules, 'module')}`,
    `  ${plural(s.assets, 'asset')}${s.partitionedAssets > 0 ? ` (${s.partitionedAssets} partitioned)` : ''} in ${plural(groups.length, 'group')}${shown.length > 0 ? `: ${shown.join(', ')}` : ''}`,
    `  ${plural(s.checks, 'check')}`,
    `  ${plural(s.schedules, 'schedule')}`,
    `  ${plural(s.sensors, 'sensor')}`,
    `  ${plural(s.alerts, 'alert')}`,
  ].join('\n');
}

/**
 * `sluice check [--json]`: loads and validates the whole project and lists every problem with its
 * file and fix. Exit 0 when there is none, 2 otherwise (for CI and pre-commit hooks).
 */
export async function check(cmd: Command, opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const result = await checkProject(settings.projectDir);
  if (opts.json) printJson(result);
  else {
    const lines = [summaryText(result)];
    if (result.ok) lines.push('', 'ok: no problems found');
    else {
      lines.push('', `${plural(result.problems.length, 'problem')}:`, formatProblems(result.problems, result.project));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return result.ok ? EXIT.ok : EXIT.badInput;
}
