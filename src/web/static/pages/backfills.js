// @ts-check
// Backfills, newest first: status, selection, range, policy, progress counts, created. While one
// of them is unfinished the list re-reads GET /api/backfills every 2 s (one request per tick).
import { call } from '../api.js';
import { ago, chip, clear, errorBox, h } from '../dom.js';

const UNFINISHED = new Set(['RUNNING', 'CANCELING']);
const POLL_MS = 2000;

/** @param {HTMLElement} main */
export async function render(main) {
  const body = h('tbody', {});
  const message = h('div', {});
  main.append(h('section', {}, h('h1', {}, 'Backfills'), message,
    h('table', { class: 'grid', id: 'backfills-table' },
      h('thead', {}, h('tr', {}, ['backfill', 'status', 'selection', 'range', 'policy', 'done', 'failed', 'running', 'queued', 'canceled', 'created'].map((t) => h('th', {}, t)))), body)));

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let closed = false;
  const load = async () => {
    let backfills;
    try {
      ({ backfills } = await call('listBackfills', { query: { limit: 100 } }));
      clear(message);
    } catch (error) {
      clear(message).append(errorBox(error));
      return;
    }
    clear(body);
    if (backfills.length === 0) body.append(h('tr', {}, h('td', { colspan: 11, class: 'muted' }, 'no backfills yet: launch one from a partitioned asset\u2019s page or with `sluice backfill`')));
    for (const b of backfills) {
      body.append(h('tr', { dataset: { backfillId: b.backfillId, status: b.status } },
        h('td', {}, h('a', { href: `#/backfills/${encodeURIComponent(b.backfillId)}` }, b.backfillId.slice(0, 8))),
        h('td', {}, chip(b.status)),
        h('td', {}, h('code', {}, b.selection)),
        h('td', {}, `${b.from} \u2026 ${b.to}`, h('div', { class: 'muted' }, `${b.partitionCount} partition${b.partitionCount === 1 ? '' : 's'}, ${b.runCount} run${b.runCount === 1 ? '' : 's'}`)),
        h('td', {}, b.policy, b.maxConcurrentRuns ? h('div', { class: 'muted' }, `max ${b.maxConcurrentRuns} at once`) : null),
        /** @type {const} */ (['done', 'failed', 'running', 'queued', 'canceled']).map((s) => h('td', { class: b.counts[s] > 0 && s === 'failed' ? 'error-text' : '' }, String(b.counts[s]))),
        h('td', { title: b.createdAt }, ago(b.createdAt))));
    }
    if (!closed && backfills.some((b) => UNFINISHED.has(b.status))) timer = setTimeout(load, POLL_MS);
  };
  await load();
  return () => {
    closed = true;
    clearTimeout(timer);
  };
}
