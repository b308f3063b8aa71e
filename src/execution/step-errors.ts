import { SluiceError } from '../core/errors.js';

export class StepTimeoutError extends SluiceError {
  constructor(stepKey: string, timeoutMs: number) {
    super('STEP_TIMEOUT', `step "${stepKey}" timed out after ${timeoutMs} ms (timeoutMs on its asset)`, { stepKey, timeoutMs }, { kind: 'internal' });
  }
}

export class RunCanceledError extends SluiceError {
  constructor(runId: string) {
    super('RUN_CANCELED', `run ${runId} was canceled`, { runId }, { kind: 'internal' });
  }
}

export class CheckFailedError extends SluiceError {
  constructor(assetKey: string, checkName: string, description: string | undefined) {
    super(
      'CHECK_FAILED',
      `blocking check "${checkName}" on asset "${assetKey}" failed${description ? `: ${description}` : ''}; everything downstream of "${assetKey}" is skipped`,
      { assetKey, checkName },
      { kind: 'internal' },
    );
  }
}

export class StepDefinitionMissingError extends SluiceError {
  constructor(stepKey: string) {
    super(
      'STEP_DEFINITION_MISSING',
      `step "${stepKey}" has no definition in the loaded project (was it renamed or removed after the run was launched?)`,
      { stepKey },
      { kind: 'internal' },
    );
  }
}

export class KeysNotReportedError extends SluiceError {
  constructor(multiAsset: string, missing: readonly string[]) {
    super(
      'KEYS_NOT_REPORTED',
      `multi-asset "${multiAsset}" ended without reporting ${missing.join(', ')}: call ctx.report(key, ...) for every key in ctx.selectedKeys, or return their results`,
      { multiAsset, missing },
    );
  }
}
