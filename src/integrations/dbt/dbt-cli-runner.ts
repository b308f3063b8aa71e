import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepLogger } from '../../core/asset/logger.js';
import { DbtError } from './dbt-error.js';
import { loggedResult, parseDbtLogLine, stepLogLevel, type LoggedResult } from './dbt-json-log.js';
import type { DbtNodeResult, DbtRunContext, DbtRunner } from './dbt-project.js';
import { dbtSelectors } from './dbt-selectors.js';
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
  /** After an abort, how long dbt gets to stop on SIGTERM before SIGKILL. Default 10 s. */
  readonly killGraceMs?: number;
}

const LAST_LINES = 20;

/**
 * The `dbt` runner: each call runs
 * `<command> build --select <nodes and tests> --indirect-selection empty --log-format json`
 * in the project folder, so a model's step builds only the model and a test's step runs only the
 * test (Sluice runs tests as check steps). Each invocation gets a fresh `DBT_TARGET_PATH` (a temp
 * folder, removed afterwards), so concurrent steps never share dbt's artifacts. Every JSON log line
 * goes to the step's log at its dbt level with its `node_info`; results come from the result log
 * events and then from `run_results.json`, which wins where both speak. A nonzero exit that leaves
 * a selected node without a result is an error quoting the last log lines. Aborting the step's
 * signal stops dbt (SIGTERM, then SIGKILL).
 */
export function dbtCliRunner(options: DbtCliRunnerOptions = {}): DbtRunner {
  const command = options.command ?? ['dbt'];
  if (command.length === 0 || command.some((part) => typeof part !== 'string' || part === '')) {
    throw new DbtError('DBT_INVALID_OPTION', `dbtCliRunner({ command }) must be a non-empty list of strings, e.g. ['dbt'], got ${JSON.stringify(command)}`, {});
  }
  const killGraceMs = options.killGraceMs ?? 10_000;
  return Object.freeze({
    kind: 'dbt',
    resources: Object.freeze({}),
    async run(ctx: DbtRunContext): Promise<DbtNodeResult[]> {
      ctx.signal.throwIfAborted();
      const args = [
        ...command.slice(1),
        'build',
        '--select',
        ...dbtSelectors(ctx.project, ctx.select),
        '--indirect-selection',
        'empty',
        '--log-format',
        'json',
        ...(options.profilesDir === undefined ? [] : ['--profiles-dir', options.profilesDir]),
        ...(options.target === undefined ? [] : ['--target', options.target]),
        ...(options.args ?? []),
      ];
      const targetPath = mkdtempSync(join(tmpdir(), 'sluice-dbt-target-'));
      const fromLog = new Map<string, LoggedResult>();
      const lastLines: string[] = [];
      const remember = (text: string) => {
        lastLines.push(text);
        if (lastLines.length > LAST_LINES) lastLines.shift();
      };
      try {
        ctx.log.info({ command: command[0], args, targetPath }, 'dbt build started');
        let outcome;
        try {
          outcome = await runProcessLines(command[0]!, args, {
            cwd: ctx.project.dir,
            env: { ...process.env, ...options.env, DBT_TARGET_PATH: targetPath },
            signal: ctx.signal,
            killGraceMs,
            onStdout: (line) => {
              const text = forwardLine(ctx.log, line, fromLog);
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
              ? `dbt command "${command[0]}" not found: install dbt (pip install dbt-postgres), pass dbtCliRunner({ command }), or use the native runner`
              : `could not start dbt command "${command[0]}": ${(error as Error).message}`,
            { command: command[0] },
            error,
          );
        }
        ctx.signal.throwIfAborted();
        const results = mergeResults(fromLog, readRunResults(targetPath));
        const missing = ctx.select.filter((id) => !results.some((r) => r.uniqueId === id));
        if (outcome.exitCode !== 0 && missing.length > 0) {
          const how = outcome.exitCode === null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
          throw new DbtError(
            'DBT_COMMAND_FAILED',
            `dbt build ${how} without a result for ${missing.join(', ')}; last log lines:\n${lastLines.join('\n') || '(none)'}`,
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
function forwardLine(log: StepLogger, line: string, fromLog: Map<string, LoggedResult>): string | undefined {
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
  if (result) fromLog.set(result.uniqueId, { ...fromLog.get(result.uniqueId), ...result });
  return event.info.msg;
}

/** Log-derived results refined by run_results.json, as DbtNodeResults. */
function mergeResults(fromLog: ReadonlyMap<string, LoggedResult>, fromFile: ReadonlyMap<string, LoggedResult>): DbtNodeResult[] {
  const ids = [...new Set([...fromLog.keys(), ...fromFile.keys()])].sort();
  return ids.flatMap((uniqueId) => {
    const merged: LoggedResult = { ...fromLog.get(uniqueId), ...fromFile.get(uniqueId), uniqueId };
    if (merged.status === undefined) return [];
    return [
      Object.freeze({
        uniqueId,
        status: merged.status,
        failures: merged.failures,
        rowsAffected: merged.rowsAffected,
        executionTimeSeconds: merged.executionTimeSeconds,
        message: merged.message,
        metadata: Object.freeze({}),
      }),
    ];
  });
}
