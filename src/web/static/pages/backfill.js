// @ts-check
// One backfill: its facts, a progress bar, the per-partition state grid (the asset page's cell
// component), its runs and Cancel. While it is RUNNING or CANCELING the page re-reads
// GET /api/backfills/:id every 2 s (the runs stream only watches the newest 100 runs, which a
// large backfill outgrows), and stops once it has ended or the page is left.
import { call } from '../api.js';
import { ago, chip, clear, errorBox, h, time } from '../dom.js';
import { partitionGrid, stateLegend } from '../partition-grid.js';

const UNFINISHED = new Set(['RUNNING', 'CANCELING']);
const POLL_MS = 2000;
const RUNS_SHOWN = 200;
/** @type {ReadonlyArray<[keyof BackfillSummary['counts'], string]>} */
const COLORS = [['done', '#2f9e44'], ['failed', '#e03131'], ['running', '#1c7ed6'], ['canceled', '#e0a800']];

/** @typedef {import('../../api-contract.js').BackfillSummary} BackfillSummary */

/** @param {HTMLElement} main @param {{ groups: string[] }} params */
export async function render(main, { groups }) {
  const id = /** @type {string} */ (groups[0]);
  const header = h('div', { id: 'backfill-header' });
  const actions = h('div', { class: 'actions' });
  const message = h('div', {});
  const progress = h('div', { id: 'backfill-progress' });
  const gridBox = h('div', {});
  const detail = h('div', { class: 'pdetail', id: 'backfill-partition' }, h('span', { class: 'muted' }, 'click a partition to see its run'));
  const runs = h('div', { id: 'backfill-runs' });
  main.append(h('section', { class: 'backfill-page' }, header, actions, message, h('h2', {}, 'Progress'), progress,
    h('h2', {}, 'Partitions'), gridBox, detail, h('h2', {}, 'Runs'), runs));

  /** @type {BackfillSummary | undefined} */
  let b;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let closed = false;
  /** @type {string | null} */
  let selectedKey = null;
  /** @param {string} key */
  const showPartition = (key) => {
    selectedKey = key;
    const p = b?.partitions.find((x) => x.key === key);
    clear(detail);
    if (!p) return;
    detail.append(h('b', {}, p.key), ' ', h('span', { class: `chip s-${p.state}` }, p.state), ' · run ',
      p.runId ? h('a', { href: `#/runs/${encodeURIComponent(p.runId)}` }, p.runId) : h('span', { class: 'muted' }, 'none'));
  };
  /** @param {BackfillSummary} b */
  const renderAll = (b) => {
    clear(header).append(
      h('div', { class: 'title' }, h('h1', {}, `Backfill ${b.backfillId.slice(0, 8)}`), chip(b.status), h('code', { class: 'muted' }, b.backfillId)),
      h('dl', { class: 'facts' },
        h('dt', {}, 'selection'), h('dd', {}, h('code', {}, b.selection)),
        h('dt', {}, 'range'), h('dd', {}, `${b.from} \u2026 ${b.to} (${b.partitionCount} partition${b.partitionCount === 1 ? '' : 's'}, ${b.runCount} run${b.runCount === 1 ? '' : 's'})`),
        h('dt', {}, 'policy'), h('dd', {}, b.policy, b.maxConcurrentRuns ? `, at most ${b.maxConcurrentRuns} runs at once` : ''),
        h('dt', {}, 'trigger'), h('dd', {}, b.trigger),
        h('dt', {}, 'tags'), h('dd', {}, Object.entries(b.tags).map(([k, v]) => h('span', { class: 'tag' }, `${k}=${v}`)), Object.keys(b.tags).length ? null : '—'),
        h('dt', {}, 'created'), h('dd', {}, `${time(b.createdAt)} (${ago(b.createdAt)})`),
        h('dt', {}, 'ended'), h('dd', {}, b.endedAt ? time(b.endedAt) : '—')));
    clear(actions);
    if (UNFINISHED.has(b.status)) actions.append(h('button', { type: 'button', id: 'cancel-backfill', class: 'danger', onclick: cancel, disabled: b.status === 'CANCELING' }, b.status === 'CANCELING' ? 'Canceling…' : 'Cancel backfill'));
    actions.append(h('a', { class: 'button', href: `#/runs?backfill=${encodeURIComponent(b.backfillId)}` }, 'Show its runs'));

    const total = Math.max(1, b.partitionCount);
    clear(progress).append(
      h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': b.partitionCount, 'aria-valuenow': b.counts.done + b.counts.failed + b.counts.canceled },
        COLORS.map(([s, color]) => {
          const bar = h('div', { title: `${s}: ${b.counts[s]}`, dataset: { state: s } });
          bar.style.width = `${(b.counts[s] / total) * 100}%`;
          bar.style.background = color;
          return bar;
        })),
      stateLegend('backfill-counts', b.counts));

    const grid = partitionGrid({ id: 'backfill-grid', cells: b.partitions.map((p) => ({ key: p.key, state: p.state })), onSelect: showPartition });
    clear(gridBox).append(grid);
    if (selectedKey) {
      grid.select(selectedKey);
      showPartition(selectedKey);
    }

    const list = b.runs;
    clear(runs).append(h('table', { class: 'grid', id: 'backfill-runs-table' },
      h('thead', {}, h('tr', {}, ['run', 'partition', 'state'].map((t) => h('th', {}, t)))),
      h('tbody', {}, list.slice(0, RUNS_SHOWN).map((r) => h('tr', { dataset: { runId: r.runId } },
        h('td', {}, h('a', { href: `#/runs/${encodeURIComponent(r.runId)}` }, r.runId)),
        h('td', {}, r.partition ?? ''),
        h('td', {}, h('span', { class: `chip s-${r.state}` }, r.state)))))),
    ...(list.length > RUNS_SHOWN ? [h('p', { class: 'muted' }, `and ${list.length - RUNS_SHOWN} more: `, h('a', { href: `#/runs?backfill=${encodeURIComponent(b.backfillId)}` }, 'all its runs'))] : []));
  };
  const load = async () => {
    clearTimeout(timer);
    try {
      b = await call('getBackfill', { params: { id } });
      clear(message);
      renderAll(b);
    } catch (error) {
      clear(message).append(errorBox(error));
      if (!b) return;
    }
    if (!closed && UNFINISHED.has(b.status)) timer = setTimeout(load, POLL_MS);
  };
  async function cancel() {
    try {
      await call('cancelBackfill', { params: { id } });
      await load();
    } catch (error) {
      clear(message).append(errorBox(error));
    }
  }
  await load();
  return () => {
    closed = true;
    clearTimeout(timer);
  };
}
