// @ts-check
// The asset page's Freshness panel: the asset's lag policy and cron deadline as defined, their
// current verdicts per partition (worst first: FAIL, WARN, PASS) and the changes the daemon
// recorded (violations and recoveries), checked while runs go on (docs/architecture.md, Freshness).
import { h, time } from '../dom.js';

/** @typedef {import('../../api-contract.js').AssetFreshnessView} AssetFreshnessView */
/** @typedef {import('../../api-contract.js').FreshnessVerdictView} FreshnessVerdictView */

const CLASS = { PASS: 's-passed', WARN: 's-stale', FAIL: 's-failed' };

/** @param {'PASS' | 'WARN' | 'FAIL'} level */
const level = (level) => h('span', { class: `chip ${CLASS[level]}` }, level);

/** @param {AssetFreshnessView} f */
function policyText(f) {
  const parts = [];
  if (f.policy) parts.push(`lag at most ${f.policy.maxLagMinutes} min${f.policy.warnAfterMinutes !== null ? ` (WARN after ${f.policy.warnAfterMinutes} min)` : ''}`);
  if (f.deadline) {
    parts.push(`deadline ${f.deadline.cron} ${f.deadline.timezone}${f.deadline.warnBeforeMinutes !== null ? ` (WARN ${f.deadline.warnBeforeMinutes} min before)` : ''}${f.deadline.customPartition ? ', partition chosen by the definition' : ''}`);
  }
  return parts.join('; ');
}

/** @param {FreshnessVerdictView[]} rows @param {string} id @param {string} when */
function table(rows, id, when) {
  return h('table', { class: 'grid', id },
    h('thead', {}, h('tr', {}, h('th', {}, when), h('th', {}, 'kind'), h('th', {}, 'partition'), h('th', {}, 'level'), h('th', {}, 'summary'))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('td', {}, time(r.at)), h('td', {}, r.kind), h('td', {}, r.partitionKey || '—'),
      h('td', {}, level(r.level), r.recovers ? h('span', { class: 'muted' }, ' recovered') : null),
      h('td', {}, r.summary)))));
}

/** @param {AssetFreshnessView | null} f @returns {HTMLElement | null} */
export function freshnessSection(f) {
  if (!f) return null;
  return h('section', { id: 'freshness' },
    h('h2', {}, 'Freshness'),
    h('p', {}, policyText(f)),
    f.current.length === 0 ? h('p', { class: 'muted' }, 'not checked yet (a running daemon checks it every few seconds)') : table([...f.current], 'freshness-current', 'since'),
    f.history.length === 0 ? null : [h('h3', {}, 'Changes'), table([...f.history], 'freshness-history', 'when')]);
}
