import { SluiceError } from '../errors.js';
import type { FailedGate } from './failed-gates.js';

/**
 * A run refused because a gating check upstream of its selection failed in its latest evaluation.
 * The message names each check, its asset, the run that recorded the failure and the selected
 * assets it holds back, and says how to proceed.
 */
export class FailedCheckGateError extends SluiceError {
  constructor(gates: readonly FailedGate[]) {
    const lines = gates.map(
      (g) =>
        `  - check "${g.checkName}" of "${g.assetKey}" failed in run ${g.runId} at ${g.at.toISOString()}${g.description ? ` (${g.description})` : ''}; it holds back ${g.blocks.map((k) => `"${k}"`).join(', ')}`,
    );
    const assets = [...new Set(gates.map((g) => g.assetKey))];
    super(
      'FAILED_CHECK_GATE',
      `refusing to materialize assets downstream of a failed blocking check:\n${lines.join('\n')}\n` +
        `fix the data and re-run the check by selecting its asset too (e.g. --select '${assets.map((k) => `key:${k}+`).join(' or ')}'), ` +
        'or override with --allow-failed-checks (API: "allowFailedChecks": true)',
      { gates: gates.map((g) => ({ ...g, at: g.at.toISOString() })) },
    );
  }
}
