import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { loadProject, type LoadedSchedule } from '../../runtime/load-project.js';
import { openRunService } from '../../runtime/open-run-service.js';
import { UnknownScheduleError } from '../../core/schedule/unknown-schedule-error.js';
import { formatInZone } from '../../core/time/zone-clock.js';
import type { ScheduleStateView, TickView } from '../../runtime/run-service.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { table } from '../output/format.js';

function find(schedules: readonly LoadedSchedule[], name: string): LoadedSchedule {
  const found = schedules.find((s) => s.definition.name === name);
  if (!found) throw new UnknownScheduleError(name, schedules.map((s) => s.definition.name));
  return found;
}

function zoned(schedule: LoadedSchedule, iso: string | null | undefined): string | null {
  return iso ? formatInZone(schedule.definition.timezone, Date.parse(iso)) : null;
}

/** `sluice schedules list [--json]`: each schedule with its status, next tick and last tick. */
export async function schedulesList(cmd: Command, opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const { schedules } = await loadProject(settings.projectDir);
  const opened = await openRunService(settings);
  try {
    const states = new Map((await opened.scheduleStates()).map((s) => [s.name, s]));
    const now = new Date();
    const rows = await Promise.all(
      schedules.map(async (s) => {
        const state: ScheduleStateView | undefined = states.get(s.definition.name);
        const [last] = state ? await opened.ticks(s.definition.name, 1) : [];
        const next = s.ticks.nextAfter(now);
        return {
          name: s.definition.name,
          cron: s.definition.cron,
          timezone: s.definition.timezone,
          status: state?.status ?? s.definition.defaultStatus,
          /** `stored` once started, stopped or seen by a daemon; `default` = the definition's defaultStatus. */
          statusSource: state ? 'stored' : 'default',
          nextTick: next ? formatInZone(s.definition.timezone, next.getTime()) : null,
          lastTick: last ? { scheduledFor: zoned(s, last.scheduledFor)!, status: last.status, runId: last.runId, reason: last.reason } : null,
          select: s.definition.select,
          description: s.definition.description ?? null,
          tags: s.definition.tags,
          source: s.source,
        };
      }),
    );
    if (opts.json) printJson(rows);
    else if (rows.length === 0) process.stdout.write('no schedules: define one under schedules/ with defineSchedule\n');
    else {
      const cells = rows.map((r) => [
        r.name,
        r.cron,
        r.timezone,
        r.statusSource === 'default' ? `${r.status} (default)` : r.status,
        r.status === 'RUNNING' ? (r.nextTick ?? '-') : '-',
        r.lastTick ? `${r.lastTick.scheduledFor} ${r.lastTick.status}` : '-',
        r.lastTick?.runId ?? '-',
      ]);
      process.stdout.write(`${table(['NAME', 'CRON', 'TIMEZONE', 'STATUS', 'NEXT TICK', 'LAST TICK', 'RUN'], cells)}\n`);
    }
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}

/** `sluice schedules preview NAME [--count N] [--from ISO] [--json]`: the next N ticks, in the schedule's zone. Never opens the store. */
export async function schedulesPreview(cmd: Command, name: string, opts: { count: string; from?: string; json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const count = parsePositiveInt(opts.count, '--count');
  const from = opts.from === undefined ? new Date() : new Date(opts.from);
  if (Number.isNaN(from.getTime())) {
    throw new SluiceError('INVALID_FLAG', `--from must be an ISO-8601 date or instant, e.g. 2026-03-29T00:00:00Z (got "${opts.from}")`, { flag: '--from', value: opts.from });
  }
  const { schedules } = await loadProject(settings.projectDir);
  const schedule = find(schedules, name);
  const ticks = schedule.ticks.next(count, from).map((t) => formatInZone(schedule.definition.timezone, t.getTime()));
  if (opts.json) printJson(ticks);
  else process.stdout.write(ticks.length ? `${ticks.join('\n')}\n` : `schedule "${name}" has no tick after ${from.toISOString()}\n`);
  return EXIT.ok;
}

/** `sluice schedules start|stop NAME`: persisted; a running daemon picks it up by the next tick. */
export async function schedulesSetStatus(cmd: Command, name: string, status: 'RUNNING' | 'STOPPED', opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const { schedules } = await loadProject(settings.projectDir);
  const schedule = find(schedules, name);
  const opened = await openRunService(settings);
  try {
    const state = await opened.setScheduleStatus(name, status);
    if (opts.json) printJson(state);
    else if (state.status === 'RUNNING') {
      const next = schedule.ticks.nextAfter(new Date());
      process.stdout.write(
        `schedule ${name}: RUNNING since ${zoned(schedule, state.startedAt)}; next tick ${next ? formatInZone(schedule.definition.timezone, next.getTime()) : 'none'} (a sluice daemon launches it)\n`,
      );
    } else process.stdout.write(`schedule ${name}: STOPPED\n`);
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}

/** `sluice schedules ticks NAME [--limit N] [--json]`: the tick history, latest first. */
export async function schedulesTicks(cmd: Command, name: string, opts: { limit: string; json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const limit = parsePositiveInt(opts.limit, '--limit');
  const { schedules } = await loadProject(settings.projectDir);
  const schedule = find(schedules, name);
  const opened = await openRunService(settings);
  try {
    const ticks: TickView[] = await opened.ticks(name, limit);
    if (opts.json) printJson(ticks.map((t) => ({ ...t, scheduledForLocal: zoned(schedule, t.scheduledFor) })));
    else if (ticks.length === 0) process.stdout.write(`schedule ${name} has no ticks yet\n`);
    else {
      const rows = ticks.map((t) => [zoned(schedule, t.scheduledFor)!, t.status, t.runId ?? '-', t.reason ?? (t.error ? `${t.error.name}: ${t.error.message}` : '')]);
      process.stdout.write(`${table(['SCHEDULED FOR', 'STATUS', 'RUN', 'DETAIL'], rows)}\n`);
    }
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}
