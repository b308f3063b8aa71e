import { createHash } from 'node:crypto';

/**
 * The run id of a tick: a name-based (version 5 style) UUID of `schedule` and the scheduled instant.
 * Deterministic, so a tick can never create two runs even if it were launched twice: the second
 * createRun hits the first's primary key.
 */
export function scheduleRunId(schedule: string, scheduledFor: Date): string {
  const hash = createHash('sha1').update(`sluice-schedule\u0000${schedule}\u0000${scheduledFor.toISOString()}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
