import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { describeSensorSource } from '../../core/sensor/describe-sensor-source.js';
import type { SensorDefinition } from '../../core/sensor/sensor-definition.js';
import { UnknownSensorError } from '../../core/sensor/unknown-sensor-error.js';
import { loadProject, type LoadedSensor } from '../../runtime/load-project.js';
import { openRunService, withRunService } from '../../runtime/open-run-service.js';
import type { SensorStateView, SensorTickView } from '../../runtime/run-service.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { table } from '../output/format.js';

async function find(cmd: Command, name: string): Promise<{ sensors: readonly LoadedSensor[]; sensor: SensorDefinition }> {
  const { sensors } = await loadProject(settingsFor(cmd).projectDir);
  const found = sensors.find((s) => s.definition.name === name);
  if (!found) throw new UnknownSensorError(name, sensors.map((s) => s.definition.name));
  return { sensors, sensor: found.definition };
}


function tickDetail(t: SensorTickView): string {
  if (t.error) return `${t.error.code ?? t.error.name}: ${t.error.message}`;
  const skipped = t.skippedRunKeys.length > 0 ? ` (run keys already used: ${t.skippedRunKeys.join(', ')})` : '';
  return `${t.skipReason ?? ''}${skipped}`.trim();
}

/** `sluice sensors list [--json]`: each sensor with its status, interval, last tick and cursor. */
export async function sensorsList(cmd: Command, opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const { sensors } = await loadProject(settings.projectDir);
  return withRunService(settings, async (service) => {
    const states = new Map((await service.sensorStates()).map((s) => [s.name, s]));
    const rows = await Promise.all(
      sensors.map(async ({ definition: d, source }) => {
        const state: SensorStateView | undefined = states.get(d.name);
        const [last] = state ? await service.sensorTicks(d.name, 1) : [];
        return {
          name: d.name,
          type: d.source.type,
          watches: describeSensorSource(d),
          status: state?.status ?? d.defaultStatus,
          statusSource: state ? 'stored' : 'default',
          minimumIntervalSeconds: d.minimumIntervalSeconds,
          timeoutSeconds: d.timeoutSeconds,
          cursor: state?.cursor ?? null,
          lastTick: last ?? null,
          select: d.select ?? null,
          description: d.description ?? null,
          source,
        };
      }),
    );
    if (opts.json) printJson(rows);
    else if (rows.length === 0) process.stdout.write('no sensors: define one under schedules/ with defineSensor, onAssetEvents or onRunStatus\n');
    else {
      const cells = rows.map((r) => [
        r.name,
        r.watches,
        r.statusSource === 'default' ? `${r.status} (default)` : r.status,
        `${r.minimumIntervalSeconds}s`,
        r.lastTick ? `${r.lastTick.startedAt} ${r.lastTick.status}` : '-',
        r.cursor ?? '-',
      ]);
      process.stdout.write(`${table(['NAME', 'WATCHES', 'STATUS', 'INTERVAL', 'LAST TICK', 'CURSOR'], cells)}\n`);
    }
    return EXIT.ok;
  });
}

/** `sluice sensors start|stop NAME [--json]`: persisted; a running daemon picks it up on its next pass. */
export async function sensorsSetStatus(cmd: Command, name: string, status: 'RUNNING' | 'STOPPED', opts: { json?: boolean }): Promise<number> {
  const { sensor } = await find(cmd, name);
  return withRunService(settingsFor(cmd), async (service) => {
    const state = await service.setSensorStatus(name, status);
    if (opts.json) printJson(state);
    else if (state.status === 'RUNNING') process.stdout.write(`sensor ${name}: RUNNING, every ${sensor.minimumIntervalSeconds}s at most (a sluice daemon evaluates it)\n`);
    else process.stdout.write(`sensor ${name}: STOPPED\n`);
    return EXIT.ok;
  });
}

