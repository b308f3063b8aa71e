export { openInstance, type OpenInstanceOptions } from './open-instance.js';
export type {
  AssetLockRecord,
  CheckResultRecord,
  FinishStepResult,
  Heartbeat,
  Instance,
  ListRunsOptions,
  MaterializationRecord,
  NewRun,
  RunConfigRecord,
  RunRecord,
  StartStepResult,
  StepOutcome,
  StepRecord,
} from './instance.js';
