import type { Metadata } from './asset/metadata.js';
import type { CheckSeverity } from './checks/check-definition.js';

/** A serialized error: what is stored and shown, never a live Error. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Every kind of event in a run's append-only log, with its payload. */
export type RunEvent =
  | { type: 'RUN_QUEUED'; data: { selection: string; trigger: string } }
  | { type: 'RUN_STARTED'; data: Record<string, never> }
  | { type: 'RUN_SUCCESS'; data: Record<string, never> }
  | { type: 'RUN_FAILURE'; data: { error?: ErrorInfo; failedSteps?: string[] } }
  | { type: 'RUN_CANCELING'; data: Record<string, never> }
  | { type: 'RUN_CANCELED'; data: Record<string, never> }
  | { type: 'STEP_STARTED'; data: { attempt: number; worker?: string } }
  | { type: 'STEP_SUCCEEDED'; data: { attempt: number; durationMs: number } }
  | { type: 'STEP_FAILED'; data: { attempt: number; durationMs: number; error: ErrorInfo; willRetry: boolean; retryDelayMs?: number } }
  | { type: 'STEP_SKIPPED'; data: { reason: string } }
  | { type: 'STEP_CANCELED'; data: Record<string, never> }
  | { type: 'LOG'; data: { level: LogLevel; msg: string; fields?: Record<string, unknown> } }
  | { type: 'MATERIALIZATION'; data: { assetKey: string; metadata: Metadata; dataVersion?: string; partition?: string } }
  /** Metadata about an asset recorded without a new materialization (reported from outside Sluice). */
  | { type: 'ASSET_OBSERVATION'; data: { assetKey: string; metadata: Metadata; partition?: string } }
  | {
      type: 'CHECK_EVALUATION';
      data: { assetKey: string; checkName: string; passed: boolean; severity: CheckSeverity; blocking: boolean; metadata: Metadata; description?: string };
    };

export type RunEventType = RunEvent['type'];

/** An event as written: which run, which step (null for run-level events), when. */
export type NewEvent = RunEvent & { runId: string; stepKey: string | null; at: Date };

/** An event as stored: `id` orders the log (strictly increasing). */
export type EventRecord = NewEvent & { id: number };

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}
