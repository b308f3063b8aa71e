// @ts-check
// How long something took, in the dashboard and in the CLI's output alike (the CLI imports this
// module; the pages load it as it is): `850ms`, `1.2s`, `3m4s`, `2h5m`.

/**
 * @param {number | null | undefined} ms
 * @param {string} [none] what a missing duration reads as
 * @returns {string}
 */
export function formatDuration(ms, none = '') {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return none;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m}m${Math.floor((ms % 60_000) / 1000)}s`;
  return `${Math.floor(m / 60)}h${m % 60}m`;
}
