import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { channelId } from '../../core/alert/alert-channels.js';
import { loadProject } from '../../runtime/load-project.js';
import { withRunService } from '../../runtime/open-run-service.js';
import { testAlert } from '../../runtime/test-alert.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { table } from '../output/format.js';

/** `sluice alerts list [--json]`: each policy (events, selection, channels) with its deliveries per status, and the newest deliveries. */
export async function alertsList(cmd: Command, opts: { json?: boolean; limit?: string }): Promise<number> {
  const settings = settingsFor(cmd);
  const { alerts } = await loadProject(settings.projectDir);
  return withRunService(settings, async (service) => {
    const outbox = await service.alertDeliveries(parsePositiveInt(opts.limit ?? '20', '--limit'));
    const policies = alerts.map(({ definition: d, source }) => ({
      name: d.name,
      on: d.on,
      select: d.select ?? null,
      description: d.description ?? null,
      source,
      channels: d.channels.map((c) => {
        const counts = outbox.counts.filter((x) => x.alert === d.name && x.channel === channelId(c));
        const of = (status: string) => counts.find((x) => x.status === status)?.count ?? 0;
        const failing = counts.find((x) => x.status === 'FAILED' || (x.status === 'PENDING' && x.lastError !== null));
        return { channel: channelId(c), sent: of('SENT'), pending: of('PENDING'), failed: of('FAILED'), lastError: failing?.lastError ?? null };
      }),
    }));
    if (opts.json) {
      printJson({ alerts: policies, recent: outbox.recent });
      return EXIT.ok;
    }
    if (policies.length === 0) process.stdout.write('no alerts: define one under schedules/ with defineAlert\n');
    else {
      const cells = policies.flatMap((p) => p.channels.map((c) => [p.name, p.on.join(','), p.select ?? '*', c.channel, String(c.sent), String(c.pending), String(c.failed), c.lastError ?? '-']));
      process.stdout.write(`${table(['ALERT', 'ON', 'SELECT', 'CHANNEL', 'SENT', 'PENDING', 'FAILED', 'LAST ERROR'], cells)}\n`);
    }
    if (outbox.recent.length > 0) {
      const rows = outbox.recent.map((d) => [String(d.id), d.alert, d.channel, d.event, d.runId?.slice(0, 8) ?? '-', d.status, String(d.attempts), d.sentAt ?? d.nextAttemptAt]);
      process.stdout.write(`\nrecent deliveries\n${table(['ID', 'ALERT', 'CHANNEL', 'EVENT', 'RUN', 'STATUS', 'ATTEMPTS', 'AT'], rows)}\n`);
    }
    return EXIT.ok;
  });
}

/** `sluice alerts test NAME`: sends a test message through each channel now (from this shell's environment); exit 1 when one failed. */
export async function alertsTest(cmd: Command, name: string, opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const { alerts } = await loadProject(settings.projectDir);
  const found = alerts.find((a) => a.definition.name === name);
  if (!found) {
    const known = alerts.map((a) => a.definition.name);
    const hint = known.length === 0 ? 'the project defines no alerts (add one under schedules/ with defineAlert)' : `run \`sluice alerts list\` to see them (${known.join(', ')})`;
    throw new SluiceError('UNKNOWN_ALERT', `unknown alert "${name}"; ${hint}`, { alert: name, known });
  }
  const results = await testAlert(found.definition, process.env, process.env.SLUICE_DASHBOARD_URL || undefined);
  if (opts.json) printJson(results);
  else for (const r of results) process.stdout.write(`${r.channel}: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}\n`);
  return results.some((r) => r.outcome === 'failed') ? EXIT.failed : EXIT.ok;
}
