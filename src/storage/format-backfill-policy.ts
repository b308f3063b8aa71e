import type { BackfillPolicy } from './backfill-storage.js';

/** How a backfill policy is stored and shown: `per-partition`, `single-run`, `chunks:N`. */
export function formatBackfillPolicy(policy: BackfillPolicy): string {
  return policy.kind === 'chunks' ? `chunks:${policy.size}` : policy.kind;
}

/** The inverse of formatBackfillPolicy (anything unknown reads as per-partition). */
export function parseBackfillPolicy(text: string): BackfillPolicy {
  if (text.startsWith('chunks:')) return { kind: 'chunks', size: Number(text.slice('chunks:'.length)) };
  return { kind: text === 'single-run' ? 'single-run' : 'per-partition' };
}
