export interface RunConfigRecord {
  readonly name: string;
  readonly version: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

/** One named run config: its latest version. */
export interface RunConfigSummary {
  readonly name: string;
  readonly latestVersion: number;
  readonly updatedAt: Date;
}

/** Named run configs: immutable versions under a name, 1, 2, ... */
export interface RunConfigStorage {
  /** Stores a new version of a named run config; returns it (versions start at 1). */
  putRunConfig(name: string, body: Record<string, unknown>, at: Date): Promise<RunConfigRecord>;
  /** The given version, or the latest when `version` is omitted. */
  getRunConfig(name: string, version?: number): Promise<RunConfigRecord | undefined>;
  /** Every named config with its latest version, by name. */
  listRunConfigs(): Promise<RunConfigSummary[]>;
}
