// Runs, newest first, filtered by status, tag, schedule and backfill (server-side: a backfill's
// runs carry the tag sluice/backfill=<id>); rows update live from the runs stream (SSE).
import { api } from '../api.js';
import { ago, chip, clear, duration, errorBox, h, throttle } from '../dom.js';
import { runPartition } from '../partition-grid.js';

const STATUSES = ['QUEUED', 'STARTED', 'SUCCESS', 'FAILURE', 'CANCELING', 'CANCELED'];

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

  api('/api/schedules').then(({ schedules }) => {
    for (const s of schedules) schedule.append(h('option', { value: s.name, selected: query.get('schedule') === s.name }, s.name));
  }, () => {});

  const params = () => {
    const p = new URLSearchParams({ limit: '100' });
    if (status.value) p.set('status', status.value);
    if (tag.value.trim()) p.set('tag', tag.value.trim());
    const sched = schedule.value || query.get('schedule');
    if (sched) p.set('schedule', sched);
    if (backfill.value.trim()) p.set('backfill', backfill.value.trim());
    return p;
  };
  const load = async () => {
    clear(message);
    let runs;
    try {
      const p = params();
      if (p.has('backfill')) {
        p.append('tag', `sluice/backfill=${p.get('backfill')}`);
        p.delete('backfill');
      }
      ({ runs } = await api(`/api/runs?${p}`));
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
        h('td', {}, runPartition(r.tags) ?? ''),
        h('td', {}, r.trigger),
        h('td', {}, Object.entries(r.tags).map(([k, v]) => h('span', { class: 'tag' }, `${k}=${v}`))),
        h('td', { title: r.createdAt }, ago(r.createdAt)),
        h('td', {}, duration(r.durationMs ?? (r.startedAt && !r.endedAt ? Date.now() - Date.parse(r.startedAt) : null)))));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = params();
    p.delete('limit');
    history.replaceState(null, '', `#/runs${p.size ? `?${p}` : ''}`);
    load();
  });
  await load();
  const reload = throttle(load, 1000);
  const stream = new EventSource('/api/runs/stream');
  stream.addEventListener('runs', reload);
  return () => stream.close();
}
