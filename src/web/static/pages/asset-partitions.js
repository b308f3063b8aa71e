// @ts-check
// The asset page's partitions section: every partition up to now (newest first) in a grid colored
// by status (stale materialized partitions apart), the counts, the clicked partition's last run,
// and "Materialize missing" / "Materialize failed", each a backfill of this asset over the chosen
// range (onlyMissing / onlyFailed) that then opens the backfill's page.
import { call } from '../api.js';
import { ago, clear, errorBox, h, time } from '../dom.js';
import { partitionGrid, stateLegend } from '../partition-grid.js';

/** @param {string} key @param {string} selection the asset as a selection (`key:...`) */
export async function partitionsSection(key, selection) {
  const view = await call('assetPartitions', { params: { key } });
  const byKey = new Map(view.partitions.map((p) => [p.key, p]));
  const stateOf = (/** @type {import('../../api-contract.js').PartitionView} */ p) => (p.status === 'materialized' && p.stale ? 'stale' : p.status);
  const detail = h('div', { class: 'pdetail', id: 'partition-detail' }, h('span', { class: 'muted' }, 'click a partition to see its last run'));
  const message = h('div', { id: 'partitions-msg' });
  const newest = view.partitions[0]?.key ?? '';
  const oldest = view.partitions.at(-1)?.key ?? '';
  const from = h('input', { id: 'partitions-from', type: 'text', value: oldest, 'aria-label': 'from partition' });
  const to = h('input', { id: 'partitions-to', type: 'text', value: newest, 'aria-label': 'to partition' });

  const show = (/** @type {string} */ k) => {
    const p = byKey.get(k);
    clear(detail);
    if (!p) return;
    const launchHref = `#/launch?select=${encodeURIComponent(selection)}&partition=${encodeURIComponent(p.key)}`;
    detail.append(h('b', {}, p.key), ' ', h('span', { class: `chip s-${stateOf(p)}` }, stateOf(p)),
      p.staleReason ? h('span', { class: 'reason' }, ` ${p.staleReason}`) : '',
      ' · last run ', p.runId ? h('a', { href: `#/runs/${encodeURIComponent(p.runId)}`, id: 'partition-run' }, p.runId.slice(0, 8)) : h('span', { class: 'muted' }, 'none'),
      p.at ? ` (${ago(p.at)})` : '',
      ' · materialized ', p.materializedAt ? time(p.materializedAt) : h('span', { class: 'muted' }, 'never'),
      ' ', h('a', { class: 'button', href: launchHref }, 'Materialize this partition'));
  };
  const backfill = (/** @type {'onlyMissing' | 'onlyFailed'} */ flag) => async (/** @type {Event} */ e) => {
    clear(message);
    const button = /** @type {HTMLButtonElement} */ (e.target);
    button.disabled = true;
    try {
      const r = await call('launchBackfill', { body: { selection, from: from.value.trim(), to: to.value.trim(), [flag]: true, trigger: 'web' } });
      location.hash = `#/backfills/${encodeURIComponent(r.backfillId)}`;
    } catch (error) {
      message.append(errorBox(error));
      button.disabled = false;
    }
  };
  const grid = partitionGrid({
    id: 'partition-grid',
    cells: view.partitions.map((p) => ({ key: p.key, state: stateOf(p), title: `${p.key}: ${stateOf(p)}` })),
    onSelect: show,
  });
  const counts = { materialized: view.counts.materialized - view.stale, stale: view.stale, failed: view.counts.failed, missing: view.counts.missing, running: view.counts.running };
  return h('div', { id: 'partitions' },
    h('h2', {}, `Partitions (${view.partitions.length})`, h('span', { class: 'live' }, view.partitionsDefinition, ', newest first')),
    stateLegend('partition-counts', counts),
    grid, detail,
    h('div', { class: 'range' }, 'from', from, 'to', to,
      h('button', { type: 'button', id: 'materialize-missing', disabled: view.counts.missing === 0, onclick: backfill('onlyMissing') }, 'Materialize missing'),
      h('button', { type: 'button', id: 'materialize-failed', disabled: view.counts.failed === 0, onclick: backfill('onlyFailed') }, 'Materialize failed')),
    message);
}
