import type { AssetCursor, MaterializeResult } from '../core/asset/asset-definition.js';
import type { AnyMultiAssetDefinition, ReportedCheckResult } from '../core/asset/multi-asset-definition.js';
import { isGating } from '../core/checks/check-definition.js';
import { SluiceError } from '../core/errors.js';
import type { NewEvent } from '../core/events.js';
import type { Redactor } from '../core/redactor.js';
import type { Instance, StepReports } from '../storage/instance.js';
import { sanitizeMetadata } from './sanitize-metadata.js';
import { StepCursor } from './step-cursor.js';
import { CheckFailedError } from './step-errors.js';

type Materialized = StepReports['materializations'][number];
type Checked = StepReports['checks'][number];

/** The rows of reports not written yet (their events go to the attempt's event buffer as they come). */
export interface ReportRows {
  readonly materializations: Materialized[];
  readonly checks: Checked[];
}

export class InvalidReportError extends SluiceError {
  constructor(name: string, problem: string, data: Record<string, unknown>) {
    super('INVALID_REPORT', `multi-asset "${name}": ${problem}`, { multiAsset: name, ...data });
  }
}

/**
 * What one attempt of a multi-asset's step reported: each key's materialization and each check
 * result, validated as they come (a selected key, once; a declared check of a selected key, once),
 * queued as rows with their events until the step runner writes them (`drain`), and remembered for
 * the outcome (every key reported, no gating check failed).
 */
export class MultiStepReports {
  #rows: ReportRows = { materializations: [], checks: [] };
  readonly #reported = new Set<string>();
  readonly #checked = new Set<string>();
  readonly #cursors = new Map<string, StepCursor>();
  #failedGate: CheckFailedError | undefined;
  #closed = false;

  constructor(
    private readonly definition: AnyMultiAssetDefinition,
    private readonly keys: readonly string[],
    private readonly target: { readonly runId: string; readonly stepKey: string; readonly partition: string | null; readonly partitionKey: string | undefined },
    private readonly instance: Instance,
    private readonly redactor: Redactor,
    private readonly now: () => Date,
    /** Takes each report's event, in report order (the attempt's event buffer); the runner writes it soon. */
    private readonly emit: (event: NewEvent) => void,
    /** Told about a report that came after the attempt ended. */
    private readonly onLate?: (message: string) => void,
  ) {}

  /** The checks the step evaluates: the multi-asset's own, on the selected keys. */
  get selectedChecks(): ReadonlyArray<{ asset: string; name: string }> {
    return this.definition.checks.filter((c) => this.keys.includes(c.asset)).map((c) => Object.freeze({ asset: c.asset, name: c.name }));
  }

  cursor(key: string): AssetCursor {
    this.assertSelected(key, 'cursor');
    let cursor = this.#cursors.get(key);
    if (!cursor) this.#cursors.set(key, (cursor = new StepCursor(this.instance.eventLog, key, this.target.partitionKey ?? '')));
    return cursor;
  }

