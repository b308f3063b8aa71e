import type { Metadata } from '../core/asset/metadata.js';

/** Keeps JSON-safe metadata values; anything else becomes its string form. */
export function sanitizeMetadata(metadata: Metadata | undefined): Metadata {
  if (!metadata) return {};
  const out: Record<string, Metadata[string]> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) {
      out[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
    } else if (typeof v === 'object') out[k] = JSON.parse(JSON.stringify(v)) as Metadata[string];
    else out[k] = String(v);
  }
  return out;
}
