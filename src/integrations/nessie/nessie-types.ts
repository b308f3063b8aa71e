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

/** `CommitMeta` of a log entry. */
export interface NessieCommitMeta {
  readonly hash: string;
  readonly message: string;
  readonly author?: string;
  readonly committer?: string;
  readonly commitTime?: string;
  readonly authorTime?: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly parentHashes?: readonly string[];
}

/** `LogResponse.LogEntry`; `parentCommitHash` only with `fetch=ALL`. */
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
