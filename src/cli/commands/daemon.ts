import type { Command } from 'commander';
import { startDaemonProcess } from '../../runtime/daemon-process.js';
import { withRunService } from '../../runtime/open-run-service.js';
import { resolveWebBinding } from '../../runtime/web-binding.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { duration, table } from '../output/format.js';
import { untilSignal } from '../until-signal.js';
import type { WebFlags } from './web.js';

/**
 * `sluice daemon`: the run queue, the run monitor, the scheduler and heartbeats (runtime/daemon-process.ts),
 * with the dashboard unless --no-web, until SIGINT/SIGTERM.
 */
export async function daemon(cmd: Command, opts: { concurrency: string; web?: boolean } & WebFlags): Promise<number> {
  const settings = settingsFor(cmd);
  const concurrency = parsePositiveInt(opts.concurrency, '--concurrency');
  // Checked first: a non-loopback dashboard without SLUICE_WEB_TOKEN is refused before anything opens.
  const binding = opts.web === false ? undefined : resolveWebBinding({ host: opts.webHost, port: opts.webPort, token: process.env.SLUICE_WEB_TOKEN });
  const d = await startDaemonProcess(settings, {
    concurrency,
    binding,
    webPortAskedFor: cmd.getOptionValueSource('webPort') !== 'default',
    say: (line) => process.stderr.write(`${line}\n`),
  });
  try {
    if (d.dashboardUrl) process.stderr.write(`sluice daemon: dashboard at ${d.dashboardUrl}${binding?.token ? ' (SLUICE_WEB_TOKEN required)' : ''}\n`);
    process.stderr.write(`sluice daemon ${d.id} ready: executor ${d.executor}, project ${d.projectDir}, ${d.schedules} schedule${d.schedules === 1 ? '' : 's'}, ${d.sensors} sensor${d.sensors === 1 ? '' : 's'}\n`);
    const signal = await untilSignal();
    process.stderr.write(`sluice daemon: ${signal}, stopping\n`);
  } finally {
    await d.close();
  }
  return EXIT.ok;
}

/** `sluice daemon status [--json]`: the heartbeats of daemons and workers, newest first. */
export async function daemonStatus(cmd: Command, opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  return withRunService(settings, async (opened) => {
    const now = Date.now();
    const beats = (await opened.heartbeats()).map((b) => {
      const ageMs = now - Date.parse(b.lastSeen);
      return { ...b, ageMs, alive: ageMs <= settings.workerTimeoutMs };
    });
    if (opts.json) printJson(beats);
    else if (beats.length === 0) process.stdout.write('no daemon or worker has reported a heartbeat\n');
    else {
      const rows = beats.map((b) => [b.kind, b.id, b.alive ? 'alive' : 'stale', `${duration(b.ageMs)} ago`, JSON.stringify(b.info)]);
      process.stdout.write(`${table(['KIND', 'ID', 'STATE', 'LAST SEEN', 'INFO'], rows)}\n`);
    }
    return EXIT.ok;
  });
}
