import { pino, type DestinationStream, type LevelWithSilent } from 'pino';
import type { AnyAssetDefinition, MaterializeResult } from '../core/asset/asset-definition.js';
import type { StepLogger } from '../core/asset/logger.js';
import type { Metadata } from '../core/asset/metadata.js';
import { NO_RETRY, retryDelayMs } from '../core/asset/retry-policy.js';
import { isGating, type AnyCheckDefinition, type CheckResult } from '../core/checks/check-definition.js';
import { toErrorInfo, type ErrorInfo, type NewEvent } from '../core/events.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { resolveEnvRefs } from '../core/plan/env-ref.js';
import type { Redactor } from '../core/redactor.js';
import { REDACTED } from '../core/redactor.js';
import type { Instance, RunRecord, StartStepResult, StepOutcome } from '../storage/instance.js';
import { REDACT_PATHS, redactingDestination } from '../runtime/logger.js';
import type { ResourceCache } from './resource-cache.js';
import { retryStorageWrite } from './retry-storage-write.js';
import { CheckFailedError, KeysNotReportedError, RunCanceledError, StepDefinitionMissingError, StepTimeoutError } from './step-errors.js';
import { StepCursor } from './step-cursor.js';
import { stepPartition } from './step-partition.js';
import { StepLogBuffer } from './step-log-buffer.js';
import { MultiStepReports } from './multi-step-reports.js';
import { sanitizeMetadata } from './sanitize-metadata.js';

/** After a cancel or timeout, how long a step's code gets to stop what it started before it is left behind. */
const ABORT_SETTLE_MS = 5_000;

/** How soon a multi-asset's report is written (reports within this window share one write). */
const REPORT_FLUSH_MS = 40;

/** How soon after a step starts its first batch of events (STEP_STARTED, early log lines) is written. */
const FIRST_FLUSH_MS = 50;

/** What the step runner needs from its host process. */
export interface StepRunnerContext {
  readonly instance: Instance;
  readonly graph: AssetGraph;
  readonly resources: ResourceCache;
  readonly redactor: Redactor;
  /** `host:pid` or a worker id, recorded on each attempt. */
  readonly worker: string;
  readonly logLevel: LevelWithSilent;
  /** Where step log lines are also written (the process log); undefined keeps them only in storage. */
  readonly logDestination?: DestinationStream;
  readonly now: () => Date;
  readonly random: () => number;
  /** How often buffered log lines of a running step are written, in ms. */
  readonly logFlushMs?: number;
  /** Called after each event is committed (progress output, live views). */
  readonly onEvent?: (event: NewEvent) => void;
  /** After a cancel or timeout, how long the step's code gets to stop (default 5 s). */
  readonly abortSettleMs?: number;
}

export type AttemptResult =
  | { readonly status: 'NOT_STARTED'; readonly start: Exclude<StartStepResult, { started: true }> }
  | {
      readonly status: 'SUCCEEDED' | 'FAILED' | 'CANCELED';
      readonly ready: string[];
      readonly skipped: string[];
      /** Steps of the run still PENDING or RUNNING right after this outcome was recorded. */
      readonly remaining: number;
      readonly error?: ErrorInfo;
    }
  | { readonly status: 'RETRY'; readonly retryDelayMs: number; readonly error: ErrorInfo };

interface StepTarget {
  readonly key: string;
  readonly kind: 'asset' | 'check';
  readonly assetKey: string;
  readonly checkName: string | null;
  /** A multi-asset's step: the multi-asset's name (its keys come from the step's row). */
  readonly multi?: string;
}

/** Failures a retry would only repeat: a failed gating check, and a multi-asset's broken reporting. */
const NOT_RETRIED = new Set(['CHECK_FAILED', 'INVALID_REPORT', 'KEYS_NOT_REPORTED']);

/**
 * Runs one attempt of one step: claims it (PENDING -> RUNNING), builds the context, calls user
 * code under the run's signal and the asset's timeout, and records the outcome with its logs in
 * one storage transaction. Never throws for user-code failures; those become the outcome.
 */
