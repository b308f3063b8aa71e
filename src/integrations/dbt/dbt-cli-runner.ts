import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepLogger } from '../../core/asset/logger.js';
import type { Metadata } from '../../core/asset/metadata.js';
import { DbtError } from './dbt-error.js';
import { loggedResult, parseDbtLogLine, stepLogLevel, type LoggedResult } from './dbt-json-log.js';
import { dbtEnv } from './dbt-env.js';
import { dbtParseSync } from './dbt-parse.js';
import type { DbtNodeResult, DbtProject, DbtRunContext, DbtRunner } from './dbt-project.js';
import { selectionArgs } from './dbt-selectors.js';
import { keepPartialParse, seedPartialParse } from './partial-parse.js';
import { readRunResults } from './read-run-results.js';
import { runProcessLines } from './run-process-lines.js';

export interface DbtCliRunnerOptions {
  /** The program and its leading arguments. Default `['dbt']` (found on PATH); e.g. `['uv', 'run', 'dbt']`. */
  readonly command?: readonly string[];
  /** `--profiles-dir` (relative to the dbt project). Default: dbt's own lookup (project dir, then ~/.dbt). */
  readonly profilesDir?: string;
  /** `--target`. Default: the profile's default target. */
  readonly target?: string;
  /** Added to the environment dbt runs with (e.g. a `DBT_ENV_SECRET_...` password). */
  readonly env?: Readonly<Record<string, string>>;
  /** More arguments after the selection, e.g. `['--vars', '{"day": "2026-01-01"}']`. */
  readonly args?: readonly string[];
  /** After an abort, how long dbt gets to stop on SIGINT (canceling its queries) before SIGKILL. Default 10 s. */
  readonly killGraceMs?: number;
}

const LAST_LINES = 20;
/** Compiled SQL kept with a materialization, at most (a long model's SQL is cut with a note). */
const COMPILED_SQL_MAX = 16_384;

/**
 * The `dbt` runner: each call is one
 * `<command> build --select <nodes and tests> --indirect-selection empty --log-format json`
 * in the project folder, building exactly the selected models, seeds and snapshots and running the
 * selected tests, in dbt's own order (a failing test skips what is downstream of it inside dbt).
 * Each invocation gets a fresh `DBT_TARGET_PATH` (a temp folder, removed afterwards), so concurrent
 * steps never share dbt's artifacts; the project's partial parse is kept between invocations in the
 * per-user cache (copied in before, the new one moved back after: see partial-parse.ts). Every JSON
 * log line goes to the step's log at its dbt level; a node's result is handed to `onResult` as soon
 * as its result line arrives (rows from the adapter's status, the relation, execution time and its
 * compiled SQL), and the returned results are refined by `run_results.json`, which is logged with
 * the step. A nonzero exit that leaves a selected node without a result is an error quoting the
 * last log lines. Aborting the step's signal stops dbt (SIGINT to its process group, on which dbt cancels its queries on the
 * warehouse, then SIGKILL after the grace);
 * what had finished was reported already.
 */
