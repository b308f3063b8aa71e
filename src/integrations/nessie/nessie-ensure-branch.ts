import { SluiceError } from '../../core/errors.js';
import type { NessieClient } from './nessie-client.js';
import { isNessieError } from './nessie-error.js';
import type { NessieReference } from './nessie-types.js';
import { checkRefName } from './ref-path.js';

export interface EnsuredBranch {
  readonly branch: NessieReference;
  /** True when this call created the branch. */
  readonly created: boolean;
}

/**
 * Makes sure branch `name` exists: returns it when it does, otherwise creates it at the current
 * HEAD of `fromRef` (default `main`). A concurrent creator winning the race is not an error (the
 * existing branch is returned). Throws NESSIE_REFERENCE_IS_TAG when `name` is a tag.
 */
export async function nessieEnsureBranch(client: NessieClient, name: string, fromRef = 'main'): Promise<EnsuredBranch> {
  checkRefName(name, 'branch');
  checkRefName(fromRef, 'source');
  const existing = await findReference(client, name);
  if (existing) return { branch: asBranch(existing), created: false };
  try {
    return { branch: await client.createBranch(name, fromRef), created: true };
  } catch (error) {
    if (!isNessieError(error, 'NESSIE_REFERENCE_EXISTS')) throw error;
    return { branch: asBranch(await client.getReference(name)), created: false };
  }
}

async function findReference(client: NessieClient, name: string): Promise<NessieReference | undefined> {
  try {
    return await client.getReference(name);
  } catch (error) {
    if (isNessieError(error, 'NESSIE_REFERENCE_NOT_FOUND')) return undefined;
    throw error;
  }
}

function asBranch(reference: NessieReference): NessieReference {
  if (reference.type !== 'BRANCH') {
    throw new SluiceError(
      'NESSIE_REFERENCE_IS_TAG',
      `Nessie reference "${reference.name}" is a tag, not a branch: name the branch differently, or delete the tag first`,
      { reference: reference.name, type: reference.type },
    );
  }
  return reference;
}
