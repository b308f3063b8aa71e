// @ts-check
// The partitions grid shared by the asset page (partition status) and the backfill page (progress
// per partition): one small cell per partition, colored by a state class, in the order given.
// Plain DOM cells (1,000 spans build in a few ms) with one delegated listener on the grid, so a
// page of many partitions adds no listener per cell.
import { h } from './dom.js';

/**
 * @param {{ id: string, cells: Array<{ key: string, state: string, title?: string }>, onSelect: (key: string) => void }} options
 * @returns {HTMLDivElement & { select(key: string): void }} the grid; `grid.select(key)` marks a cell as selected.
 */
export function partitionGrid({ id, cells, onSelect }) {
  const grid = Object.assign(
    h('div', { class: 'pgrid', id, role: 'list' },
      cells.map((c) => h('span', { class: `pcell pc-${c.state}`, role: 'listitem', title: c.title ?? `${c.key}: ${c.state}`, dataset: { key: c.key, state: c.state } }))),
    { select: (/** @type {string} */ key) => select(key) },
  );
  /** @type {Element | null} */
  let selected = null;
  /** @param {string} key */
  const select = (key) => {
    selected?.classList.remove('selected');
    selected = grid.querySelector(`.pcell[data-key="${CSS.escape(key)}"]`);
    selected?.classList.add('selected');
  };
  grid.addEventListener('click', (e) => {
    const cell = e.target instanceof Element ? e.target.closest('.pcell') : null;
    const key = cell instanceof HTMLElement ? cell.dataset.key : undefined;
    if (!cell || !grid.contains(cell) || key === undefined) return;
    select(key);
    onSelect(key);
  });
  return grid;
}

/**
 * A legend of states with their counts: `materialized 12 · failed 1 ...`, each with its color.
 * @param {string} id @param {Readonly<Record<string, number>>} counts
 */
export function stateLegend(id, counts) {
  return h('div', { class: 'plegend', id },
    Object.entries(counts).map(([state, n]) => h('span', { dataset: { state } }, h('i', { class: `pcell pc-${state}` }), ` ${state} `, h('b', {}, String(n)))));
}