export function dbtCliRunner(options: DbtCliRunnerOptions = {}): DbtRunner {
  const command = options.command ?? ['dbt'];
  if (command.length === 0 || command.some((part) => typeof part !== 'string' || part === '')) {
    throw new DbtError('DBT_INVALID_OPTION', `dbtCliRunner({ command }) must be a non-empty list of strings, e.g. ['dbt'], got ${JSON.stringify(command)}`, {});
  }
  const killGraceMs = options.killGraceMs ?? 10_000;
  const profileArgs = [
    ...(options.profilesDir === undefined ? [] : ['--profiles-dir', options.profilesDir]),
    ...(options.target === undefined ? [] : ['--target', options.target]),
  ];
  return Object.freeze({
    kind: 'dbt',
    resources: Object.freeze({}),
    parseManifest(projectDir: string): string {
      return dbtParseSync({ command, projectDir, args: [...profileArgs, ...(options.args ?? [])], env: { ...process.env, ...options.env } });
    },
    async run(ctx: DbtRunContext): Promise<DbtNodeResult[]> {
      ctx.signal.throwIfAborted();
      const args = [
        ...command.slice(1),
        'build',
        ...selectionArgs(ctx.project, ctx.select),
        '--indirect-selection',
        'empty',
        '--log-format',
        'json',
        ...profileArgs,
        ...(options.args ?? []),
      ];
      const targetPath = mkdtempSync(join(tmpdir(), 'sluice-dbt-target-'));
      const seeded = seedPartialParse(ctx.project.dir, targetPath);
      const fromLog = new Map<string, LoggedResult>();
      const announced = new Set<string>();
      const wanted = new Set(ctx.select);
      const lastLines: string[] = [];
      const remember = (text: string) => {
        lastLines.push(text);
        if (lastLines.length > LAST_LINES) lastLines.shift();
      };
      const announce = (logged: LoggedResult) => {
        if (!ctx.onResult || !wanted.has(logged.uniqueId) || announced.has(logged.uniqueId) || logged.status === undefined) return;
        announced.add(logged.uniqueId);
        ctx.onResult(toResult(logged, compiledSql(ctx.project, targetPath, logged.uniqueId)));
      };
      try {
        ctx.log.info({ command: command[0], args, targetPath, partialParse: seeded }, 'dbt build started');
        let outcome;
        try {
          outcome = await runProcessLines(command[0]!, args, {
            cwd: ctx.project.dir,
            env: dbtEnv({ ...process.env, ...options.env, DBT_TARGET_PATH: targetPath }),
            signal: ctx.signal,
            killGraceMs,
            onStdout: (line) => {
              const text = forwardLine(ctx.log, line, fromLog, announce);
              if (text !== undefined) remember(text);
            },
            onStderr: (line) => {
              if (line.trim() === '') return;
              ctx.log.warn({ stream: 'stderr' }, line);
              remember(line);
            },
          });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new DbtError(
            code === 'ENOENT' ? 'DBT_COMMAND_NOT_FOUND' : 'DBT_COMMAND_FAILED',
            code === 'ENOENT'
              ? `dbt command "${command[0]}" not found: install dbt (pip install dbt-core dbt-postgres), pass dbtCliRunner({ command }), or use the native runner`
              : `could not start dbt command "${command[0]}": ${(error as Error).message}`,
            { command: command[0] },
            error,
          );
        }
        keepPartialParse(ctx.project.dir, targetPath);
        const fromFile = readRunResults(targetPath);
        logRunResults(ctx.log, targetPath);
        ctx.signal.throwIfAborted();
        const results = mergeResults(fromLog, fromFile, (id) => compiledSql(ctx.project, targetPath, id));
        for (const result of results) if (!announced.has(result.uniqueId) && wanted.has(result.uniqueId)) announced.add(result.uniqueId), ctx.onResult?.(result);
        const missing = ctx.select.filter((id) => !results.some((r) => r.uniqueId === id));
        if (outcome.exitCode !== 0 && missing.length > 0) {
          const how = outcome.exitCode === null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
          const profile = lastLines.some((l) => /profile|Could not find profile|Credentials|Runtime Error/i.test(l));
          throw new DbtError(
            'DBT_COMMAND_FAILED',
            `dbt build ${how} without a result for ${missing.join(', ')}; last log lines:\n${lastLines.join('\n') || '(none)'}\n${
              profile ? `check the dbt profile: run \`dbt debug${profileArgs.length ? ` ${profileArgs.join(' ')}` : ''}\` in ${ctx.project.dir}` : `run \`dbt build --select ...\` in ${ctx.project.dir} to see dbt's own output`
            }`,
            { exitCode: outcome.exitCode, signal: outcome.signal, missing, lastLines: [...lastLines] },
          );
        }
        return results;
      } finally {
        rmSync(targetPath, { recursive: true, force: true });
      }
    },
  });
}

/** Logs one stdout line at its dbt level and records any node result it carries; returns its text. */
function forwardLine(log: StepLogger, line: string, fromLog: Map<string, LoggedResult>, announce: (result: LoggedResult) => void): string | undefined {
  const event = parseDbtLogLine(line);
  if (!event) {
    if (line.trim() === '') return undefined;
    log.info({ stream: 'stdout' }, line);
    return line;
  }
  const nodeInfo = event.data.node_info;
  log[stepLogLevel(event.info.level)](
    { dbt_event: event.info.name, dbt_code: event.info.code, ...(nodeInfo === undefined ? {} : { node_info: nodeInfo }) },
    event.info.msg,
  );
  const result = loggedResult(event);
  if (result) {
    const merged = { ...fromLog.get(result.uniqueId), ...result };
    fromLog.set(result.uniqueId, merged);
    // A result line carries the final status (NodeFinished and skips refine or add to it).
    if (isFinal(merged.status)) announce(merged);
  }
  return event.info.msg;
}

const FINAL = new Set(['success', 'error', 'skipped', 'pass', 'fail', 'warn', 'runtime error', 'no-op']);

function isFinal(status: string | undefined): boolean {
  return status !== undefined && FINAL.has(status);
}

/** run_results.json of the invocation, kept with the step (its log), without each node's compiled code. */
function logRunResults(log: StepLogger, targetPath: string): void {
  try {
    const raw = JSON.parse(readFileSync(join(targetPath, 'run_results.json'), 'utf8')) as { results?: Array<Record<string, unknown>> };
    const results = (raw.results ?? []).map(({ compiled_code: _code, compiled: _compiled, ...rest }) => rest);
    log.info({ dbt_run_results: { ...raw, results } }, 'dbt run_results.json');
  } catch {
    // dbt wrote none (it failed before running anything): the log lines are all there is.
  }
}

/** The SQL dbt compiled for a node in this invocation (target/compiled/...), cut at COMPILED_SQL_MAX. */
function compiledSql(project: DbtProject, targetPath: string, uniqueId: string): string | undefined {
  const node = project.nodes.get(uniqueId) ?? project.tests.get(uniqueId);
  if (!node) return undefined;
  const pkg = 'packageName' in node ? node.packageName : project.name;
  try {
    const text = readFileSync(join(targetPath, 'compiled', pkg || project.name, node.originalFilePath), 'utf8');
    return text.length > COMPILED_SQL_MAX ? `${text.slice(0, COMPILED_SQL_MAX)}\n-- (cut at ${COMPILED_SQL_MAX} characters)` : text;
  } catch {
    return undefined;
  }
}

function toResult(merged: LoggedResult, sql: string | undefined): DbtNodeResult {
  const metadata: Record<string, string> = {};
  if (merged.relation !== undefined) metadata.relation = merged.relation;
  if (sql !== undefined) metadata.compiled_sql = sql;
  return Object.freeze({
    uniqueId: merged.uniqueId,
    status: merged.status!,
    failures: merged.failures,
    rowsAffected: merged.rowsAffected,
    executionTimeSeconds: merged.executionTimeSeconds,
    message: merged.message,
    metadata: Object.freeze(metadata) as Metadata,
  });
}

/** Log-derived results refined by run_results.json, as DbtNodeResults. */
function mergeResults(fromLog: ReadonlyMap<string, LoggedResult>, fromFile: ReadonlyMap<string, LoggedResult>, sqlOf: (id: string) => string | undefined): DbtNodeResult[] {
  const ids = [...new Set([...fromLog.keys(), ...fromFile.keys()])].sort();
  return ids.flatMap((uniqueId) => {
    const merged: LoggedResult = { ...fromLog.get(uniqueId), ...fromFile.get(uniqueId), uniqueId };
    return merged.status === undefined ? [] : [toResult(merged, sqlOf(uniqueId))];
  });
}
