import type { StepLogger } from './logger.js';

/** What every step's code sees: an asset's, a check's, a multi-asset's. */
export interface StepContextBase {
  /** A pino child logger; every line is also stored as a run event. */
  readonly log: StepLogger;
  readonly run: { readonly id: string; readonly tags: Readonly<Record<string, string>> };
  /** Aborted when the run is canceled or the step times out. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The partition this step works on; undefined for an unpartitioned asset and for a ranged run. */
  readonly partitionKey: string | undefined;
  /** [start, end) of `partitionKey` (time-window partitions), or of the whole range in a ranged run; else undefined. */
  readonly partitionTimeWindow: { readonly start: Date; readonly end: Date } | undefined;
  /** A ranged run (keys `from` through `to`, inclusive); undefined otherwise. */
  readonly partitionKeyRange: { readonly from: string; readonly to: string } | undefined;
}
