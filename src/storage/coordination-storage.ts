/** A lock that keeps one asset from being materialized by two steps at once, anywhere. */
export interface AssetLockRecord {
  readonly assetKey: string;
  /** '' when the asset is unpartitioned. */
  readonly partitionKey: string;
  readonly runId: string;
  readonly stepKey: string;
  readonly worker: string;
  readonly acquiredAt: Date;
}

/** A long-running process announcing that it is alive. */
export interface Heartbeat {
  /** Unique per process: `daemon:<host>:<pid>:<random>` or `worker:...`. */
  readonly id: string;
  readonly kind: 'daemon' | 'worker';
  readonly host: string;
  readonly pid: number;
  readonly startedAt: Date;
  readonly at: Date;
  /** Small JSON facts: concurrency, queues, version, last loop errors. */
  readonly info: Readonly<Record<string, unknown>>;
}

/**
 * What processes use to agree with each other: heartbeats (who is alive), named leases (who runs
 * the run queue, who executes a run) and the asset locks steps hold (taken and released by
 * RunStorage's step writes, read here).
 */
export interface CoordinationStorage {
  /** Upserts the heartbeat of a process (by id). */
  heartbeat(beat: Heartbeat): Promise<void>;
  /** Every heartbeat, newest `at` first. */
  listHeartbeats(): Promise<Heartbeat[]>;
  removeHeartbeat(id: string): Promise<void>;
  /**
   * Takes or renews the named lease for `holder` until `at + ttlMs`: succeeds when the lease is
   * free, expired, or already held by `holder`. One row per name; daemons use it to elect the one
   * that runs the run queue.
   */
  acquireLease(name: string, holder: string, ttlMs: number, at: Date): Promise<boolean>;
  /** Who holds the lease and until when (the expiry may be past), or undefined when nobody does. */
  getLease(name: string): Promise<{ holder: string; expiresAt: Date } | undefined>;
  /** Gives the lease up when `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** Asset locks held now (finishStep and retryStep release the lock their step took). */
  listAssetLocks(): Promise<AssetLockRecord[]>;
}
