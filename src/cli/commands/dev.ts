import { relative } from 'node:path';
import type { Command } from 'commander';
import { startDevSession } from '../../runtime/dev-session.js';
import type { ReloadResult } from '../../runtime/project-generations.js';
import { resolveWebBinding } from '../../runtime/web-binding.js';
import { EXIT, parsePositiveInt, settingsFor } from '../cli-context.js';
import { formatProblems } from '../output/problems.js';
import { untilSignal } from '../until-signal.js';
import type { WebFlags } from './web.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describe(result: ReloadResult, dir: string, changed: readonly string[]): string {
  const because = changed.length === 0 ? '' : ` after changes to ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}`;
  const g = result.generation;
  if (result.status === 'failed') {
    const serving = g.id === 0 ? 'nothing is loaded yet' : `still serving generation ${g.id} (loaded ${g.loadedAt.toLocaleTimeString()})`;
    return `sluice dev: load failed${because} (${plural(result.problems.length, 'problem')}); ${serving}; fix and save to retry:\n${formatProblems(result.problems, dir, '  ')}\n`;
  }
  const graph = g.project.graph;
  // What changed since the previous generation (nothing to compare the first load with).
  const delta = result.previous.id === 0 ? [] : [...result.added.map((k) => `+${k}`), ...result.removed.map((k) => `-${k}`)];
  return (
    `sluice dev: ${result.previous.id === 0 ? 'loaded' : 'reloaded'} generation ${g.id}${because} in ${result.ms} ms: ` +
    `${plural(graph.size, 'asset')}${delta.length > 0 ? ` (${delta.join(' ')})` : ''}, ${plural(graph.allChecks().length, 'check')}, ${plural(g.project.schedules.length, 'schedule')}\n`
  );
}

/**
 * `sluice dev`: the embedded daemon and the dashboard, reloading definitions as the project's files
 * change (runtime/dev-session.ts). Runs execute in this process; until SIGINT/SIGTERM.
 */
export async function dev(cmd: Command, opts: { concurrency: string } & WebFlags): Promise<number> {
  const settings = settingsFor(cmd);
  const concurrency = parsePositiveInt(opts.concurrency, '--concurrency');
  const binding = resolveWebBinding({ host: opts.webHost, port: opts.webPort, token: process.env.SLUICE_WEB_TOKEN });
  if (settings.redisUrl) process.stderr.write('sluice dev: SLUICE_REDIS_URL is ignored: dev executes runs in this process, with the code it reloads\n');
  const session = await startDevSession(settings, {
    binding,
    anyPortWhenTaken: cmd.getOptionValueSource('webPort') === 'default',
    concurrency,
    onReload: (result, changed) => process.stderr.write(describe(result, settings.projectDir, changed)),
    onWatchError: (error, folder) => process.stderr.write(`sluice dev: warning: watching ${folder}: ${error.message}\n`),
  });
  try {
    const watched = session.watched().map((root) => `${relative(settings.projectDir, root) || '.'}/`);
    process.stderr.write(
      `sluice dev: dashboard at ${session.url}${binding.token ? ' (SLUICE_WEB_TOKEN required)' : ''}\n` +
        `sluice dev: watching ${watched.join(', ')}; runs execute in this process (Ctrl-C stops)\n`,
    );
    const signal = await untilSignal();
    process.stderr.write(`sluice dev: ${signal}, stopping\n`);
  } finally {
    await session.close();
  }
  return EXIT.ok;
}
