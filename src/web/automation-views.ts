import type { AutomationEvaluation } from '../core/automation/evaluate-automation.js';
import type { AutomationLaunch } from '../core/automation/group-requests.js';
import type { AssetEvaluationRecord, AutomationEvaluationRecord, AutomationState } from '../storage/instance.js';
import type { AssetAutomationView, AutomationPreviewView, AutomationStatusView } from './api-views.js';

/** The automation state and latest evaluation as the API answers them. */
export function automationStatusView(state: AutomationState, last: AutomationEvaluationRecord | undefined): AutomationStatusView {
  return {
    status: state.status,
    updatedAt: state.updatedAt.toISOString(),
    lastEvaluation: last
      ? {
          id: last.id,
          evaluatedAt: last.evaluatedAt.toISOString(),
          requestedCount: last.requestedCount,
          runIds: last.runIds,
          backfillIds: last.backfillIds,
          errors: last.errors.map((e) => ({ name: e.name, message: e.message })),
        }
      : null,
  };
}

export function automationPreviewView(pass: { readonly evaluation: AutomationEvaluation; readonly launches: readonly AutomationLaunch[] }): AutomationPreviewView {
  return {
    evaluatedAt: pass.evaluation.evaluatedAt,
    requested: [...pass.evaluation.requested].map(([asset, partitions]) => ({ asset, partitions })),
    launches: pass.launches,
    errors: pass.evaluation.assets.filter((a) => a.error).map((a) => ({ asset: a.asset, message: a.error!.message })),
  };
}

export function assetAutomationView(asset: string, record: AssetEvaluationRecord | undefined): AssetAutomationView {
  return {
    asset,
    evaluation: record
      ? {
          id: record.evaluationId,
          evaluatedAt: record.evaluatedAt.toISOString(),
          requested: record.requested,
          tree: record.tree,
          error: record.error ? { name: record.error.name, message: record.error.message } : null,
        }
      : null,
  };
}