/** `sluice sensors ticks NAME [--limit N] [--json]`: the tick history, newest first. */
export async function sensorsTicks(cmd: Command, name: string, opts: { limit: string; json?: boolean }): Promise<number> {
  const limit = parsePositiveInt(opts.limit, '--limit');
  await find(cmd, name);
  return withRunService(settingsFor(cmd), async (service) => {
    const ticks = await service.sensorTicks(name, limit);
    if (opts.json) printJson(ticks);
    else if (ticks.length === 0) process.stdout.write(`sensor ${name} has no ticks yet\n`);
    else {
      const rows = ticks.map((t) => [t.startedAt, t.status, t.runIds.join(',') || '-', t.cursorAfter ?? '-', tickDetail(t)]);
      process.stdout.write(`${table(['STARTED', 'STATUS', 'RUNS', 'CURSOR', 'DETAIL'], rows)}\n`);
    }
    return EXIT.ok;
  });
}

/** `sluice sensors preview NAME [--json]`: one evaluation where the definitions are (the daemon, or here); launches nothing, moves no cursor. */
export async function sensorsPreview(cmd: Command, name: string, opts: { json?: boolean }): Promise<number> {
  await find(cmd, name);
  const service = await openRunService(settingsFor(cmd), { launch: true });
  try {
    const preview = await service.previewSensor(name);
    if (opts.json) printJson(preview);
    else {
      const out = [`sensor ${name}: cursor ${preview.cursorBefore ?? '-'} -> ${preview.cursorAfter ?? '-'}${preview.fed ? ` (${preview.fed} events evaluated)` : ''}`];
      if (preview.runs.length === 0) out.push(`would launch nothing${preview.skipReason ? `: ${preview.skipReason}` : ''}`);
      else {
        out.push(`would launch ${preview.runs.length} run${preview.runs.length === 1 ? '' : 's'}:`);
        out.push(table(['RUN KEY', 'SELECT', 'PARTITION', 'STEPS'], preview.runs.map((r) => [r.runKey ?? '-', r.selection, r.partition ?? '-', String(r.steps)])));
      }
      if (preview.skippedRunKeys.length > 0) out.push(`run keys already used (skipped): ${preview.skippedRunKeys.join(', ')}`);
      process.stdout.write(`${out.join('\n')}\n`);
    }
    return EXIT.ok;
  } finally {
    await service.close();
  }
}

/** `sluice sensors cursor NAME [--set VALUE] [--json]`: shows the cursor, or sets it ('' clears it). */
export async function sensorsCursor(cmd: Command, name: string, opts: { set?: string; json?: boolean }): Promise<number> {
  const { sensor } = await find(cmd, name);
  if (opts.set && sensor.source.type !== 'standard' && !/^\d+$/.test(opts.set)) {
    throw new SluiceError('INVALID_FLAG', `--set: sensor "${name}" watches ${sensor.source.type === 'asset' ? 'asset events' : 'run statuses'}, so its cursor is the last event id it saw: give a whole number (0 = from the start), got "${opts.set}"`, {
      flag: '--set',
      value: opts.set,
    });
  }
  if (opts.set && sensor.source.type !== 'standard' && !/^\d+$/.test(opts.set)) {
    throw new SluiceError('INVALID_FLAG', `--set: sensor "${name}" watches ${sensor.source.type === 'asset' ? 'asset events' : 'run statuses'}, so its cursor is the last event id it saw: give a whole number (0 = from the start), got "${opts.set}"`, {
      flag: '--set',
      value: opts.set,
    });
  }
  return withRunService(settingsFor(cmd), async (service) => {
    const state =
      opts.set === undefined
        ? (await service.sensorStates()).find((s) => s.name === name)
        : await service.setSensorCursor(name, opts.set === '' ? null : opts.set, sensor.defaultStatus);
    const cursor = state?.cursor ?? null;
    if (opts.json) printJson({ name, cursor });
    else process.stdout.write(`sensor ${name}: cursor ${cursor === null ? '(none)' : cursor}\n`);
    return EXIT.ok;
  });
}
