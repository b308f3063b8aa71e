import type { Metadata } from '../../core/asset/metadata.js';
import { SluiceError } from '../../core/errors.js';
import type { NessieClient } from './nessie-client.js';
import { isNessieError } from './nessie-error.js';
import type { NessieReference } from './nessie-types.js';
import { checkRefName } from './ref-path.js';

export interface NessiePromoteOptions {
  /** The audited branch (`dev`). Left as it is. */
  readonly from: string;
  /** The branch readers use (`main`). */
  readonly to: string;
  /** Merge commit message (default: `Sluice: promote <from> into <to>`). */
  readonly message?: string;
  /** At most this many merged commits are listed (default 100); the count is still exact up to it. */
  readonly maxCommits?: number;
  /**
   * After a merge, point `from` at the new HEAD of `to` (when `from` is still where it was
   * merged), so the next promotion's common ancestor is this one (default true). Needed on Nessie
   * 0.60, whose merge ignores merge parents when it looks for the common ancestor: without the
   * reset, the next promotion of the same tables is refused as a conflict.
   */
  readonly resetSource?: boolean;
}

/** One commit brought into `to` by the promotion, in a shape fit for metadata. */
export interface PromotedCommit {
  readonly hash: string;
  readonly message: string;
  readonly author: string | null;
  readonly commitTime: string | null;
}

export interface NessiePromotion {
  readonly from: string;
  readonly to: string;
  /** False when `from` had nothing `to` lacked; then nothing was written. */
  readonly merged: boolean;
  /** The HEAD of `from` that was merged. */
  readonly fromHash: string;
  /** The HEAD of `to` before the promotion. */
  readonly previousHash: string;
  /** The HEAD of `to` after it. */
  readonly hash: string;
  readonly commonAncestor: string | null;
  /** The commits of `from` after the common ancestor, newest first. */
  readonly commits: readonly PromotedCommit[];
  /** True when there were more than `maxCommits` commits (only the newest are listed). */
  readonly commitsTruncated: boolean;
  /** True when `from` is at the new HEAD of `to` after the promotion (reset, or fast-forwarded onto). */
  readonly sourceReset: boolean;
  /** The same facts as asset metadata (`nessie_hash`, `nessie_commits`, ...). */
  readonly metadata: Metadata;
}

/**
 * Write-audit-publish on Nessie: merges branch `from` into branch `to` in one Nessie commit, so a
 * reader of `to` sees the old state or the new one, never a mix. Both HEADs are read first and the
 * merge carries them (`fromHash`, and `to@hash`). When `to` changed the same tables as `from`
 * since they diverged (someone committed to main in between), Nessie refuses and this throws
 * NESSIE_MERGE_CONFLICT naming the tables, with both branches as they were. After the merge,
 * `from` is pointed at the new HEAD of `to` (see `resetSource`).
 *
 * When `from` has no commit that `to` lacks, nothing is merged: equal HEADs are detected here, and
 * Nessie's "No hashes to merge" (a 400, when `from` is an ancestor of `to`) is read as the same
 * outcome, so a daily promotion of an unchanged branch succeeds as a no-op.
 */
export async function nessiePromote(client: NessieClient, options: NessiePromoteOptions): Promise<NessiePromotion> {
  const { from, to } = options;
  checkRefName(from, 'source branch');
  checkRefName(to, 'target branch');
  if (from === to) {
    throw new SluiceError('INVALID_ARGUMENT', `nessiePromote: "from" and "to" are both "${from}": name two different branches`, { from, to });
  }
  const [source, target] = await Promise.all([client.getReference(from), client.getReference(to)]);
  if (target.type !== 'BRANCH') {
    throw new SluiceError('NESSIE_REFERENCE_IS_TAG', `nessiePromote: "${to}" is a tag; a promotion merges into a branch`, { reference: to, type: target.type });
  }
  const unchanged = { from, to, fromHash: source.hash, previousHash: target.hash, hash: target.hash, commonAncestor: null, sourceReset: false };
  if (source.hash === target.hash) return finish({ ...unchanged, merged: false, commits: [], commitsTruncated: false });

  let result;
  try {
    result = await client.merge({
      from,
      fromHash: source.hash,
      into: to,
      expectedHash: target.hash,
      message: options.message ?? `Sluice: promote ${from} into ${to}`,
    });
  } catch (error) {
    if (isNessieError(error, 'NESSIE_NO_COMMON_ANCESTOR') && target.hash === (await client.config()).noAncestorHash) {
      return fastForward(client, options, source, target);
    }
    if (isNessieError(error, 'NESSIE_BAD_REQUEST') && /no hashes to merge/i.test(error.data.serverMessage ?? '')) {
      return finish({ ...unchanged, merged: false, commits: [], commitsTruncated: false });
    }
    // A promotion that merged but could not reset `from` (its process died in between) is seen
    // by Nessie 0.60 as a conflict on the retry: finish it instead of failing.
    if (isNessieError(error, 'NESSIE_MERGE_CONFLICT') && options.resetSource !== false && (await alreadyMerged(client, to, source.hash))) {
      const sourceReset = await resetSource(client, source, target);
      return finish({ ...unchanged, merged: false, commits: [], commitsTruncated: false, sourceReset });
    }
    throw error;
  }
  const commonAncestor = result.commonAncestor ?? null;
  const { commits, truncated } = await mergedCommits(client, from, source.hash, commonAncestor ?? target.hash, options.maxCommits ?? 100);
  const sourceReset = options.resetSource === false ? false : await resetSource(client, source, { ...target, hash: result.resultantTargetHash });
  return finish({
    from,
    to,
    merged: true,
    fromHash: source.hash,
    previousHash: target.hash,
    hash: result.resultantTargetHash,
    commonAncestor,
    commits,
    commitsTruncated: truncated,
    sourceReset,
  });
}

