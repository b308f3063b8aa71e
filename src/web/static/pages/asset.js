// @ts-check
// One asset: status, definition, upstream/downstream, checks, materialization history with
// metadata, check history, and a Materialize button that opens the launch page preselected; a
// partitioned asset also shows its partitions grid (asset-partitions.js); the Automation panel
// shows its latest automation evaluation (asset-automation.js); an asset with a freshness policy or
// deadline shows its verdicts (asset-freshness.js).
import { call, keyPath } from '../api.js';
import { ago, chip, errorBox, h, metadata, time } from '../dom.js';
import { partitionsSection } from './asset-partitions.js';
import { automationSection } from './asset-automation.js';
import { freshnessSection } from './asset-freshness.js';

const link = (/** @type {string} */ key) => h('a', { href: `#/assets/${keyPath(key)}` }, key);

/** @param {HTMLElement} main @param {{ groups: string[] }} params */
export async function render(main, { groups }) {
  const key = /** @type {string} */ (groups[0]);
  let d;
  try {
    d = await call('getAsset', { params: { key } });
  } catch (error) {
    main.append(errorBox(error));
    return;
  }
  const { asset, state } = d;
  const launchHref = `#/launch?select=${encodeURIComponent(d.selection)}`;
  let partitions = null;
  if (d.partitionsDefinition) {
    try {
      partitions = await partitionsSection(key, d.selection);
    } catch (error) {
      partitions = errorBox(error);
    }
  }
  const automation = await automationSection(key);
  main.append(
    h('section', { class: 'asset-page' },
      h('div', { class: 'title' },
        h('h1', {}, asset.key), chip(state.status),
        h('a', { class: 'button primary', href: launchHref, id: 'materialize' }, d.takesConfig ? 'Materialize…' : 'Materialize'),
        h('a', { class: 'button', href: `#/?select=${encodeURIComponent(`+${d.selection}+`)}` }, 'Show in lineage'),
      ),
      state.reason ? h('p', { class: 'reason' }, state.reason) : null,
      asset.description ? h('p', {}, asset.description) : null,
      h('dl', { class: 'facts' },
        h('dt', {}, 'group'), h('dd', {}, asset.group),
        h('dt', {}, 'kinds'), h('dd', {}, asset.kinds.join(', ') || '—'),
        h('dt', {}, 'owners'), h('dd', {}, asset.owners.join(', ') || '—'),
        h('dt', {}, 'tags'), h('dd', {}, Object.entries(asset.tags).map(([k, v]) => `${k}=${v}`).join(', ') || '—'),
        d.partitionsDefinition ? [h('dt', {}, 'partitions'), h('dd', {}, d.partitionsDefinition)] : null,
        h('dt', {}, 'code version'), h('dd', {}, asset.codeVersion ?? '—'),
        h('dt', {}, 'source'), h('dd', {}, asset.source ?? '—'),
        h('dt', {}, 'last materialized'), h('dd', {}, state.lastMaterializedAt ? `${time(state.lastMaterializedAt)} (${ago(state.lastMaterializedAt)})` : 'never'),
        d.takesConfig ? [h('dt', {}, 'config defaults'), h('dd', {}, h('pre', { class: 'json' }, JSON.stringify(d.configDefaults, null, 2)))] : null,
      ),
      h('div', { class: 'columns' },
        h('div', {}, h('h2', {}, `Upstream (${d.upstream.length})`), h('ul', {}, d.upstream.map((k) => h('li', {}, link(k))))),
        h('div', {}, h('h2', {}, `Downstream (${d.downstream.length})`), h('ul', {}, d.downstream.map((k) => h('li', {}, link(k))))),
        h('div', {}, h('h2', {}, `Checks (${state.checks.length})`),
          h('ul', { class: 'checks' }, state.checks.map((c) => h('li', {},
            chip(c.passed === null ? 'not run' : c.passed ? 'passed' : 'failed'), ' ', c.name, ' ',
            h('span', { class: 'muted' }, `${c.severity}${c.blocking ? ', blocking' : ''}`),
            c.runId ? [' ', h('a', { href: `#/runs/${encodeURIComponent(c.runId)}` }, ago(c.at))] : null)))),
      ),
      freshnessSection(d.freshness),
      partitions,
      automation,
      h('h2', {}, 'Materializations'),
      d.materializations.length === 0 ? h('p', { class: 'muted' }, 'never materialized') :
        h('table', { class: 'grid', id: 'materializations' },
          h('thead', {}, h('tr', {}, h('th', {}, 'when'), h('th', {}, 'run'), h('th', {}, 'data version'), h('th', {}, 'metadata'))),
          h('tbody', {}, d.materializations.map((m) => h('tr', {},
            h('td', {}, time(m.at)),
            h('td', {}, h('a', { href: `#/runs/${encodeURIComponent(m.runId)}` }, m.runId.slice(0, 8))),
            h('td', {}, m.dataVersion ?? '—'),
            h('td', {}, metadata(m.metadata)))))),
      // Observations (reported from outside: metadata, no new materialization): shown when there are any.
      d.observations.length === 0 ? null : [
        h('h2', {}, 'Observations'),
        h('table', { class: 'grid', id: 'observations' },
          h('thead', {}, h('tr', {}, h('th', {}, 'when'), h('th', {}, 'run'), h('th', {}, 'partition'), h('th', {}, 'metadata'))),
          h('tbody', {}, d.observations.map((o) => h('tr', {},
            h('td', {}, time(o.at)),
            h('td', {}, h('a', { href: `#/runs/${encodeURIComponent(o.runId)}` }, o.runId.slice(0, 8))),
            h('td', {}, o.partition ?? '—'),
            h('td', {}, metadata(o.metadata)))))),
      ],
      h('h2', {}, 'Check history'),
      d.checkHistory.length === 0 ? h('p', { class: 'muted' }, 'no check results') :
        h('table', { class: 'grid', id: 'check-history' },
          h('thead', {}, h('tr', {}, h('th', {}, 'when'), h('th', {}, 'check'), h('th', {}, 'result'), h('th', {}, 'description'), h('th', {}, 'metadata'), h('th', {}, 'run'))),
          h('tbody', {}, d.checkHistory.map((c) => h('tr', {},
            h('td', {}, time(c.at)), h('td', {}, c.checkName),
            h('td', {}, chip(c.passed ? 'passed' : 'failed'), ' ', h('span', { class: 'muted' }, c.severity)),
            h('td', {}, c.description ?? ''), h('td', {}, metadata(c.metadata)),
            h('td', {}, h('a', { href: `#/runs/${encodeURIComponent(c.runId)}` }, c.runId.slice(0, 8))))))),
    ),
  );
}
