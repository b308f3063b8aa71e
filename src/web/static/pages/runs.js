// @ts-check
// Runs, newest first, filtered by status, tag, schedule and backfill (all server-side); rows update
// live from the runs stream (SSE).
import { call } from '../api.js';
import { ago, chip, clear, duration, errorBox, h, throttle } from '../dom.js';

/** @type {ReadonlyArray<import('../../api-contract.js').RunListItem['status']>} */
const STATUSES = ['QUEUED', 'STARTED', 'SUCCESS', 'FAILURE', 'CANCELING', 'CANCELED'];

/** @param {HTMLElement} main @param {{ query: URLSearchParams }} params */
export async function render(main, { query }) {
  const status = h('select', { id: 'runs-status', 'aria-label': 'status' }, h('option', { value: '' }, 'any status'), STATUSES.map((s) => h('option', { value: s, selected: query.get('status') === s }, s)));
  const tag = h('input', { id: 'runs-tag', placeholder: 'tag key=value', value: query.get('tag') ?? '' });
  const backfill = h('input', { id: 'runs-backfill', placeholder: 'backfill id', value: query.get('backfill') ?? '' });
  const schedule = h('select', { id: 'runs-schedule', 'aria-label': 'schedule' }, h('option', { value: '' }, 'any schedule'));
  const body = h('tbody', {});
  const message = h('div', {});
  const form = h('form', { class: 'toolbar' }, status, tag, schedule, backfill, h('button', { type: 'submit' }, 'Filter'));
  main.append(h('section', {}, h('h1', {}, 'Runs'), form, message,
    h('table', { class: 'grid', id: 'runs-table' },
      h('thead', {}, h('tr', {}, ['run', 'status', 'selection', 'partition', 'trigger', 'tags', 'created', 'duration'].map((t) => h('th', {}, t)))), body)));

  call('schedules').then(({ schedules }) => {
    for (const s of schedules) schedule.append(h('option', { value: s.name, selected: query.get('schedule') === s.name }, s.name));
  }, () => {});

  /** The filters as the page's hash and GET /api/runs take them. */
  const filters = () => {
    /** @type {{ status?: string, tag?: string, schedule?: string, backfill?: string }} */
    const f = {};
    if (status.value) f.status = status.value;
    if (tag.value.trim()) f.tag = tag.value.trim();
    const sched = schedule.value || query.get('schedule');
    if (sched) f.schedule = sched;
    if (backfill.value.trim()) f.backfill = backfill.value.trim();
    return f;
  };
  const load = async () => {
    clear(message);
    let runs;
    try {
      ({ runs } = await call('listRuns', { query: { limit: 100, ...filters() } }));
    } catch (error) {
      message.append(errorBox(error));
      return;
    }
    clear(body);
    if (runs.length === 0) body.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'no runs')));
    for (const r of runs) {
      body.append(h('tr', { dataset: { runId: r.runId } },
        h('td', {}, h('a', { href: `#/runs/${encodeURIComponent(r.runId)}` }, r.runId.slice(0, 8))),
        h('td', {}, chip(r.status), r.queueReason ? h('div', { class: 'muted' }, r.queueReason) : null),
        h('td', {}, h('code', {}, r.selection)),
        h('td', {}, r.partition ?? ''),
        h('td', {}, r.trigger),
        h('td', {}, Object.entries(r.tags).map(([k, v]) => h('span', { class: 'tag' }, `${k}=${v}`))),
        h('td', { title: r.createdAt }, ago(r.createdAt)),
        h('td', {}, duration(r.durationMs ?? (r.startedAt && !r.endedAt ? Date.now() - Date.parse(r.startedAt) : null)))));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams(filters());
    history.replaceState(null, '', `#/runs${p.size ? `?${p}` : ''}`);
    load();
  });
  await load();
  const reload = throttle(load, 1000);
  const stream = new EventSource('/api/runs/stream');
  stream.addEventListener('runs', reload);
  return () => stream.close();
}
