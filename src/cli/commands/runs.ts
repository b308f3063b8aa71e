import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import type { EventRecord } from '../../core/events.js';
import type { RunService, RunStatus, RunSummary } from '../../runtime/run-service.js';
import { withRunService } from '../../runtime/open-run-service.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { duration, metadataLine, table } from '../output/format.js';

const STATUSES: RunStatus[] = ['QUEUED', 'STARTED', 'SUCCESS', 'FAILURE', 'CANCELING', 'CANCELED'];

function withRuns<T>(cmd: Command, fn: (service: RunService) => Promise<T>): Promise<T> {
  return withRunService(settingsFor(cmd), fn);
}

/** `sluice runs list [--status S] [--limit N] [--json]`, newest first. */
/** `--since`: an ISO-8601 instant, or an age (`90s`, `30m`, `24h`, `7d`) before `now`. */
export function parseSince(value: string, now: Date = new Date()): Date {
  const age = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  if (age) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(age[1]) * unit);
  }
  const at = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new SluiceError('INVALID_FLAG', `--since "${value}" is neither an ISO-8601 instant (2026-11-22T06:00:00Z) nor an age (30m, 24h, 7d)`, { flag: '--since', value });
  }
  return at;
}

export async function runsList(cmd: Command, opts: { json?: boolean; limit?: string; status?: string; tag?: Record<string, string>; since?: string }): Promise<number> {
  const limit = opts.limit === undefined ? 50 : parsePositiveInt(opts.limit, '--limit');
  const statuses = opts.status?.split(',').map((s) => s.trim().toUpperCase());
  for (const s of statuses ?? []) {
    if (!STATUSES.includes(s as RunStatus)) {
      throw new SluiceError('INVALID_FLAG', `--status "${s}" is not one of ${STATUSES.join(', ')}`, { flag: '--status' });
    }
  }
  const since = opts.since === undefined ? undefined : parseSince(opts.since);
  const rows = await withRuns(cmd, (service) =>
    service.listRuns({
      limit,
      ...(statuses ? { statuses: statuses as RunStatus[] } : {}),
      ...(opts.tag ? { tags: opts.tag } : {}),
      ...(since ? { since } : {}),
    }),
  );
  if (opts.json) printJson(rows);
  else if (rows.length === 0) process.stdout.write('no runs yet\n');
  else {
    const lines = rows.map((r) => [r.runId, r.status, r.trigger, r.createdAt, duration(r.durationMs), r.selection]);
    process.stdout.write(`${table(['RUN', 'STATUS', 'TRIGGER', 'CREATED', 'DURATION', 'SELECTION'], lines)}\n`);
  }
  return EXIT.ok;
}

export function printRunSummary(summary: RunSummary, out: { write(s: string): unknown }): void {
  out.write(`run ${summary.runId}  ${summary.status}  ${duration(summary.durationMs)}  trigger=${summary.trigger}  select=${summary.selection}\n`);
  if (Object.keys(summary.tags).length > 0) out.write(`tags: ${metadataLine(summary.tags)}\n`);
  if (summary.status === 'QUEUED') out.write(`queued: ${summary.queueReason ?? 'waiting for the daemon to start it'}\n`);
  if (summary.configRef) out.write(`config: ${summary.configRef.name}@${summary.configRef.version}\n`);
  if (summary.partition) out.write(`partition: ${summary.partition}${summary.backfillId ? `  (backfill ${summary.backfillId})` : ''}\n`);
  const rows = summary.steps.map((s) => [
    s.key,
    s.status,
    String(s.attempts),
    duration(s.durationMs),
    s.worker ?? '-',
    s.check
      ? `${s.check.passed ? 'passed' : 'FAILED'} [${s.check.severity}${s.check.blocking ? ', blocking' : ''}] ${metadataLine(s.check.metadata)}${s.check.description ? ` ${s.check.description}` : ''}`.trim()
      : s.error
        ? `${s.error.message}`
        : s.multi
          ? `${s.multi.materializations.length}/${s.multi.assetKeys.length} assets materialized${s.multi.checks.length ? `, ${s.multi.checks.filter((c) => c.passed).length}/${s.multi.checks.length} checks passed` : ''}`
          : metadataLine(s.materialization?.metadata),
  ]);
  out.write(`${table(['STEP', 'STATUS', 'ATTEMPTS', 'DURATION', 'WORKER', 'RESULT'], rows)}\n`);
  // A multi-asset's step: each of its keys with what it reported.
  for (const s of summary.steps) {
    if (!s.multi) continue;
    const reported = new Map(s.multi.materializations.map((m) => [m.assetKey, m]));
    const keyRows = s.multi.assetKeys.map((key) => {
      const checks = s.multi!.checks.filter((c) => c.assetKey === key);
      const failed = checks.filter((c) => !c.passed).map((c) => `${c.checkName} FAILED [${c.severity}${c.blocking ? ', blocking' : ''}]`);
      return [key, reported.has(key) ? 'MATERIALIZED' : '-', `${metadataLine(reported.get(key)?.metadata)}${failed.length ? ` ${failed.join(', ')}` : ''}`.trim()];
    });
    out.write(`${s.key} (multi-asset ${s.multi.name}):\n${table(['ASSET', 'STATE', 'RESULT'], keyRows)}\n`);
  }
  if (summary.error && summary.status !== 'SUCCESS') out.write(`error: ${summary.error.message}\n`);
}

