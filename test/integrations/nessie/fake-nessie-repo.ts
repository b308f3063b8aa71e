import { createHash } from 'node:crypto';

/**
 * The in-memory repository behind the fake Nessie server: commits with hashes and parents,
 * branches and tags, and Nessie's documented merge semantics (a merge commit on the target whose
 * second parent is the merged source commit; per-key conflict detection since the common ancestor;
 * "No hashes to merge" when the source adds nothing). Errors are thrown as FakeNessieFailure
 * carrying the status, Nessie errorCode and message the real server sends
 * (org.projectnessie.error.ErrorCode; messages from the version store).
 */

/** Nessie's "no ancestor" hash: the HEAD of an empty branch (`NessieConfiguration.noAncestorHash`). */
export const NO_ANCESTOR = '2e1cfa82b035c26cbbbdae632cea070514eb8b773f616aaeaf668e2f0be8f10d';

export interface FakeCommit {
  readonly hash: string;
  readonly parent: string;
  readonly mergeParent?: string;
  readonly message: string;
  readonly author: string;
  readonly commitTime: string;
  /** Content keys this commit changed (`db.table`). */
  readonly keys: readonly string[];
  /** The whole tree after this commit: content key -> a version id of its content. */
  readonly contents: Readonly<Record<string, string>>;
}

export type FakeRefType = 'BRANCH' | 'TAG';

export class FakeNessieFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly conflicts: ReadonlyArray<{ conflictType: string; key?: string; message: string }> = [],
  ) {
    super(message);
  }
}

const notFound = (message: string) => new FakeNessieFailure(404, 'REFERENCE_NOT_FOUND', message);
const badRequest = (message: string) => new FakeNessieFailure(400, 'BAD_REQUEST', message);

export class FakeNessieRepo {
  readonly commits = new Map<string, FakeCommit>();
  readonly refs = new Map<string, { type: FakeRefType; hash: string }>();
  private counter = 0;
  private clock = Date.parse('2026-01-01T00:00:00Z');

  constructor(readonly defaultBranch = 'main') {
    this.refs.set(defaultBranch, { type: 'BRANCH', hash: NO_ANCESTOR });
  }

  ref(name: string): { type: FakeRefType; hash: string } {
    const ref = this.refs.get(name);
    if (!ref) throw notFound(`Named reference '${name}' not found`);
    return ref;
  }

  /** Appends a commit to `branch` as a table-format engine would; returns its hash. */
  commit(branch: string, message: string, keys: readonly string[] = []): string {
    const ref = this.ref(branch);
    if (ref.type !== 'BRANCH') throw badRequest(`'${branch}' is not a branch`);
    const hash = this.newCommit({ parent: ref.hash, message, keys });
    ref.hash = hash;
    return hash;
  }

  create(name: string, type: FakeRefType, fromName: string, fromHash: string | undefined): { type: FakeRefType; name: string; hash: string } {
    if (this.refs.has(name)) throw new FakeNessieFailure(409, 'REFERENCE_ALREADY_EXISTS', `Named reference '${name}' already exists.`);
    const source = this.ref(fromName);
    const hash = fromHash ?? source.hash;
    if (!this.firstParentChain(source.hash).includes(hash)) throw notFound(`Could not find commit '${hash}' in reference '${fromName}'.`);
    this.refs.set(name, { type, hash });
    return { type, name, hash };
  }

  delete(name: string, type: FakeRefType | undefined, expectedHash: string): { type: FakeRefType; name: string; hash: string } {
    const ref = this.ref(name);
    if (type !== undefined && ref.type !== type) {
      throw new FakeNessieFailure(409, 'REFERENCE_CONFLICT', `Expected reference type ${type} does not match existing reference ${ref.type} '${name}'`);
    }
    if (name === this.defaultBranch) throw badRequest(`Default branch '${name}' cannot be deleted.`);
    this.checkHead(name, ref.hash, expectedHash);
    this.refs.delete(name);
    return { type: ref.type, name, hash: ref.hash };
  }