export async function runStepAttempt(
  host: StepRunnerContext,
  run: RunRecord,
  step: StepTarget,
  attempt: number,
  runSignal: AbortSignal,
): Promise<AttemptResult> {
  const startedAt = host.now();
  const start = await host.instance.runs.startStep(run.id, step.key, attempt, startedAt, host.worker);
  if (!start.started) return { status: 'NOT_STARTED', start };
  const started: NewEvent = { type: 'STEP_STARTED', runId: run.id, stepKey: step.key, at: startedAt, data: { attempt, worker: host.worker } };
  host.onEvent?.(started);

  // STEP_STARTED is the first event of the attempt's first batch: a step that ends before the first
  // flush writes it with its outcome, in the one run-locked commit the step costs.
  const buffer = new StepLogBuffer(run.id, step.key, host.logDestination);
  buffer.push(started);
  const log = lazyLogger(host.logLevel, () =>
    pino(
      { level: host.logLevel, redact: { paths: REDACT_PATHS, censor: REDACTED }, base: { runId: run.id, step: step.key, attempt } },
      redactingDestination(host.redactor, buffer),
    ) as unknown as StepLogger,
  );
  // Lines are written in batches while the step runs; one batch at a time, so that they stay in
  // order and the last one lands before the outcome.
  let flushing: Promise<void> = Promise.resolve();
  const flushEvery = host.logFlushMs ?? 250;
  let flusher: NodeJS.Timeout;
  let reports: MultiStepReports | undefined;
  const target = { runId: run.id, stepKey: step.key, attempt };
  const nextFlush = (delayMs: number) => {
    flusher = setTimeout(() => {
      flushing = flushing.then(() => flushLogs(host, buffer, target, reports));
      nextFlush(flushEvery);
    }, delayMs);
  };
  // A multi-asset's reports go out within REPORT_FLUSH_MS rather than waiting for the log timer;
  // reports that come together (a dbt build announces hundreds) share one write.
  let reportTimer: NodeJS.Timeout | undefined;
  const emitReport = (event: NewEvent) => {
    buffer.push(event);
    reportTimer ??= setTimeout(() => {
      reportTimer = undefined;
      flushing = flushing.then(() => flushLogs(host, buffer, target, reports));
    }, REPORT_FLUSH_MS);
  };
  // The first batch (STEP_STARTED at least) goes out soon, so live views see a long step start.
  nextFlush(Math.min(FIRST_FLUSH_MS, flushEvery));

  const multi = step.multi === undefined ? undefined : host.graph.multiAsset(step.multi);
  const asset = step.multi === undefined && host.graph.has(step.assetKey) ? host.graph.get(step.assetKey) : undefined;
  const check = step.checkName ? asset && host.graph.checksOf(step.assetKey).find((c) => c.name === step.checkName) : undefined;
  const timeoutMs = multi ? multi.timeoutMs : step.kind === 'asset' ? asset?.timeoutMs : undefined;

  let outcome: { ok: true; result: MaterializeResult | CheckResult | void } | { ok: false; error: unknown };
  const partition = stepPartition(multi ? multi.assets[0] : asset, run.partition);
  // Per partition in a single-partition run; one cursor for the asset otherwise (unpartitioned, or a range).
  const cursor = new StepCursor(host.instance.eventLog, step.assetKey, partition.partitionKey ?? '');
  const stepAbort = new AbortController();
  const onRunAbort = () => stepAbort.abort(new RunCanceledError(run.id));
  if (runSignal.aborted) onRunAbort();
  else runSignal.addEventListener('abort', onRunAbort, { once: true });
  const timer = timeoutMs ? setTimeout(() => stepAbort.abort(new StepTimeoutError(step.key, timeoutMs)), timeoutMs) : undefined;
  try {
    const common = {
      log,
      run: { id: run.id, tags: run.tags },
      signal: stepAbort.signal,
      attempt,
      ...partition,
    };
    let work: Promise<MaterializeResult | CheckResult | void>;
    if (step.multi !== undefined) {
      if (!multi || !start.assetKeys) throw new StepDefinitionMissingError(step.key);
      const keys = await keysToMaterialize(host, run.id, step.key, attempt, multi.canSubset, start.assetKeys, start.partitions ?? null);
      const open = new MultiStepReports(multi, keys, { runId: run.id, stepKey: step.key, partition: run.partition, partitionKey: partition.partitionKey }, host.instance, host.redactor, host.now, emitReport, (message) => log.warn(message));
      reports = open;
      const resources = await host.resources.resolve(multi.resources);
      work = Promise.resolve()
        .then(() =>
          multi.materialize({
            ...common,
            name: multi.name,
            selectedKeys: Object.freeze([...keys]),
            selectedChecks: open.selectedChecks,
            config: resolvedConfig(host, run, multi.name),
            resources,
            report: (key, result) => open.report(key, result),
            reportCheck: (key, name, result) => open.reportCheck(key, name, result),
            cursor: (key) => open.cursor(key),
          }),
        )
        .then((result) => open.reportReturned(result));
    } else {
      if (!asset || (step.kind === 'check' && !check)) throw new StepDefinitionMissingError(step.key);
      const resources = await host.resources.resolve(step.kind === 'asset' ? asset.resources : check!.resources);
      work =
        step.kind === 'asset'
          ? Promise.resolve().then(() => asset.materialize({ ...common, assetKey: step.assetKey, resources, config: resolvedConfig(host, run, step.assetKey), cursor }))
          : Promise.resolve().then(() => check!.check({ ...common, assetKey: step.assetKey, resources, checkName: check!.name }));
    }
    outcome = { ok: true, result: await raceAbort(work, stepAbort.signal, host.abortSettleMs ?? ABORT_SETTLE_MS) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    if (timer) clearTimeout(timer);
    runSignal.removeEventListener('abort', onRunAbort);
    clearTimeout(flusher!);
    if (reportTimer) clearTimeout(reportTimer);
    await flushing;
  }
  if (reports) {
    // The attempt's reporting ends here; a success needs every selected key and no failed gate.
    const { failedGate, missing } = reports.close();
    // A failed gate explains keys left unreported (dbt skips what is downstream of a failed test).
    if (outcome.ok && failedGate) outcome = { ok: false, error: failedGate };
    else if (outcome.ok && missing.length > 0) outcome = { ok: false, error: new KeysNotReportedError(multi!.name, missing) };
    // What it reported is written before the outcome, whatever the outcome (materialized keys stay materialized).
    if (reports.pending) await writeReports(host, buffer, target, reports);
  }

  const endedAt = host.now();
  const durationMs = endedAt.getTime() - startedAt.getTime();
  const base = { attempt, at: endedAt, durationMs };
  let record: StepOutcome;
  let carried: NewEvent[] = [];
  if (outcome.ok) {
    const materialized = { codeVersion: asset?.codeVersion, partition: run.partition ?? undefined };
    record = multi ? { status: 'SUCCEEDED', ...base } : step.kind === 'asset' ? assetOutcome(host, outcome.result as MaterializeResult | void, base, cursor.staged(), materialized) : checkOutcome(host, check!, step, outcome.result as CheckResult, base);
  } else {
    const error = redactError(host.redactor, toErrorInfo(outcome.error));
    log.error({ err: { message: error.message, code: error.code } }, 'step failed');
    const policy = (multi ?? asset)?.retry ?? NO_RETRY;
    const code = (outcome.error as { code?: unknown } | undefined)?.code;
    const canRetry = step.kind === 'asset' && attempt < policy.attempts && !runSignal.aborted && (asset !== undefined || multi !== undefined) && !NOT_RETRIED.has(String(code));
    if (canRetry) {
      const delay = retryDelayMs(policy, attempt + 1, host.random());
      await retryStorageWrite(() => confirmRestored(host, buffer, target));
      const logs = buffer.drain();
      const retried = await retryStorageWrite(() => host.instance.runs.retryStep(run.id, step.key, { status: 'FAILED', ...base, error, retryDelayMs: delay, events: logs }));
      if (retried) {
        announceWritten(host, logs);
        host.onEvent?.({ type: 'STEP_FAILED', runId: run.id, stepKey: step.key, at: endedAt, data: { attempt, durationMs, error, willRetry: true, retryDelayMs: delay } });
        return { status: 'RETRY', retryDelayMs: delay, error };
      }
      carried = logs;
    }
    // An attempt that ends in error because its run was canceled is CANCELED, not FAILED.
    record = { status: runSignal.aborted ? 'CANCELED' : 'FAILED', ...base, error };
  }
  await retryStorageWrite(() => confirmRestored(host, buffer, target));
  const logs = [...carried, ...buffer.drain()];
  // The user code has run: a storage outage here delays the record rather than losing it (losing it
  // would run the step again once the executor retries the attempt).
  const finished = await retryStorageWrite(() => host.instance.runs.finishStep(run.id, step.key, { ...record, events: logs }));
  announceWritten(host, logs);
  announce(host, run.id, step, record, finished.skipped);
  return { status: record.status, ready: finished.ready, skipped: finished.skipped, remaining: finished.remaining, ...(record.error ? { error: record.error } : {}) };
}

/**
 * The asset's run config with its env references resolved from this process's environment; the
 * values they resolved to are secrets from now on (redacted from logs, errors and metadata).
 */
function resolvedConfig(host: StepRunnerContext, run: RunRecord, assetKey: string): unknown {
  const resolved: string[] = [];
  const config = resolveEnvRefs(run.config[assetKey], process.env, { assetKey, configRef: run.configRef }, resolved);
  host.redactor.add(resolved);
  return config;
}

function assetOutcome(
  host: StepRunnerContext,
  result: MaterializeResult | void,
  base: Pick<StepOutcome, 'attempt' | 'at' | 'durationMs'>,
  cursor: StepOutcome['cursor'],
  materialized: { codeVersion: string | undefined; partition: string | undefined },
): StepOutcome {
  const metadata = host.redactor.value(sanitizeMetadata(result?.metadata));
  return {
    status: 'SUCCEEDED',
    ...base,
    materialization: {
      metadata,
      ...(result?.dataVersion !== undefined ? { dataVersion: String(result.dataVersion) } : {}),
      ...(materialized.codeVersion !== undefined ? { codeVersion: materialized.codeVersion } : {}),
      ...(materialized.partition !== undefined ? { partition: materialized.partition } : {}),
    },
    ...(cursor ? { cursor } : {}),
  };
}

function checkOutcome(
  host: StepRunnerContext,
  check: AnyCheckDefinition,
  step: StepTarget,
  result: CheckResult,
  base: Pick<StepOutcome, 'attempt' | 'at' | 'durationMs'>,
): StepOutcome {
  if (!result || typeof result.passed !== 'boolean') {
    return {
      status: 'FAILED',
      ...base,
      error: { name: 'InvalidCheckResult', message: `check "${check.name}" on "${step.assetKey}" must return { passed: boolean }` },
    };
  }
  const description = result.description === undefined ? undefined : host.redactor.string(result.description);
  const checkRecord = {
    passed: result.passed,
    severity: check.severity,
    blocking: check.blocking,
    metadata: host.redactor.value(sanitizeMetadata(result.metadata)),
    ...(description !== undefined ? { description } : {}),
  };
  if (!result.passed && isGating(check)) {
    return { status: 'FAILED', ...base, check: checkRecord, error: toErrorInfo(new CheckFailedError(step.assetKey, check.name, description)) };
  }
  return { status: 'SUCCEEDED', ...base, check: checkRecord };
}

function redactError(redactor: Redactor, error: ErrorInfo): ErrorInfo {
  return redactor.value(error);
}

function announce(host: StepRunnerContext, runId: string, step: StepTarget, outcome: StepOutcome, skipped: string[]): void {
  if (!host.onEvent) return;
  const at = outcome.at;
  if (outcome.materialization) {
    host.onEvent({ type: 'MATERIALIZATION', runId, stepKey: step.key, at, data: { assetKey: step.assetKey, ...outcome.materialization } });
  }
  if (outcome.check) {
    host.onEvent({ type: 'CHECK_EVALUATION', runId, stepKey: step.key, at, data: { assetKey: step.assetKey, checkName: step.checkName!, ...outcome.check } });
  }
  host.onEvent(
    outcome.status === 'SUCCEEDED'
      ? { type: 'STEP_SUCCEEDED', runId, stepKey: step.key, at, data: { attempt: outcome.attempt, durationMs: outcome.durationMs } }
      : outcome.status === 'CANCELED'
        ? { type: 'STEP_CANCELED', runId, stepKey: step.key, at, data: {} }
        : {
          type: 'STEP_FAILED',
          runId,
          stepKey: step.key,
          at,
          data: { attempt: outcome.attempt, durationMs: outcome.durationMs, error: outcome.error!, willRetry: false },
        },
  );
  for (const key of skipped) host.onEvent({ type: 'STEP_SKIPPED', runId, stepKey: key, at, data: { reason: `upstream step "${step.key}" failed` } });
}

/** Hands written batch events to `onEvent`, except STEP_STARTED, announced when the attempt began. */
function announceWritten(host: StepRunnerContext, events: readonly NewEvent[]): void {
  if (host.onEvent) for (const event of events) if (event.type !== 'STEP_STARTED') host.onEvent(event);
}

/**
 * Writes the attempt's buffered events: with a multi-asset's pending reports, in one transaction
 * with their rows (recordStepReports), else as they are (appendEvents).
 */
async function flushLogs(host: StepRunnerContext, buffer: StepLogBuffer, target: ReportTarget, reports: MultiStepReports | undefined): Promise<void> {
  if (buffer.size === 0) return;
  try {
    await confirmRestored(host, buffer, target);
  } catch {
    return; // still unreachable: the next batch or the outcome tries again
  }
  const events = buffer.drain();
  const rows = reports?.pending ? reports.drain() : undefined;
  try {
    if (rows) await host.instance.runs.recordStepReports(target.runId, target.stepKey, target.attempt, { at: host.now(), ...rows, events });
    else await host.instance.eventLog.appendEvents(events);
    announceWritten(host, events);
  } catch {
    // Storage hiccup: the batch goes back in front of the buffer and out with the next batch or
    // the outcome (whose write is retried), so nothing is lost and the order holds.
    buffer.restore(events);
    if (rows) reports!.restore(rows);
  }
}

/**
 * After a batch write failed, whether it committed anyway (its reply lost in an outage): the
 * attempt's STEP_STARTED is looked for, and not written twice when it is there. Log lines of such a
 * batch may be written twice (at least once); every other event is written once. Throws while
 * storage is unreachable.
 */
async function confirmRestored(host: StepRunnerContext, buffer: StepLogBuffer, target: ReportTarget): Promise<void> {
  if (!buffer.unconfirmed) return;
  const started = await host.instance.eventLog.listEvents(target.runId, { stepKey: target.stepKey, types: ['STEP_STARTED'] });
  if (started.some((e) => (e.data as { attempt?: number }).attempt === target.attempt)) buffer.dropStarted();
  buffer.unconfirmed = false;
}

interface ReportTarget {
  readonly runId: string;
  readonly stepKey: string;
  readonly attempt: number;
}

/** The reports still pending when the attempt ended, written before its outcome (retried through an outage: user code has run). */
async function writeReports(host: StepRunnerContext, buffer: StepLogBuffer, target: ReportTarget, reports: MultiStepReports): Promise<void> {
  const events = buffer.drain();
  const rows = reports.drain();
  await retryStorageWrite(() => host.instance.runs.recordStepReports(target.runId, target.stepKey, target.attempt, { at: host.now(), ...rows, events }));
  announceWritten(host, events);
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const LEVEL_RANK: Readonly<Record<LevelWithSilent, number>> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5, silent: 6 };

/**
 * A step's logger, built on its first line at an enabled level (or its first child): building a
 * pino logger with redaction costs more than most steps' own work, and most steps log nothing.
 * Lines below `level` are dropped without building it, as pino drops them.
 */
function lazyLogger(level: LevelWithSilent, build: () => StepLogger): StepLogger {
  let real: StepLogger | undefined;
  const get = () => (real ??= build());
  const method = (name: (typeof LEVELS)[number]) => {
    if (LEVEL_RANK[name] < LEVEL_RANK[level]) return () => {};
    return ((...args: [never]) => get()[name](...args)) as StepLogger[typeof name];
  };
  return {
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    child: (bindings) => get().child(bindings),
  };
}

/**
 * The keys an attempt of a multi-asset's step materializes: all of the step's, or, for a retry of
 * one that can subset, those no earlier attempt of this run's step reported.
 */
async function keysToMaterialize(host: StepRunnerContext, runId: string, stepKey: string, attempt: number, canSubset: boolean, keys: readonly string[], partitions: readonly string[] | null): Promise<readonly string[]> {
  if (attempt === 1 || !canSubset) return keys;
  const done = new Set(await host.instance.runs.reportedKeys(runId, stepKey, keys, partitions));
  return keys.filter((key) => !done.has(key));
}

/**
 * Resolves or rejects with `work`; once the signal aborts, rejects with its reason as soon as `work`
 * settles (code that honours its signal stops what it started: dbt cancels its queries), or after
 * `settleMs` at the latest (code that ignores its signal is left running in the background).
 */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal, settleMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const timer = setTimeout(() => reject(signal.reason), settleMs);
      const stopped = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      work.then(stopped, stopped);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        if (signal.aborted) return;
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        if (signal.aborted) return;
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
