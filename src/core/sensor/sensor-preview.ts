/** One run a preview would launch (or skip: its run key launched a run already). */
export interface PreviewedRun {
  readonly runKey: string | null;
  readonly selection: string;
  readonly partition: string | null;
  readonly steps: number;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SensorPreview {
  readonly sensor: string;
  readonly cursorBefore: string | null;
  /** The cursor a tick would store. */
  readonly cursorAfter: string | null;
  readonly runs: readonly PreviewedRun[];
  readonly skippedRunKeys: readonly string[];
  readonly skipReason: string | null;
  /** Feed records evaluated (asset and run-status sensors). */
  readonly fed: number;
}
