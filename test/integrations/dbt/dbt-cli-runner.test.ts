import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dbtCliRunner, type DbtCliRunnerOptions } from '../../../src/integrations/dbt/dbt-cli-runner.js';
import type { DbtNodeResult } from '../../../src/integrations/dbt/dbt-project.js';
import { loadManifest } from '../../../src/integrations/dbt/load-manifest.js';
import { FAKE_DBT, recordingLogger, tempDbtProject, type LogRecord } from './fixtures/dbt-test-project.js';

const glucose = tempDbtProject();
const project = loadManifest(join(glucose.dir, 'target', 'manifest.json'));
const scratch = mkdtempSync(join(tmpdir(), 'sluice-dbt-runner-'));
afterAll(() => {
  glucose.remove();
  rmSync(scratch, { recursive: true, force: true });
});

const STG = 'model.glucose.stg_entries';
const FCT = 'model.glucose.fct_readings';
const SEED = 'seed.glucose.device_types';
const SNAPSHOT = 'snapshot.glucose.devices_snapshot';
const UNIQUE = 'test.glucose.unique_fct_readings_reading_id.0badc0ffee';
const ACCEPTED = 'test.glucose.accepted_values_stg_entries_direction__Flat__FortyFiveUp__SingleUp.a1b2c3d4e5';

let logs = 0;
/** Runs the stand-in dbt through the runner with a per-node behaviour; returns results, log lines and invocations. */
async function run(select: string[], behavior: Record<string, unknown> = {}, options: DbtCliRunnerOptions & { signal?: AbortSignal } = {}) {
  const invocationLog = join(scratch, `invocations-${++logs}.jsonl`);
  const records: LogRecord[] = [];
  const runner = dbtCliRunner({
    command: FAKE_DBT,
    ...options,
    env: { ...options.env, FAKE_DBT_BEHAVIOR: JSON.stringify({ $invocationLog: invocationLog, ...behavior }) },
  });
  const invocations = () =>
    existsSync(invocationLog)
      ? readFileSync(invocationLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { pid: number; argv: string[]; cwd: string; targetPath: string; env: Record<string, string> })
      : [];
  const promise = runner.run({ project, select, log: recordingLogger(records), signal: options.signal ?? new AbortController().signal, resources: {} });
  return { promise, records, invocations };
}

const byId = (results: DbtNodeResult[]) => Object.fromEntries(results.map((r) => [r.uniqueId, r]));

