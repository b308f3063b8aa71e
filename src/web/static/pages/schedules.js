// @ts-check
// Schedules: definition, status (start/stop), next tick, and each one's tick history. Sensors and
// backfills get their own sections here once they exist.
import { call } from '../api.js';
import { ago, chip, clear, errorBox, h, time } from '../dom.js';

/** @param {HTMLElement} main */
export async function render(main) {
  const body = h('tbody', {});
  const ticks = h('div', { id: 'ticks' });
  const message = h('div', {});
  main.append(h('section', {}, h('h1', {}, 'Schedules'), message,
    h('table', { class: 'grid', id: 'schedules-table' },
      h('thead', {}, h('tr', {}, ['schedule', 'cron', 'status', 'next tick', 'last tick', ''].map((t) => h('th', {}, t)))), body),
    ticks));

  const showTicks = async (/** @type {string} */ name) => {
    clear(ticks);
    try {
      const r = await call('scheduleTicks', { params: { name }, query: { limit: 50 } });
      ticks.append(h('h2', {}, `Ticks of ${name}`),
        r.ticks.length === 0 ? h('p', { class: 'muted' }, 'no ticks yet') :
          h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['scheduled for', 'status', 'run', 'reason / error', 'claimed by'].map((t) => h('th', {}, t)))),
            h('tbody', {}, r.ticks.map((t) => h('tr', {},
              h('td', {}, time(t.scheduledFor)), h('td', {}, chip(t.status)),
              h('td', {}, t.runId ? h('a', { href: `#/runs/${encodeURIComponent(t.runId)}` }, t.runId.slice(0, 8)) : ''),
              h('td', {}, t.reason ?? t.error?.message ?? ''), h('td', { class: 'muted' }, t.claimedBy))))));
    } catch (error) {
      ticks.append(errorBox(error));
    }
  };
  const load = async () => {
    clear(body);
    const { schedules } = await call('schedules');
    if (schedules.length === 0) body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'this project defines no schedules')));
    for (const s of schedules) {
      const toggle = h('button', { type: 'button', class: s.status === 'RUNNING' ? 'danger' : 'primary', dataset: { schedule: s.name }, onclick: async () => {
        try {
          await call(s.status === 'RUNNING' ? 'stopSchedule' : 'startSchedule', { params: { name: s.name } });
          await load();
        } catch (error) {
          clear(message).append(errorBox(error));
        }
      } }, s.status === 'RUNNING' ? 'Stop' : 'Start');
      body.append(h('tr', {},
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => showTicks(s.name) }, s.name), s.description ? h('div', { class: 'muted' }, s.description) : null),
        h('td', {}, h('code', {}, s.cron), ' ', h('span', { class: 'muted' }, s.timezone), h('div', {}, h('code', { class: 'muted' }, s.selection))),
        h('td', {}, chip(s.status)),
        h('td', {}, s.status === 'RUNNING' && s.nextTick ? time(s.nextTick) : '—'),
        h('td', {}, s.lastTick ? [chip(s.lastTick.status), ' ', ago(s.lastTick.scheduledFor)] : 'none'),
        h('td', {}, toggle, ' ', h('a', { href: `#/runs?schedule=${encodeURIComponent(s.name)}` }, 'runs'))));
    }
  };
  try {
    await load();
  } catch (error) {
    message.append(errorBox(error));
  }
}
