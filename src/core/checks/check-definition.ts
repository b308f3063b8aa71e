import type { AnyAssetDefinition } from '../asset/asset-definition.js';
import type { AnyMultiAssetDefinition } from '../asset/multi-asset-definition.js';
import { assertAssetKey, type AssetKey } from '../asset/asset-key.js';
import type { StepContextBase } from '../asset/step-context-base.js';
import type { Metadata } from '../asset/metadata.js';
import type { ResolvedResources, ResourceMap } from '../asset/resource.js';
import { SluiceError } from '../errors.js';

export type CheckSeverity = 'ERROR' | 'WARN';

export interface CheckContext<R extends ResourceMap = ResourceMap> extends StepContextBase {
  readonly assetKey: AssetKey;
  readonly checkName: string;
  readonly resources: ResolvedResources<R>;
}

export interface CheckResult {
  readonly passed: boolean;
  readonly metadata?: Metadata;
  readonly description?: string;
}

/** An asset check: its own step, run after its asset. Frozen data. */
export interface CheckDefinition<R extends ResourceMap = ResourceMap> {
  readonly kind: 'check';
  readonly asset: AssetKey;
  readonly name: string;
  readonly blocking: boolean;
  readonly severity: CheckSeverity;
  readonly description: string | undefined;
  readonly resources: R;
  readonly check: (ctx: CheckContext<R>) => CheckResult | Promise<CheckResult>;
  /** The multi-asset whose step evaluates this check (and reports it); undefined for a check with its own step. */
  readonly multiAsset?: AnyMultiAssetDefinition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCheckDefinition = CheckDefinition<any>;

const CHECK_NAME = /^[A-Za-z0-9_-]+$/;

/** True when a failure of this check must stop everything downstream of its asset. */
export function isGating(check: Pick<CheckDefinition, 'blocking' | 'severity'>): boolean {
  return check.blocking && check.severity === 'ERROR';
}

export function defineAssetCheck<R extends ResourceMap = Record<never, never>>(spec: {
  asset: string | AnyAssetDefinition;
  name: string;
  blocking?: boolean;
  severity?: CheckSeverity;
  description?: string;
  resources?: R;
  check: (ctx: CheckContext<R>) => CheckResult | Promise<CheckResult>;
}): CheckDefinition<R> {
  const asset = assertAssetKey(typeof spec.asset === 'string' ? spec.asset : spec.asset?.key, 'defineAssetCheck({ asset })');
  if (typeof spec.name !== 'string' || !CHECK_NAME.test(spec.name)) {
    throw new SluiceError(
      'INVALID_DEFINITION',
      `invalid check name "${String(spec.name)}" on asset "${asset}": use letters, digits, "_" and "-"`,
      { asset, name: spec.name },
    );
  }
  const severity = spec.severity ?? 'ERROR';
  if (severity !== 'ERROR' && severity !== 'WARN') {
    throw new SluiceError('INVALID_DEFINITION', `check "${spec.name}" on asset "${asset}": severity must be "ERROR" or "WARN"`, {
      asset,
      name: spec.name,
    });
  }
  if (typeof spec.check !== 'function') {
    throw new SluiceError('INVALID_DEFINITION', `check "${spec.name}" on asset "${asset}" needs a check(ctx) function`, { asset });
  }
  return Object.freeze({
    kind: 'check' as const,
    asset,
    name: spec.name,
    blocking: spec.blocking ?? false,
    severity,
    description: spec.description,
    resources: Object.freeze({ ...(spec.resources ?? {}) }) as R,
    check: spec.check,
  });
}