  report(key: string, result: MaterializeResult | undefined = undefined): void {
    if (this.late('report', key)) return;
    this.assertSelected(key, 'report');
    if (this.#reported.has(key)) throw new InvalidReportError(this.definition.name, `"${key}" was reported twice in one attempt`, { key });
    this.#reported.add(key);
    const metadata = this.redactor.value(sanitizeMetadata(result?.metadata));
    const dataVersion = result?.dataVersion === undefined ? undefined : String(result.dataVersion);
    const codeVersion = this.definition.assets.find((a) => a.key === key)?.codeVersion;
    const cursor = this.#cursors.get(key)?.staged();
    this.#rows.materializations.push({
      assetKey: key,
      metadata,
      ...(dataVersion === undefined ? {} : { dataVersion }),
      ...(codeVersion === undefined ? {} : { codeVersion }),
      ...(cursor ? { cursor } : {}),
    });
    this.emit({
      type: 'MATERIALIZATION',
      runId: this.target.runId,
      stepKey: this.target.stepKey,
      at: this.now(),
      data: { assetKey: key, metadata, ...(dataVersion === undefined ? {} : { dataVersion }), ...(this.target.partition ? { partition: this.target.partition } : {}) },
    });
  }

  reportCheck(key: string, name: string, result: ReportedCheckResult): void {
    if (this.late('reportCheck', `${key}#${name}`)) return;
    this.assertSelected(key, 'reportCheck');
    const check = this.definition.checks.find((c) => c.asset === key && c.name === name);
    if (!check) {
      const declared = this.definition.checks.filter((c) => c.asset === key).map((c) => c.name);
      throw new InvalidReportError(this.definition.name, `no check "${name}" on "${key}" is declared in its checks${declared.length ? ` (declared: ${declared.join(', ')})` : ''}`, { key, check: name });
    }
    if (!result || typeof result.passed !== 'boolean') throw new InvalidReportError(this.definition.name, `check "${name}" on "${key}" must be reported as { passed: boolean }`, { key, check: name });
    const id = `${key}#${name}`;
    if (this.#checked.has(id)) throw new InvalidReportError(this.definition.name, `check "${name}" on "${key}" was reported twice in one attempt`, { key, check: name });
    this.#checked.add(id);
    const description = result.description === undefined ? undefined : this.redactor.string(result.description);
    const row: Checked = {
      assetKey: key,
      checkName: name,
      passed: result.passed,
      severity: check.severity,
      blocking: check.blocking,
      metadata: this.redactor.value(sanitizeMetadata(result.metadata)),
      ...(description === undefined ? {} : { description }),
    };
    this.#rows.checks.push(row);
    const { assetKey, checkName, ...data } = row;
    if (!result.passed && isGating(check)) this.#failedGate ??= new CheckFailedError(key, name, description);
    this.emit({ type: 'CHECK_EVALUATION', runId: this.target.runId, stepKey: this.target.stepKey, at: this.now(), data: { assetKey, checkName, ...data } });
  }

  /** Reports the keys of a returned record that were not reported as the step went. */
  reportReturned(result: unknown): void {
    if (result === undefined || result === null) return;
    if (typeof result !== 'object' || Array.isArray(result)) {
      throw new InvalidReportError(this.definition.name, 'materialize must return nothing or a record of results by asset key, e.g. { "dbt/orders": { metadata: {...} } }', {});
    }
    for (const [key, value] of Object.entries(result as Record<string, MaterializeResult>)) this.report(key, value);
  }

  /** Whether rows wait to be written. */
  get pending(): boolean {
    return this.#rows.materializations.length + this.#rows.checks.length > 0;
  }

  /** The rows to write; empty afterwards. */
  drain(): ReportRows {
    const out = this.#rows;
    this.#rows = { materializations: [], checks: [] };
    return out;
  }

  /** Puts a drained batch that could not be written back in front of what came since. */
  restore(batch: ReportRows): void {
    this.#rows = { materializations: [...batch.materializations, ...this.#rows.materializations], checks: [...batch.checks, ...this.#rows.checks] };
  }

  /**
   * Ends the attempt's reporting (a later report is dropped) and says how it went: the first gating check that failed, else the selected keys never
   * reported.
   */
  close(): { failedGate: CheckFailedError | undefined; missing: string[] } {
    this.#closed = true;
    return { failedGate: this.#failedGate, missing: this.keys.filter((key) => !this.#reported.has(key)) };
  }

  /**
   * A report after the attempt ended (code that went on after a cancel or timeout, or reported
   * without awaiting) is dropped with a warning: the attempt's outcome is recorded already, and a
   * throw here would land in whatever callback made the call.
   */
  private late(what: string, key: string): boolean {
    if (!this.#closed) return false;
    this.onLate?.(`${what}("${key}") after the step attempt ended was dropped; await every report before materialize returns`);
    return true;
  }

  private assertSelected(key: string, what: string): void {
    if (this.keys.includes(key)) return;
    const all = this.definition.assets.map((a) => a.key);
    throw new InvalidReportError(
      this.definition.name,
      all.includes(key) ? `${what}("${key}"): "${key}" is not selected in this attempt (selected: ${this.keys.join(', ')})` : `${what}("${key}"): "${key}" is not one of its assets (${all.join(', ')})`,
      { key },
    );
  }
}
