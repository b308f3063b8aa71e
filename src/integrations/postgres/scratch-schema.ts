import { randomBytes } from 'node:crypto';

/**
 * A fresh name for a schema Sluice uses briefly (`_sluice_stage_1a2b3c4d5e6f`): promotion builds the
 * new tables there, and parks the old ones there while it swaps. Never a user's name; a leftover
 * (the process died mid-promotion) is safe to drop.
 */
export function scratchSchema(purpose: 'stage' | 'old'): string {
  return `_sluice_${purpose}_${randomBytes(6).toString('hex')}`;
}