/** `sluice runs show RUN_ID [--json]`. */
export async function runsShow(cmd: Command, runId: string, opts: { json?: boolean }): Promise<number> {
  const summary = await withRuns(cmd, (service) => service.summary(runId));
  if (opts.json) printJson(summary);
  else printRunSummary(summary, process.stdout);
  return EXIT.ok;
}

export function formatEvent(event: EventRecord): string {
  const head = `${event.at.toISOString()} ${event.stepKey ?? '(run)'}`;
  switch (event.type) {
    case 'LOG': {
      const fields = event.data.fields ? ` ${JSON.stringify(event.data.fields)}` : '';
      return `${head} ${event.data.level.toUpperCase()} ${event.data.msg}${fields}`;
    }
    case 'STEP_FAILED':
      return `${head} STEP_FAILED attempt=${event.data.attempt}${event.data.willRetry ? ' (will retry)' : ''}: ${event.data.error.message}`;
    case 'MATERIALIZATION':
      return `${head} MATERIALIZATION ${metadataLine(event.data.metadata)}`.trimEnd();
    case 'ASSET_OBSERVATION':
      return `${head} ASSET_OBSERVATION ${event.data.assetKey} ${metadataLine(event.data.metadata)}`.trimEnd();
    case 'CHECK_EVALUATION':
      return `${head} CHECK ${event.data.checkName} ${event.data.passed ? 'passed' : 'failed'} ${metadataLine(event.data.metadata)}`.trimEnd();
    case 'RUN_FAILURE':
      return `${head} RUN_FAILURE${event.data.error ? `: ${event.data.error.message}` : ''}`;
    case 'STEP_SKIPPED':
      return `${head} STEP_SKIPPED: ${event.data.reason}`;
    default:
      return `${head} ${event.type}`;
  }
}

/** `sluice runs logs RUN_ID`: the run's event log in order. */
export async function runsLogs(cmd: Command, runId: string, opts: { json?: boolean }): Promise<number> {
  const events = await withRuns(cmd, async (service) => {
    await service.summary(runId); // UnknownRunError when there is no such run
    return service.events(runId, 0);
  });
  if (opts.json) printJson(events);
  else for (const event of events) process.stdout.write(`${formatEvent(event)}\n`);
  return EXIT.ok;
}

/** `sluice runs cancel RUN_ID`: running steps see their signal aborted everywhere; the run ends CANCELED. */
export async function runsCancel(cmd: Command, runId: string, opts: { json?: boolean }): Promise<number> {
  const status = await withRuns(cmd, (service) => service.cancelRun(runId));
  if (opts.json) printJson({ runId, status });
  else process.stdout.write(`run ${runId}: ${status}${status === 'CANCELING' ? ' (running steps are stopping)' : ''}\n`);
  return EXIT.ok;
}

/**
 * `sluice runs reexecute RUN_ID [--detach] [--json]`: launches what a FAILURE or CANCELED run did not
 * finish (its failed, skipped and unstarted steps) and follows it like `materialize`.
 */
export async function runsReexecute(cmd: Command, runId: string, opts: { json?: boolean; detach?: boolean }): Promise<number> {
  const out = opts.json ? process.stderr : process.stdout;
  return withRunService(
    settingsFor(cmd),
    async (service) => {
      const launched = await service.reexecuteRun(runId, 'cli');
      out.write(`run ${launched.runId}: re-executes ${launched.steps} step(s) of run ${runId} (--select ${JSON.stringify(launched.selection)})\n`);
      for (const notice of launched.notices) out.write(`warning: ${notice}\n`);
      if (opts.detach) {
        if (opts.json) printJson({ runId: launched.runId, status: launched.status, parentRunId: runId });
        return EXIT.ok;
      }
      const summary = await service.awaitRun(launched.runId);
      if (opts.json) printJson(summary);
      else printRunSummary(summary, process.stdout);
      return summary.status === 'SUCCESS' ? EXIT.ok : summary.status === 'CANCELED' ? EXIT.canceled : EXIT.failed;
    },
    { launch: true },
  );
}
