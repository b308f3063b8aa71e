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
import { CheckFailedError, RunCanceledError, StepDefinitionMissingError, StepTimeoutError } from './step-errors.js';
import { StepCursor } from './step-cursor.js';
import { stepPartition } from './step-partition.js';
import { StepLogBuffer } from './step-log-buffer.js';

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
}

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
  const start = await host.instance.startStep(run.id, step.key, attempt, startedAt, host.worker);
  if (!start.started) return { status: 'NOT_STARTED', start };
  const started: NewEvent = { type: 'STEP_STARTED', runId: run.id, stepKey: step.key, at: startedAt, data: { attempt, worker: host.worker } };
  host.onEvent?.(started);

  // STEP_STARTED is the first event of the attempt's first batch: a step that ends before the first
  // flush writes it with its outcome, in the one run-locked commit the step costs.
  const buffer = new StepLogBuffer(run.id, step.key, host.logDestination);
  buffer.push(started);
  const log = pino(
    { level: host.logLevel, redact: { paths: REDACT_PATHS, censor: REDACTED }, base: { runId: run.id, step: step.key, attempt } },
    redactingDestination(host.redactor, buffer),
  ) as unknown as StepLogger;
  // Lines are written in batches while the step runs; one batch at a time, so that they stay in
  // order and the last one lands before the outcome.
  let flushing: Promise<void> = Promise.resolve();
  const flushEvery = host.logFlushMs ?? 250;
  let flusher: NodeJS.Timeout;
  const nextFlush = (delayMs: number) => {
    flusher = setTimeout(() => {
      flushing = flushing.then(() => flushLogs(host, buffer));
      nextFlush(flushEvery);
    }, delayMs);
  };
  // The first batch (STEP_STARTED at least) goes out soon, so live views see a long step start.
  nextFlush(Math.min(FIRST_FLUSH_MS, flushEvery));

  const asset = host.graph.has(step.assetKey) ? host.graph.get(step.assetKey) : undefined;
  const check = step.checkName ? asset && host.graph.checksOf(step.assetKey).find((c) => c.name === step.checkName) : undefined;
  const timeoutMs = step.kind === 'asset' ? asset?.timeoutMs : undefined;

  let outcome: { ok: true; result: MaterializeResult | CheckResult | void } | { ok: false; error: unknown };
  const partition = stepPartition(asset, run.partition);
  // Per partition in a single-partition run; one cursor for the asset otherwise (unpartitioned, or a range).
  const cursor = new StepCursor(host.instance, step.assetKey, partition.partitionKey ?? '');
  const stepAbort = new AbortController();
  const onRunAbort = () => stepAbort.abort(new RunCanceledError(run.id));
  if (runSignal.aborted) onRunAbort();
  else runSignal.addEventListener('abort', onRunAbort, { once: true });
  const timer = timeoutMs ? setTimeout(() => stepAbort.abort(new StepTimeoutError(step.key, timeoutMs)), timeoutMs) : undefined;
  try {
    if (!asset || (step.kind === 'check' && !check)) throw new StepDefinitionMissingError(step.key);
    const resources = await host.resources.resolve(step.kind === 'asset' ? asset.resources : check!.resources);
    const common = {
      assetKey: step.assetKey,
      log,
      run: { id: run.id, tags: run.tags },
      resources,
      signal: stepAbort.signal,
      attempt,
      ...partition,
    };
    const work =
      step.kind === 'asset'
        ? Promise.resolve().then(() => asset.materialize({ ...common, config: resolvedConfig(host, run, step.assetKey), cursor }))
        : Promise.resolve().then(() => check!.check({ ...common, checkName: check!.name }));
    outcome = { ok: true, result: await raceAbort(work, stepAbort.signal) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    if (timer) clearTimeout(timer);
    runSignal.removeEventListener('abort', onRunAbort);
    clearTimeout(flusher!);
    await flushing;
  }

  const endedAt = host.now();
  const durationMs = endedAt.getTime() - startedAt.getTime();
  const base = { attempt, at: endedAt, durationMs };
  let record: StepOutcome;
  let carried: NewEvent[] = [];
  if (outcome.ok) {
    const materialized = { codeVersion: asset?.codeVersion, partition: run.partition ?? undefined };
    record = step.kind === 'asset' ? assetOutcome(host, outcome.result as MaterializeResult | void, base, cursor.staged(), materialized) : checkOutcome(host, check!, step, outcome.result as CheckResult, base);
  } else {
    const error = redactError(host.redactor, toErrorInfo(outcome.error));
    log.error({ err: { message: error.message, code: error.code } }, 'step failed');
    const policy = asset?.retry ?? NO_RETRY;
    const canRetry = step.kind === 'asset' && attempt < policy.attempts && !runSignal.aborted && asset !== undefined;
    if (canRetry) {
      const delay = retryDelayMs(policy, attempt + 1, host.random());
      const logs = buffer.drain();
      const retried = await retryStorageWrite(() => host.instance.retryStep(run.id, step.key, { status: 'FAILED', ...base, error, retryDelayMs: delay, events: logs }));
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
  const logs = [...carried, ...buffer.drain()];
  // The user code has run: a storage outage here delays the record rather than losing it (losing it
  // would run the step again once the executor retries the attempt).
  const finished = await retryStorageWrite(() => host.instance.finishStep(run.id, step.key, { ...record, events: logs }));
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

/** Keeps JSON-safe metadata values; anything else becomes its string form. */
function sanitizeMetadata(metadata: Metadata | undefined): Metadata {
  if (!metadata) return {};
  const out: Record<string, Metadata[string]> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) {
      out[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
    } else if (typeof v === 'object') out[k] = JSON.parse(JSON.stringify(v)) as Metadata[string];
    else out[k] = String(v);
  }
  return out;
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

async function flushLogs(host: StepRunnerContext, buffer: StepLogBuffer): Promise<void> {
  if (buffer.size === 0) return;
  const events = buffer.drain();
  try {
    await host.instance.appendEvents(events);
    announceWritten(host, events);
  } catch {
    // Storage hiccup: the batch goes back in front of the buffer and out with the next batch or
    // the outcome (whose write is retried), so nothing is lost and the order holds.
    buffer.restore(events);
  }
}

/** Resolves or rejects with `work`, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