/**
 * Promotes into a branch that has no commit yet (at the repository's root): Nessie 0.60 cannot
 * merge there ("no common ancestor"), and none is needed: `to` is pointed at `from`'s HEAD,
 * checked against its root hash, which is what the merge would have produced.
 */
async function fastForward(client: NessieClient, options: NessiePromoteOptions, source: NessieReference, target: NessieReference): Promise<NessiePromotion> {
  const moved = await client.assignReference('BRANCH', target.name, target.hash, source);
  const { commits, truncated } = await mergedCommits(client, source.name, source.hash, target.hash, options.maxCommits ?? 100);
  return finish({
    from: source.name,
    to: target.name,
    merged: true,
    fromHash: source.hash,
    previousHash: target.hash,
    hash: moved.hash,
    commonAncestor: target.hash,
    commits,
    commitsTruncated: truncated,
    sourceReset: true,
  });
}

/** Whether one of the newest commits of `to` merged `fromHash` (a merge commit's second parent). */
async function alreadyMerged(client: NessieClient, to: string, fromHash: string): Promise<boolean> {
  const page = await client.commitLog(to, { maxRecords: 50 });
  return page.logEntries.some((e) => e.commitMeta.parentCommitHashes?.slice(1).includes(fromHash));
}

/** Points `source` at `target` unless it moved since it was merged (then it is left for the next promotion). */
async function resetSource(client: NessieClient, source: NessieReference, target: NessieReference): Promise<boolean> {
  try {
    await client.assignReference('BRANCH', source.name, source.hash, target);
    return true;
  } catch (error) {
    if (isNessieError(error, 'NESSIE_REFERENCE_CONFLICT')) return false;
    throw error;
  }
}

/** `from`'s log from `fromHash` back to (not including) `stopAt`; the history is immutable, so reading it after the merge is exact. */
async function mergedCommits(
  client: NessieClient,
  from: string,
  fromHash: string,
  stopAt: string,
  max: number,
): Promise<{ commits: PromotedCommit[]; truncated: boolean }> {
  const commits: PromotedCommit[] = [];
  for await (const entry of client.commits(from, { hash: fromHash, maxRecords: Math.min(Math.max(max, 1) + 1, 250) })) {
    const meta = entry.commitMeta;
    if (meta.hash === stopAt) return { commits, truncated: false };
    if (commits.length === max) return { commits, truncated: true };
    const author = meta.authors?.find((a) => a !== '') ?? null;
    commits.push({ hash: meta.hash, message: meta.message ?? '', author, commitTime: meta.commitTime ?? null });
  }
  return { commits, truncated: false };
}

function finish(p: Omit<NessiePromotion, 'metadata'>): NessiePromotion {
  const metadata: Metadata = {
    nessie_from: p.from,
    nessie_to: p.to,
    nessie_merged: p.merged,
    nessie_hash: p.hash,
    nessie_previous_hash: p.previousHash,
    nessie_from_hash: p.fromHash,
    nessie_commit_count: p.commits.length,
    nessie_source_reset: p.sourceReset,
    ...(p.commitsTruncated ? { nessie_commits_truncated: true } : {}),
    nessie_commits: { json: p.commits },
  };
  return { ...p, metadata };
}
