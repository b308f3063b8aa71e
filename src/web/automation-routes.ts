import type { Handlers } from './api-dispatch.js';
import type { RunService } from '../runtime/run-service.js';

type AutomationRoutes = 'automationStatus' | 'startAutomation' | 'stopAutomation' | 'automationPreview' | 'assetAutomation';

/** Declarative automation's routes: on/off and its state, a preview of the next evaluation, an asset's latest tree; all through the run port. */
export function automationHandlers(deps: { runs: RunService }): Handlers<AutomationRoutes> {
  const { runs } = deps;
  return {
    automationStatus: () => runs.automationStatus(),
    startAutomation: () => runs.setAutomationStatus('RUNNING'),
    stopAutomation: () => runs.setAutomationStatus('STOPPED'),
    automationPreview: () => runs.automationPreview(),
    assetAutomation: ({ params }) => runs.assetAutomation(params.key),
  };
}
