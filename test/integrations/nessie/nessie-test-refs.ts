import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { NessieClient } from '../../../src/integrations/nessie/nessie-client.js';
import { nessieCommitTable } from '../../../src/integrations/nessie/nessie-commit-table.js';
import { NessieError } from '../../../src/integrations/nessie/nessie-error.js';
import type { NessieContentKey, NessieReference, NessieReferenceType } from '../../../src/integrations/nessie/nessie-types.js';
import { requireNessie, TEST_NESSIE_URI } from '../../fixtures/services.js';

/** `<prefix>-<random>`: a reference name no other test uses on the shared server. */
export function uniqueRef(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * The references one test file creates on the shared Nessie server, each under a unique name, and
 * deleted at the end. `mainLike` is a fresh branch at the server's default branch, so a test never
 * depends on what others committed there (its content is whatever the default branch had).
 */
export class TestRefs {
  private readonly created: Array<{ type: NessieReferenceType; name: string }> = [];
  readonly client = new NessieClient({ url: TEST_NESSIE_URI });

  static async open(): Promise<TestRefs> {
    await requireNessie();
    return new TestRefs();
  }

  async mainLike(prefix = 'main'): Promise<NessieReference> {
    const { defaultBranch } = await this.client.config();
    return this.branch(prefix, defaultBranch);
  }

  /** A fresh branch at the repository's root commit: no content, no commits of its own. */
  async emptyBranch(prefix = 'empty'): Promise<NessieReference> {
    const { defaultBranch, noAncestorHash } = await this.client.config();
    return this.branch(prefix, { type: 'BRANCH', name: defaultBranch, hash: noAncestorHash! });
  }

  async branch(prefix: string, from: NessieReference | string): Promise<NessieReference> {
    const ref = await this.client.createBranch(uniqueRef(prefix), from);
    this.created.push({ type: 'BRANCH', name: ref.name });
    return ref;
  }

  async tag(name: string, from: NessieReference | string): Promise<NessieReference> {
    const ref = await this.client.createTag(name, from);
    this.created.push({ type: 'TAG', name: ref.name });
    return ref;
  }

  /** Remembers a reference made another way (by code under test), for deletion at the end. */
  track(type: NessieReferenceType, name: string): void {
    this.created.push({ type, name });
  }

  /** Commits an Iceberg table version at `key` on `branch`; returns the new HEAD. */
  async commitTable(branch: string, key: NessieContentKey, version: string, message = `write ${key.join('.')} ${version}`): Promise<string> {
    const result = await nessieCommitTable(this.client, {
      branch,
      key,
      table: { metadataLocation: metadataLocation(key, version), snapshotId: snapshotOf(version) },
      message,
      authors: ['sluice-test'],
    });
    return result.hash;
  }

  async head(name: string): Promise<string> {
    return (await this.client.getReference(name)).hash;
  }

  /** Deletes what this file created (best effort: a reference already gone is fine). */
  async cleanup(): Promise<void> {
    for (const { type, name } of this.created.reverse()) {
      try {
        const ref = await this.client.getReference(name);
        if (ref.type === type) await this.client.deleteReference(type, name, ref.hash);
      } catch {
        // Deleted by the test itself, or the server is gone: nothing to clean.
      }
    }
  }
}

/** Where an Iceberg writer would have written the table's metadata for `version`. */
export function metadataLocation(key: NessieContentKey, version: string): string {
  return `s3://warehouse/${key.join('/')}/metadata/${version}.metadata.json`;
}

function snapshotOf(version: string): number {
  let n = 7;
  for (const ch of version) n = (n * 31 + ch.charCodeAt(0)) % 2 ** 40;
  return n;
}

/** The NessieError `promise` rejects with; fails the test when it resolves or throws something else. */
export async function nessieError(promise: Promise<unknown>): Promise<NessieError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NessieError);
  return error as NessieError;
}
