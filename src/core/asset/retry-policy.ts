import { SluiceError } from '../errors.js';

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  readonly attempts: number;
  readonly backoff?: { readonly type: 'fixed' | 'exponential'; readonly delayMs: number };
  /** Fraction (0..1) of the delay added or removed at random. */
  readonly jitter?: number;
}

export const NO_RETRY: RetryPolicy = Object.freeze({ attempts: 1 });

export function assertRetryPolicy(policy: RetryPolicy, where: string): RetryPolicy {
  const bad = (what: string) =>
    new SluiceError('INVALID_RETRY_POLICY', `invalid retry policy in ${where}: ${what}`, { where });
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) throw bad('attempts must be an integer >= 1');
  if (policy.backoff && !(policy.backoff.delayMs >= 0)) throw bad('backoff.delayMs must be >= 0');
  if (policy.backoff && !['fixed', 'exponential'].includes(policy.backoff.type)) {
    throw bad('backoff.type must be "fixed" or "exponential"');
  }
  if (policy.jitter !== undefined && !(policy.jitter >= 0 && policy.jitter <= 1)) throw bad('jitter must be in 0..1');
  return policy;
}

/**
 * Delay before attempt `nextAttempt` (2 = the first retry). `random` is a number in [0, 1) that the
 * caller supplies, so this stays pure.
 */
export function retryDelayMs(policy: RetryPolicy, nextAttempt: number, random: number): number {
  const backoff = policy.backoff;
  if (!backoff) return 0;
  const base = backoff.type === 'fixed' ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, nextAttempt - 2);
  const jitter = policy.jitter ?? 0;
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random - 1))));
}
