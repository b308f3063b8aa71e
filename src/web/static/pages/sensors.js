// @ts-check
// Sensors: what each watches, its status (start/stop), interval, cursor and last tick, and each
// one's tick history: the runs it requested, why it skipped, what failed.
import { call } from '../api.js';
import { ago, chip, clear, errorBox, h, time } from '../dom.js';

/** @typedef {import('../../api-contract.js').SensorTickView} SensorTickView */

/** @param {SensorTickView} t */
function tickDetail(t) {
  if (t.error) return `${t.error.code ?? t.error.name}: ${t.error.message}`;
  const skipped = t.skippedRunKeys.length > 0 ? ` (run keys already used: ${t.skippedRunKeys.join(', ')})` : '';
  return `${t.skipReason ?? ''}${skipped}`.trim();
}

/** @param {readonly string[]} runIds */
function runLinks(runIds) {
  return runIds.flatMap((id, i) => [i > 0 ? ' ' : '', h('a', { href: `#/runs/${encodeURIComponent(id)}` }, id.slice(0, 8))]);
}

/** @param {HTMLElement} main */
export async function render(main) {
  const body = h('tbody', {});
  const ticks = h('div', { id: 'sensor-ticks' });
  const message = h('div', {});
  main.append(h('section', {}, h('h1', {}, 'Sensors'), message,
    h('table', { class: 'grid', id: 'sensors-table' },
      h('thead', {}, h('tr', {}, ['sensor', 'watches', 'status', 'interval', 'cursor', 'last tick', ''].map((t) => h('th', {}, t)))), body),
    ticks));

  const showTicks = async (/** @type {string} */ name) => {
    clear(ticks);
    try {
      const r = await call('sensorTicks', { params: { name }, query: { limit: 50 } });
      ticks.append(h('h2', {}, `Ticks of ${name}`),
        r.ticks.length === 0 ? h('p', { class: 'muted' }, 'no ticks yet') :
          h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['started', 'status', 'runs', 'skip reason / error', 'cursor'].map((t) => h('th', {}, t)))),
            h('tbody', {}, r.ticks.map((t) => h('tr', { dataset: { tick: String(t.id) } },
              h('td', {}, time(t.startedAt)), h('td', {}, chip(t.status)),
              h('td', {}, runLinks(t.runIds)),
              h('td', {}, tickDetail(t)),
              h('td', { class: 'muted' }, t.cursorAfter ?? ''))))));
    } catch (error) {
      ticks.append(errorBox(error));
    }
  };
  const load = async () => {
    clear(body);
    const { sensors } = await call('sensors');
    if (sensors.length === 0) body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'this project defines no sensors (defineSensor, onAssetEvents or onRunStatus under schedules/)')));
    for (const s of sensors) {
      const running = s.status === 'RUNNING';
      const toggle = h('button', { type: 'button', class: running ? 'danger' : 'primary', dataset: { sensor: s.name }, onclick: async () => {
        try {
          await call('setSensorState', { params: { name: s.name }, body: { status: running ? 'STOPPED' : 'RUNNING' } });
          await load();
        } catch (error) {
          clear(message).append(errorBox(error));
        }
      } }, running ? 'Stop' : 'Start');
      body.append(h('tr', { dataset: { sensor: s.name } },
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => showTicks(s.name) }, s.name), s.description ? h('div', { class: 'muted' }, s.description) : null),
        h('td', {}, h('code', {}, s.watches)),
        h('td', {}, chip(s.status), s.statusSource === 'default' ? h('span', { class: 'muted' }, ' (default)') : null),
        h('td', {}, `${s.minimumIntervalSeconds}s`),
        h('td', {}, s.cursor === null ? '—' : h('code', {}, s.cursor)),
        h('td', {}, s.lastTick ? [chip(s.lastTick.status), ' ', ago(s.lastTick.startedAt), s.lastTick.runIds.length > 0 ? [' ', ...runLinks(s.lastTick.runIds)] : null] : 'none'),
        h('td', {}, toggle)));
    }
  };
  try {
    await load();
  } catch (error) {
    message.append(errorBox(error));
  }
}