  merge(target: string, expectedHash: string, fromRefName: string, fromHash: string, message: string | undefined, dryRun: boolean) {
    const ref = this.ref(target);
    if (ref.type !== 'BRANCH') throw badRequest(`'${target}' is not a branch`);
    const source = this.ref(fromRefName);
    if (!this.ancestors(source.hash).has(fromHash)) throw notFound(`Could not find commit '${fromHash}' in reference '${fromRefName}'.`);
    // The expected hash must be on the target's history: it is "the state known to the client".
    if (!this.ancestors(ref.hash).has(expectedHash)) throw notFound(`Could not find commit '${expectedHash}' in reference '${target}'.`);
    const base = this.mergeBase(ref.hash, fromHash);
    const sourceCommits = this.since(fromHash, base);
    if (sourceCommits.length === 0) {
      throw badRequest(
        `No hashes to merge from ${fromHash} onto ${ref.hash} @ ${target} using common ancestor ${base}, expected commit ID from request was ${expectedHash}.`,
      );
    }
    // Three-way, per key (merge mode NORMAL): a key changed on both sides since the common
    // ancestor, to different contents, is a conflict.
    const [baseTree, targetTree, sourceTree] = [this.tree(base), this.tree(ref.hash), this.tree(fromHash)];
    const keys = [...new Set([...Object.keys(baseTree), ...Object.keys(targetTree), ...Object.keys(sourceTree)])].sort();
    const changedInSource = keys.filter((k) => sourceTree[k] !== baseTree[k]);
    const clashing = changedInSource.filter((k) => targetTree[k] !== baseTree[k] && targetTree[k] !== sourceTree[k]);
    if (clashing.length > 0) {
      const conflicts = clashing.map((key) => ({
        conflictType: 'VALUE_DIFFERS',
        key,
        message: `values of existing and expected content for key '${key}' are different`,
      }));
      throw new FakeNessieFailure(
        409,
        'REFERENCE_CONFLICT',
        `There are conflicts that prevent committing the provided operations: ${conflicts.map((c) => c.message).join(', ')}.`,
        conflicts,
      );
    }
    const previous = ref.hash;
    let resultant = previous;
    if (!dryRun) {
      const merged: Record<string, string> = { ...targetTree };
      for (const k of changedInSource) {
        if (sourceTree[k] === undefined) delete merged[k];
        else merged[k] = sourceTree[k];
      }
      resultant = this.newCommit({
        parent: previous,
        mergeParent: fromHash,
        message: message ?? `Merged ${sourceCommits.length} commits from ${fromRefName}`,
        keys: changedInSource,
        contents: merged,
      });
      ref.hash = resultant;
    }
    return {
      wasApplied: !dryRun,
      wasSuccessful: true,
      resultantTargetHash: resultant,
      commonAncestor: base,
      targetBranch: target,
      effectiveTargetHash: previous,
      expectedHash,
      details: changedInSource.map((key) => ({ key: { elements: key.split('.') }, mergeBehavior: 'NORMAL', conflictType: 'NONE' })),
    };
  }

  /** First-parent chain from `hash` back to (excluding) the no-ancestor root: what the log shows. */
  firstParentChain(hash: string): string[] {
    const out: string[] = [];
    for (let at: string | undefined = hash; at && at !== NO_ANCESTOR; at = this.commits.get(at)?.parent) out.push(at);
    return [...out, NO_ANCESTOR];
  }

  /** Deletes check the exact HEAD (CHECKED_REF_DESCRIPTION: "must be the value of the current HEAD"). */
  private checkHead(name: string, head: string, expected: string): void {
    if (head !== expected) {
      throw new FakeNessieFailure(409, 'REFERENCE_CONFLICT', `Named-reference '${name}' is not at expected hash '${expected}', but at '${head}'.`, [
        { conflictType: 'UNEXPECTED_HASH', message: `named-reference '${name}' is not at expected hash '${expected}', but at '${head}'` },
      ]);
    }
  }

  /** Every commit reachable from `hash` through both parents, the root included. */
  private ancestors(hash: string): Set<string> {
    const seen = new Set<string>();
    const todo = [hash];
    while (todo.length > 0) {
      const at = todo.shift()!;
      if (seen.has(at)) continue;
      seen.add(at);
      const c = this.commits.get(at);
      if (c) todo.push(c.parent, ...(c.mergeParent ? [c.mergeParent] : []));
    }
    return seen;
  }

  /** The best common ancestor: a commit both reach that is not an ancestor of another such commit. */
  private mergeBase(target: string, source: string): string {
    const reach = this.ancestors(source);
    const common = [...this.ancestors(target)].filter((h) => reach.has(h));
    const best = common.filter((c) => !common.some((o) => o !== c && this.ancestors(o).has(c)));
    return best[0] ?? NO_ANCESTOR;
  }

  /** Commits reachable from `head` but not from `base`. */
  private since(head: string, base: string): FakeCommit[] {
    const exclude = this.ancestors(base);
    return [...this.ancestors(head)].filter((h) => !exclude.has(h)).map((h) => this.commits.get(h)!).filter(Boolean);
  }

  private tree(hash: string): Readonly<Record<string, string>> {
    return this.commits.get(hash)?.contents ?? {};
  }

  private newCommit(spec: { parent: string; mergeParent?: string; message: string; keys: readonly string[]; contents?: Record<string, string> }): string {
    this.counter += 1;
    this.clock += 60_000;
    const hash = createHash('sha256').update(`commit-${this.counter}-${spec.message}`).digest('hex');
    this.commits.set(hash, {
      hash,
      parent: spec.parent,
      ...(spec.mergeParent ? { mergeParent: spec.mergeParent } : {}),
      message: spec.message,
      author: 'sluice-test',
      commitTime: new Date(this.clock).toISOString(),
      keys: [...spec.keys],
      // A plain commit writes a new version of each key it touches.
      contents: spec.contents ?? { ...this.tree(spec.parent), ...Object.fromEntries(spec.keys.map((k) => [k, `${k}@${this.counter}`])) },
    });
    return hash;
  }
}
