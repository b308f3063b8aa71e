import type { Metadata } from '../core/asset/metadata.js';
import type { ErrorInfo } from '../core/events.js';
import { SluiceError } from '../core/errors.js';
import type { Instance, RunRecord } from '../storage/instance.js';

export interface StepSummary {
  readonly key: string;
  readonly kind: 'asset' | 'check';
  readonly assetKey: string;
  readonly checkName: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly worker: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  readonly error: Omit<ErrorInfo, 'stack'> | null;
  readonly materialization: { readonly metadata: Metadata; readonly dataVersion: string | null } | null;
  readonly check: { readonly passed: boolean; readonly severity: string; readonly blocking: boolean; readonly metadata: Metadata; readonly description: string | null } | null;
  /**
   * A multi-asset's step: its name, its keys, and what it reported in this run (each key's
   * materialization, each of its checks' results); null for a step of one asset or one check.
   */
  readonly multi: {
    readonly name: string;
    readonly assetKeys: readonly string[];
    readonly materializations: ReadonlyArray<{ readonly assetKey: string; readonly metadata: Metadata; readonly dataVersion: string | null }>;
    readonly checks: ReadonlyArray<{ readonly assetKey: string; readonly checkName: string; readonly passed: boolean; readonly severity: string; readonly blocking: boolean; readonly description: string | null }>;
  } | null;
}

/** A run as the CLI and the API show it: the run, each step, its materialization or check result. */
export interface RunSummary {
  readonly runId: string;
  readonly status: string;
  readonly selection: string;
  readonly trigger: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly configRef: { readonly name: string; readonly version: number } | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  readonly error: Omit<ErrorInfo, 'stack'> | null;
  /** Why a QUEUED run waits (the limit holding it back). */
  readonly queueReason: string | null;
  /** The run's partition (a key, or `FROM...TO`), null when unpartitioned. */
  readonly partition: string | null;
  /** The backfill that launched it. */
  readonly backfillId: string | null;
  readonly steps: readonly StepSummary[];
}

export class UnknownRunError extends SluiceError {
  constructor(runId: string) {
    super('UNKNOWN_RUN', `no run "${runId}" in this project's run store; \`sluice runs list\` shows the runs`, { runId });
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const span = (a: Date | null, b: Date | null) => (a && b ? b.getTime() - a.getTime() : null);
const brief = (e: ErrorInfo | null) => (e ? { name: e.name, message: e.message, ...(e.code ? { code: e.code } : {}) } : null);

export function runHeader(run: RunRecord): Omit<RunSummary, 'steps'> {
  return {
    runId: run.id,
    status: run.status,
    selection: run.selection,
    trigger: run.trigger,
    tags: run.tags,
    configRef: run.configRef,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    endedAt: iso(run.endedAt),
    durationMs: span(run.startedAt, run.endedAt),
    error: brief(run.error),
    queueReason: run.queueReason,
    partition: run.partition,
    backfillId: run.backfillId,
  };
}

/** Reads a run, its steps and their results. Throws UnknownRunError. */
export async function describeRun(instance: Instance, runId: string): Promise<RunSummary> {
  const run = await instance.runs.getRun(runId);
  if (!run) throw new UnknownRunError(runId);
  const [steps, checks, materializations] = await Promise.all([
    instance.runs.listSteps(runId),
    instance.eventLog.checkResults({ runId }),
    instance.eventLog.listEvents(runId, { types: ['MATERIALIZATION'] }),
  ]);
  const matByStep = new Map(materializations.map((e) => [e.stepKey, e]));
  const multiOf = (step: (typeof steps)[number]): StepSummary['multi'] => {
    if (!step.multi || !step.assetKeys) return null;
    return {
      name: step.multi,
      assetKeys: step.assetKeys,
      materializations: materializations.flatMap((e) =>
        e.stepKey === step.key && e.type === 'MATERIALIZATION' ? [{ assetKey: e.data.assetKey, metadata: e.data.metadata, dataVersion: e.data.dataVersion ?? null }] : [],
      ),
      // Its own checks: results on its keys that no check step of the run wrote.
      checks: checks
        .filter((c) => step.assetKeys!.includes(c.assetKey) && !steps.some((s) => s.kind === 'check' && s.assetKey === c.assetKey && s.checkName === c.checkName))
        .map((c) => ({ assetKey: c.assetKey, checkName: c.checkName, passed: c.passed, severity: c.severity, blocking: c.blocking, description: c.description })),
    };
  };
  return {
    ...runHeader(run),
    steps: steps.map((step) => {
      const mat = matByStep.get(step.key);
      const check = step.kind === 'check' ? checks.find((c) => c.assetKey === step.assetKey && c.checkName === step.checkName) : undefined;
      return {
        key: step.key,
        kind: step.kind,
        assetKey: step.assetKey,
        checkName: step.checkName,
        status: step.status,
        attempts: step.attempt,
        worker: step.worker,
        startedAt: iso(step.startedAt),
        endedAt: iso(step.endedAt),
        durationMs: span(step.startedAt, step.endedAt),
        error: brief(step.error),
        materialization:
          !step.multi && mat && mat.type === 'MATERIALIZATION' ? { metadata: mat.data.metadata, dataVersion: mat.data.dataVersion ?? null } : null,
        check: check
          ? { passed: check.passed, severity: check.severity, blocking: check.blocking, metadata: check.metadata, description: check.description }
          : null,
        multi: multiOf(step),
      };
    }),
  };
}
