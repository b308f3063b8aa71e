import { checkContentKey, formatContentKey } from './content-key.js';
import type { NessieClient } from './nessie-client.js';
import { isNessieError } from './nessie-error.js';
import type { NessieContentKey, NessieIcebergTable, NessieOperation } from './nessie-types.js';

/** A version of an Iceberg table: where its metadata file is and which snapshot is current. */
export interface NessieTableVersion {
  readonly metadataLocation: string;
  readonly snapshotId: number;
  readonly schemaId?: number;
  readonly specId?: number;
  readonly sortOrderId?: number;
}

export interface NessieCommitTableOptions {
  readonly branch: string;
  /** The table's key, `["glucose", "raw_entries"]`; its namespaces are created when missing. */
  readonly key: NessieContentKey;
  readonly table: NessieTableVersion;
  readonly message: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly authors?: readonly string[];
  /** Tries when another writer changed the branch's keys in between (default 5). */
  readonly attempts?: number;
}

export interface NessieTableCommit {
  /** The branch HEAD after the commit. */
  readonly hash: string;
  readonly contentId: string;
  /** True when the key had no content on the branch before. */
  readonly created: boolean;
  /** The namespaces this commit created (`glucose`). */
  readonly namespacesCreated: readonly string[];
  readonly attempts: number;
}

/**
 * Commits a table version on a branch as an Iceberg catalog does after writing the table's new
 * metadata file: one Nessie commit that puts an ICEBERG_TABLE content at `key`, carrying the
 * content id the key already has (Nessie requires it for an update) and creating the namespaces
 * above the key that the branch lacks. The HEAD it read is the commit's expected hash; when a
 * concurrent writer changed the same keys in between (NESSIE_COMMIT_CONFLICT), it reads again
 * and retries, up to `attempts` times. Other errors are thrown as they are.
 */
export async function nessieCommitTable(client: NessieClient, options: NessieCommitTableOptions): Promise<NessieTableCommit> {
  const key = checkContentKey(options.key);
  const namespaces = key.slice(0, -1).map((_, i) => key.slice(0, i + 1));
  const attempts = Math.max(1, options.attempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    const head = await client.getReference(options.branch);
    const found = await client.getContents(options.branch, [...namespaces, key], { hash: head.hash });
    const existing = (k: NessieContentKey) => found.find((f) => formatContentKey(f.key) === formatContentKey(k))?.content;
    const missing = namespaces.filter((ns) => existing(ns) === undefined);
    const current = existing(key);
    const content: NessieIcebergTable = {
      type: 'ICEBERG_TABLE',
      ...(current?.id ? { id: current.id } : {}),
      metadataLocation: options.table.metadataLocation,
      snapshotId: options.table.snapshotId,
      schemaId: options.table.schemaId ?? 0,
      specId: options.table.specId ?? 0,
      sortOrderId: options.table.sortOrderId ?? 0,
    };
    const operations: NessieOperation[] = [
      ...missing.map((ns): NessieOperation => ({ type: 'PUT', key: ns, content: { type: 'NAMESPACE', elements: ns } })),
      { type: 'PUT', key, content },
    ];
    try {
      const result = await client.commit(options.branch, head.hash, {
        message: options.message,
        operations,
        ...(options.properties ? { properties: options.properties } : {}),
        ...(options.authors ? { authors: options.authors } : {}),
      });
      const added = result.addedContents.find((a) => formatContentKey(a.key) === formatContentKey(key));
      return {
        hash: result.branch.hash,
        contentId: current?.id ?? added?.contentId ?? '',
        created: current === undefined,
        namespacesCreated: missing.map(formatContentKey),
        attempts: attempt,
      };
    } catch (error) {
      const raced = isNessieError(error, 'NESSIE_COMMIT_CONFLICT') || isNessieError(error, 'NESSIE_REFERENCE_CONFLICT');
      if (!raced || attempt >= attempts) throw error;
    }
  }
}
