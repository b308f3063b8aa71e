/**
 * The Nessie REST API v2 model objects Sluice reads and writes, typed after the documented
 * contract: projectnessie/nessie `api/model/src/main/resources/META-INF/openapi.yaml` (examples
 * `refObj`, `referencesResponse`, `logResponseSimple`, `mergeResponseSuccess`, `nessieConfig`) and
 * the model classes under `api/model/src/main/java/org/projectnessie/model`. Only the fields Sluice
 * uses are typed; servers may send more, and they are kept as they come.
 */

/** `Reference.ReferenceType`; the JSON form is upper case, the `type` query parameter either case. */
export type NessieReferenceType = 'BRANCH' | 'TAG';

/** A named reference with the commit it points at (`{ type, name, hash }`). */
export interface NessieReference {
  readonly type: NessieReferenceType;
  readonly name: string;
  readonly hash: string;
}

/** `ReferencesResponse`: one page of references. */
export interface NessieReferencesPage {
  readonly references: readonly NessieReference[];
  readonly hasMore: boolean;
  /** Opaque; pass it back as `pageToken` for the next page. */
  readonly token: string | undefined;
}

/**
 * `CommitMeta` of a log entry as API v2 serializes it: `authors` (a list; v1's `author` is absent),
 * `allProperties` (each a list; v1's `properties` is absent) and `parentCommitHashes`.
 */
export interface NessieCommitMeta {
  readonly hash: string;
  readonly message: string;
  readonly authors?: readonly string[];
  readonly committer?: string;
  readonly commitTime?: string;
  readonly authorTime?: string;
  readonly allProperties?: Readonly<Record<string, readonly string[]>>;
  /** The first is the parent on the branch; a merge commit has the merged source HEAD second. */
  readonly parentCommitHashes?: readonly string[];
}

/** `LogResponse.LogEntry`. */
export interface NessieLogEntry {
  readonly commitMeta: NessieCommitMeta;
  readonly parentCommitHash?: string;
}

/** `LogResponse`: one page of the commit log, newest first. */
export interface NessieLogPage {
  readonly logEntries: readonly NessieLogEntry[];
  readonly hasMore: boolean;
  readonly token: string | undefined;
}

/** `MergeResponse` (v2). */
export interface NessieMergeResponse {
  readonly wasApplied: boolean;
  readonly wasSuccessful: boolean;
  /** The target branch's HEAD after the merge. */
  readonly resultantTargetHash: string;
  readonly commonAncestor?: string;
  readonly targetBranch: string;
  readonly effectiveTargetHash: string;
  readonly expectedHash?: string;
}

/** A content key: its elements, `["glucose", "raw_entries"]` for `glucose.raw_entries`. */
export type NessieContentKey = readonly string[];

/** An Iceberg table as a catalog commits it: where its current metadata file is, and which snapshot. */
export interface NessieIcebergTable {
  readonly type: 'ICEBERG_TABLE';
  /** Nessie's content id; required when a PUT updates an existing key, absent for a new one. */
  readonly id?: string;
  readonly metadataLocation: string;
  readonly snapshotId: number;
  readonly schemaId: number;
  readonly specId: number;
  readonly sortOrderId: number;
}

/** A namespace: table keys below it need it to exist on the branch (Nessie 0.5x+ checks). */
export interface NessieNamespace {
  readonly type: 'NAMESPACE';
  readonly id?: string;
  readonly elements: readonly string[];
  readonly properties?: Readonly<Record<string, string>>;
}

/** Content of other types (views, Delta tables, ...) is kept as the server sends it. */
export interface NessieOtherContent {
  readonly type: string;
  readonly id?: string;
  readonly [field: string]: unknown;
}

export type NessieContent = NessieIcebergTable | NessieNamespace | NessieOtherContent;

/** One change of a commit (`Operation`): put content at a key, or delete the key. */
export type NessieOperation =
  | { readonly type: 'PUT'; readonly key: NessieContentKey; readonly content: NessieContent }
  | { readonly type: 'DELETE'; readonly key: NessieContentKey };

/** `CommitResponse`: the branch after the commit, and the ids Nessie gave new content. */
export interface NessieCommitResult {
  readonly branch: NessieReference;
  readonly addedContents: ReadonlyArray<{ readonly key: NessieContentKey; readonly contentId: string }>;
}

/** `ContentResponse`: the content at a key, and the commit it was read at. */
export interface NessieContentAt {
  readonly content: NessieContent;
  /** The reference and hash the server read (`DETACHED` for a bare hash). */
  readonly effectiveReference: { readonly type: string; readonly name?: string; readonly hash: string };
}

/** `EntriesResponse.Entry`: a key of a reference's tree and the type of its content. */
export interface NessieEntry {
  readonly key: NessieContentKey;
  readonly type: string;
  readonly contentId?: string;
}

export interface NessieEntriesPage {
  readonly entries: readonly NessieEntry[];
  readonly hasMore: boolean;
  readonly token: string | undefined;
}

/** `DiffResponse.DiffEntry`: a key whose content differs; `from`/`to` absent where the key is. */
export interface NessieDiffEntry {
  readonly key: NessieContentKey;
  readonly from: NessieContent | null;
  readonly to: NessieContent | null;
}

export interface NessieDiffPage {
  readonly diffs: readonly NessieDiffEntry[];
  readonly hasMore: boolean;
  readonly token: string | undefined;
}

/** `NessieConfiguration` from `GET /api/v2/config`. */
export interface NessieServerConfig {
  readonly defaultBranch: string;
  readonly minSupportedApiVersion?: number;
  readonly maxSupportedApiVersion: number;
  readonly actualApiVersion?: number;
  readonly specVersion?: string;
  readonly noAncestorHash?: string;
}

/**
 * `NessieError`: the body of every error response (`status`, `reason`, `message`, `errorCode`
 * such as `REFERENCE_NOT_FOUND`, `REFERENCE_CONFLICT`, `REFERENCE_ALREADY_EXISTS`, `BAD_REQUEST`;
 * see `org.projectnessie.error.ErrorCode`).
 */
export interface NessieErrorBody {
  readonly status: number;
  readonly reason: string;
  readonly message?: string;
  readonly errorCode?: string;
  readonly serverStackTrace?: string;
}
