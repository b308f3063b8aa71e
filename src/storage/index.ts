export { openInstance, type OpenInstanceOptions } from './open-instance.js';
export type {
  CheckResultRecord,
  Instance,
  ListRunsOptions,
  MaterializationRecord,
  NewRun,
  RunConfigRecord,
  RunRecord,
  StepOutcome,
  StepRecord,
} from './instance.js';
