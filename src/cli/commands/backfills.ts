import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { UnknownBackfillError, type BackfillListItem, type BackfillSummary } from '../../execution/backfill-summary.js';
import { cancelBackfill } from '../../execution/settle-backfills.js';
import { openRunService, type OpenedRunService } from '../../runtime/open-run-service.js';
import type { BackfillStatus } from '../../storage/instance.js';
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { table } from '../output/format.js';
import { cancelLocally } from './runs.js';

const STATUSES: BackfillStatus[] = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELING', 'CANCELED'];

/**
 * `backfill` has its own --json (the launch's), and commander gives a parent's options to the
 * parent wherever they appear: a subcommand reads them with the parent's.
 */
function wantsJson(cmd: Command): boolean {
  return cmd.optsWithGlobals<{ json?: boolean }>().json === true;
}

async function withService<T>(cmd: Command, fn: (opened: OpenedRunService) => Promise<T>): Promise<T> {
  const opened = await openRunService(settingsFor(cmd));
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

/** `done 3, failed 1, running 2, queued 24, canceled 0`. */
export function countsLine(counts: BackfillListItem['counts']): string {
  return `done ${counts.done}, failed ${counts.failed}, running ${counts.running}, queued ${counts.queued}, canceled ${counts.canceled}`;
}

/** The header, the counts and the per-partition table, as `backfill show` and a finished launch print them. */
export function printBackfillSummary(summary: BackfillSummary, out: { write(s: string): unknown }): void {
  out.write(`backfill ${summary.backfillId}  ${summary.status}  select=${summary.selection}  ${summary.from}...${summary.to}\n`);
  out.write(
    `policy ${summary.policy}${summary.maxConcurrentRuns === null ? '' : `, at most ${summary.maxConcurrentRuns} run(s) at once`}; ${summary.partitionCount} partition(s) in ${summary.runCount} run(s)\n`,
  );
  out.write(`partitions: ${countsLine(summary.counts)}\n`);
  out.write(`${table(['PARTITION', 'STATE', 'RUN'], summary.partitions.map((p) => [p.key, p.state, p.runId ?? '-']))}\n`);
}

/** `sluice backfill list [--status S] [--limit N] [--json]`, newest first. */
export async function backfillList(cmd: Command, opts: { status?: string; limit?: string }): Promise<number> {
  const limit = opts.limit === undefined ? 50 : parsePositiveInt(opts.limit, '--limit');
  const statuses = opts.status?.split(',').map((s) => s.trim().toUpperCase());
  for (const s of statuses ?? []) {
    if (!STATUSES.includes(s as BackfillStatus)) throw new SluiceError('INVALID_FLAG', `--status "${s}" is not one of ${STATUSES.join(', ')}`, { flag: '--status' });
  }
  const rows = await withService(cmd, ({ service }) => service.listBackfills({ limit, ...(statuses ? { statuses: statuses as BackfillStatus[] } : {}) }));
  if (wantsJson(cmd)) printJson(rows);
  else if (rows.length === 0) process.stdout.write('no backfills yet\n');
  else {
    const lines = rows.map((b) => [b.backfillId, b.status, b.createdAt, `${b.from}...${b.to}`, String(b.partitionCount), String(b.runCount), countsLine(b.counts), b.selection]);
    process.stdout.write(`${table(['BACKFILL', 'STATUS', 'CREATED', 'RANGE', 'PARTITIONS', 'RUNS', 'PROGRESS', 'SELECTION'], lines)}\n`);
  }
  return EXIT.ok;
}

/** `sluice backfill show ID [--json]`: status, selection, range, policy, counts, and each partition's state and run. */
export async function backfillShow(cmd: Command, id: string): Promise<number> {
  const summary = await withService(cmd, ({ service }) => service.backfill(id));
  if (wantsJson(cmd)) printJson(summary);
  else printBackfillSummary(summary, process.stdout);
  return EXIT.ok;
}

/**
 * `sluice backfill cancel ID`: its queued runs never start, its running ones are canceled the way
 * `sluice runs cancel` cancels a run; the backfill ends CANCELED once none of its runs is active.
 */
export async function backfillCancel(cmd: Command, id: string): Promise<number> {
  const settings = settingsFor(cmd);
  const status = await withService(cmd, async (opened) => {
    if (opened.kind === 'remote') return opened.service.cancelBackfill(id);
    if (!(await opened.instance.backfills.getBackfill(id))) throw new UnknownBackfillError(id);
    return cancelBackfill(opened.instance.backfills, id, (runId) => cancelLocally(settings, opened.instance, runId), () => new Date());
  });
  if (wantsJson(cmd)) printJson({ backfillId: id, status: status ?? null });
  else process.stdout.write(`backfill ${id}: ${status}${status === 'CANCELING' ? ' (running runs are stopping)' : ''}\n`);
  return EXIT.ok;
}
