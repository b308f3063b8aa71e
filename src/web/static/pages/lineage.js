// @ts-check
// Asset lineage: the whole graph left to right (layout computed once on the server), colored by
// status, with check badges and group stripes; filtered with the CLI's selection syntax (parsed and
// resolved on the server by the same parser, GET /api/selection); live through the runs stream.
import { call, keyPath } from '../api.js';
import { chip, clear, errorBox, h, throttle } from '../dom.js';
import { LineageCanvas, STATUS_COLORS } from '../lineage-canvas.js';

const LIST_MAX = 200;

/** @param {HTMLElement} main @param {{ query: URLSearchParams }} params */
export async function render(main, { query }) {
  const started = performance.now();
  const filter = h('input', { id: 'lineage-filter', type: 'search', placeholder: 'selection, e.g. +key:promote_dev_to_main or group:ingest', spellcheck: 'false', value: query.get('select') ?? '' });
  const message = h('div', { class: 'filter-msg', id: 'lineage-msg' });
  const count = h('span', { class: 'muted', id: 'lineage-count' });
  const list = h('ul', { class: 'asset-list', id: 'lineage-list' });
  const canvas = h('canvas', { id: 'lineage-canvas', 'aria-label': 'asset lineage graph' });
  const legend = h('div', { class: 'legend' }, Object.keys(STATUS_COLORS).map((s) => h('span', {}, h('i', { class: `dot s-${s}` }), s)));
  const fitButton = h('button', { type: 'button', id: 'lineage-fit' }, 'Fit');
  const form = h(
    'form',
    { class: 'toolbar', id: 'lineage-form' },
    filter,
    h('button', { type: 'submit' }, 'Filter'),
    h('button', { type: 'button', onclick: () => { filter.value = ''; apply(); } }, 'Clear'),
    fitButton,
    count,
    legend,
  );
  main.append(h('section', { class: 'lineage' }, form, message, h('div', { class: 'lineage-body' }, h('div', { class: 'canvas-wrap' }, canvas), h('aside', { class: 'side' }, list))));

  const [layout, statesBody] = await Promise.all([call('lineage'), call('assetStates')]);
  const states = new Map(statesBody.states.map((s) => [s.key, s]));
  const view = new LineageCanvas(canvas, layout, {
    onOpen: (key) => (location.hash = `#/assets/${keyPath(key)}`),
    onFirstRender: () => {
      // performance.now() counts from the navigation's start: the whole time to first render.
      const ms = performance.now();
      /** @type {any} */ (window).__sluiceLineage = { firstRenderMs: ms, sincePageStartMs: ms - started, nodes: layout.nodes.length };
      document.body.dataset.lineageRendered = String(Math.round(ms));
    },
  });
  view.states = states;
  /** @type {readonly string[] | null} */
  let selectedKeys = null;

  const renderList = () => {
    clear(list);
    const keys = selectedKeys ?? layout.nodes.map((n) => n.key);
    count.textContent = selectedKeys ? `${keys.length} of ${layout.nodes.length} assets` : `${layout.nodes.length} assets`;
    for (const key of keys.slice(0, LIST_MAX)) {
      const s = states.get(key);
      const failing = (s?.checks ?? []).filter((c) => c.passed === false).length;
      list.append(h('li', {}, h('a', { href: `#/assets/${keyPath(key)}`, dataset: { key } }, key), ' ', chip(s?.status ?? 'missing'), failing ? h('span', { class: 'badge-fail' }, `${failing} check${failing > 1 ? 's' : ''} failing`) : null));
    }
    if (keys.length > LIST_MAX) list.append(h('li', { class: 'muted' }, `and ${keys.length - LIST_MAX} more`));
  };

  const apply = async () => {
    clear(message);
    const text = filter.value.trim();
    if (text === '') {
      selectedKeys = null;
      view.setSelection(null);
      view.fit();
    } else {
      try {
        const { keys } = await call('selection', { query: { select: text } });
        selectedKeys = keys;
        view.setSelection(keys);
        if (keys.length > 0) view.fit(keys.flatMap((k) => view.index.get(k) ?? []));
      } catch (error) {
        message.append(errorBox(error));
        return;
      }
    }
    renderList();
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    history.replaceState(null, '', filter.value.trim() ? `#/?select=${encodeURIComponent(filter.value.trim())}` : '#/');
    apply();
  });
  fitButton.addEventListener('click', () => view.fit(selectedKeys ? selectedKeys.flatMap((k) => view.index.get(k) ?? []) : undefined));

  await apply();

  const refresh = throttle(async () => {
    try {
      const body = await call('assetStates');
      states.clear();
      for (const s of body.states) states.set(s.key, s);
      view.setStates(states);
      renderList();
    } catch {}
  }, 1000);
  // Run status changes come over SSE; while something runs, step transitions are picked up too.
  const stream = new EventSource('/api/runs/stream');
  stream.addEventListener('runs', refresh);
  const timer = setInterval(() => {
    if ([...states.values()].some((s) => s.status === 'running')) refresh();
  }, 2000);
  return () => {
    stream.close();
    clearInterval(timer);
    view.destroy();
  };
}