describe('dbtCliRunner against the stand-in dbt', () => {
  it('runs dbt build for exactly the selected nodes, in the project, with JSON logs', async () => {
    const { promise, invocations } = await run([STG, UNIQUE], {}, { profilesDir: 'profiles', target: 'ci', args: ['--vars', '{"days": 3}'] });
    await promise;
    const [invocation] = invocations();
    expect(invocation!.cwd).toBe(glucose.dir);
    expect(invocation!.argv).toEqual([
      'build', '--select', 'glucose.staging.stg_entries', 'unique_fct_readings_reading_id',
      '--indirect-selection', 'empty', '--log-format', 'json', '--profiles-dir', 'profiles', '--target', 'ci', '--vars', '{"days": 3}',
    ]);
  });

  it('maps node results from the log events and run_results.json', async () => {
    const { promise } = await run([SEED, STG, FCT, SNAPSHOT], { fct_readings: { rows: 42 } });
    const results = byId(await promise);
    expect(Object.keys(results).sort()).toEqual([FCT, STG, SEED, SNAPSHOT].sort());
    expect(results[FCT]).toMatchObject({ status: 'success', rowsAffected: 42, message: 'INSERT 0 42', failures: undefined });
    expect(results[FCT]!.executionTimeSeconds).toBeGreaterThan(0);
    // Postgres reports -1 rows for CREATE VIEW: no row count rather than a wrong one.
    expect(results[STG]).toMatchObject({ status: 'success', rowsAffected: undefined, message: 'CREATE VIEW' });
    expect(results[SEED]).toMatchObject({ status: 'success', rowsAffected: 10, message: 'INSERT 10' });
    expect(results[SNAPSHOT]).toMatchObject({ status: 'success' });
  });

  it('maps test outcomes with failing row counts; a failing test exits 1 but still yields its result', async () => {
    const { promise } = await run([UNIQUE, ACCEPTED], { unique_fct_readings_reading_id: { status: 'fail', failures: 3 }, [ACCEPTED.split('.')[2]!]: { status: 'warn', failures: 2 } });
    const results = byId(await promise);
    expect(results[UNIQUE]).toMatchObject({ status: 'fail', failures: 3, message: 'Got 3 results, configured to fail if != 0' });
    expect(results[ACCEPTED]).toMatchObject({ status: 'warn', failures: 2 });
  });

  it('maps a model error with dbt’s message', async () => {
    const { promise } = await run([STG], { stg_entries: { status: 'error', message: 'Database Error in model stg_entries\n  relation "raw.entries" does not exist' } });
    expect(byId(await promise)[STG]).toMatchObject({ status: 'error', message: 'Database Error in model stg_entries\n  relation "raw.entries" does not exist' });
  });

  it('streams every JSON log line into the step log at its level, with node_info', async () => {
    const { promise, records } = await run([STG, UNIQUE], { unique_fct_readings_reading_id: { status: 'fail', failures: 3 }, $stderr: 'DeprecationWarning: something' });
    await promise;
    const dbtLines = records.filter((r) => r.fields.dbt_event !== undefined);
    expect(dbtLines[0]).toMatchObject({ level: 'info', msg: 'Running with dbt=1.8.7', fields: { dbt_event: 'MainReportVersion', dbt_code: 'A001' } });
    const modelResult = dbtLines.find((r) => r.fields.dbt_event === 'LogModelResult')!;
    expect(modelResult.level).toBe('info');
    expect(modelResult.msg).toMatch(/^1 of 2 OK created sql view model dev\.stg_entries \.+ \[CREATE VIEW in \d\.\d\ds\]$/);
    expect(modelResult.fields.node_info).toMatchObject({ unique_id: STG, node_status: 'success', resource_type: 'model' });
    const testResult = dbtLines.find((r) => r.fields.dbt_event === 'LogTestResult')!;
    expect(testResult).toMatchObject({ level: 'error', fields: { dbt_code: 'Q007', node_info: { unique_id: UNIQUE, node_status: 'fail' } } });
    expect(dbtLines.at(-1)!.msg).toBe('Completed with 1 error, 0 partial successes, and 0 warnings:');
    expect(records.find((r) => r.fields.stream === 'stderr')).toMatchObject({ level: 'warn', msg: 'DeprecationWarning: something' });
  });

  it('gives every invocation a fresh DBT_TARGET_PATH and removes it afterwards', async () => {
    const first = await run([STG], {}, { env: { DBT_PROFILES_DIR: '/etc/dbt' } });
    await first.promise;
    const second = await run([STG]);
    await second.promise;
    const [a] = first.invocations();
    const [b] = second.invocations();
    expect(a!.targetPath).not.toBe(b!.targetPath);
    expect(a!.env.DBT_TARGET_PATH).toBe(a!.targetPath);
    expect(a!.env.DBT_PROFILES_DIR).toBe('/etc/dbt');
    expect(a!.targetPath.startsWith(tmpdir())).toBe(true);
    expect(existsSync(a!.targetPath)).toBe(false);
    expect(existsSync(b!.targetPath)).toBe(false);
    // Nothing is written into the project's own target/.
    expect(existsSync(join(glucose.dir, 'target', 'run_results.json'))).toBe(false);
  });

  it('reports a nonzero exit without results as an error quoting the last log lines', async () => {
    const { promise } = await run([STG], { $crash: 'Could not find profile named "glucose"' });
    const error = await promise.then(() => undefined, (e: unknown) => e as { code: string; message: string });
    expect(error).toMatchObject({ code: 'DBT_COMMAND_FAILED' });
    expect(error!.message).toContain(`dbt build exited with code 2 without a result for ${STG}; last log lines:`);
    expect(error!.message).toContain('Running with dbt=1.8.7\nEncountered an error:\nCould not find profile named "glucose"');
  });

  it('says how to fix a dbt command that does not exist', async () => {
    const { promise } = await run([STG], {}, { command: ['dbt-does-not-exist-here'] });
    await expect(promise).rejects.toMatchObject({ code: 'DBT_COMMAND_NOT_FOUND', message: expect.stringContaining('pip install dbt-postgres') });
  });

  it('returns no result for a selection dbt matched nothing with, exiting 0', async () => {
    const { promise, records } = await run(['model.glucose.not_in_manifest']);
    expect(await promise).toEqual([]);
    expect(records.some((r) => r.fields.dbt_event === 'NoNodesForSelectionCriteria' && r.level === 'warn')).toBe(true);
  });
});

describe('dbtCliRunner abort', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const waitFor = async (predicate: () => boolean) => {
    for (let i = 0; i < 500 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(predicate()).toBe(true);
  };

  it('kills dbt with SIGTERM when the step is aborted, and cleans its target path', async () => {
    const abort = new AbortController();
    const { promise, records, invocations } = await run([STG], { stg_entries: { sleepMs: 60_000 } }, { signal: abort.signal });
    await waitFor(() => records.some((r) => r.fields.dbt_event === 'LogStartLine'));
    const [invocation] = invocations();
    expect(alive(invocation!.pid)).toBe(true);
    abort.abort(new Error('run canceled'));
    await expect(promise).rejects.toThrow('run canceled');
    expect(alive(invocation!.pid)).toBe(false);
    expect(existsSync(invocation!.targetPath)).toBe(false);
  });

  it('escalates to SIGKILL when dbt ignores SIGTERM', async () => {
    const abort = new AbortController();
    const { promise, records, invocations } = await run([STG], { stg_entries: { sleepMs: 60_000 }, $ignoreSigterm: true }, { signal: abort.signal, killGraceMs: 300 });
    await waitFor(() => records.some((r) => r.fields.dbt_event === 'LogStartLine'));
    const [invocation] = invocations();
    abort.abort(new Error('timed out'));
    await expect(promise).rejects.toThrow('timed out');
    expect(alive(invocation!.pid)).toBe(false);
    // It saw SIGTERM (and logged it) before SIGKILL ended it.
    expect(records.some((r) => r.fields.dbt_event === 'MainKeyboardInterrupt')).toBe(true);
  });

  it('does not start dbt when the signal is already aborted', async () => {
    const abort = new AbortController();
    abort.abort(new Error('already canceled'));
    const { promise, invocations } = await run([STG], {}, { signal: abort.signal });
    await expect(promise).rejects.toThrow('already canceled');
    expect(invocations()).toEqual([]);
  });
});
