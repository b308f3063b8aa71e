import { SluiceError } from '../errors.js';

/** How a backfill splits its partitions into runs. */
export type BackfillPolicy = { readonly kind: 'per-partition' } | { readonly kind: 'single-run' } | { readonly kind: 'chunks'; readonly size: number };

/** `per-partition`, `single-run`, `chunks:N`; throws INVALID_FLAG naming where it came from otherwise. */
export function parseBackfillPolicy(text: string, where = '--policy'): BackfillPolicy {
  if (text === 'per-partition' || text === 'single-run') return { kind: text };
  const chunks = /^chunks:(\d+)$/.exec(text);
  if (chunks && Number(chunks[1]) > 0) return { kind: 'chunks', size: Number(chunks[1]) };
  throw new SluiceError('INVALID_FLAG', `${where} "${text}" is not one of per-partition, single-run, chunks:N (N >= 1)`, { flag: where, value: text });
}
