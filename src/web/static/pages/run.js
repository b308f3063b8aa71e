// @ts-check
// One run: header and actions (cancel, re-execute from failure), the step timeline (Gantt), check
// results, and the structured event log streaming live over SSE (GET /api/runs/:id/stream), which
// can be narrowed to one step's log lines. Built to hold up at thousands of steps: the timeline and
// the log are virtual lists (only rows in view are in the DOM), the stream's step events move the
// in-memory steps (the run itself is read again only when its own status changes), and only the
// rows that changed and are in view are rebuilt.
import { api, ApiError, keyPath } from '../api.js';
import { chip, clear, duration, errorBox, h, metadata, throttle, time } from '../dom.js';
import { RunGantt } from '../run/run-gantt.js';
import { RunLog } from '../run/run-log.js';
import { StepModel } from '../run/step-model.js';

/** @typedef {import('../../api-contract.js').ApiEvent} ApiEvent */
/** @typedef {import('../run/step-model.js').RunSummary} RunSummary */

const ACTIVE = new Set(['QUEUED', 'STARTED', 'CANCELING']);
/** Check results listed at once (failed first); the rest behind a button. */
const CHECK_ROWS = 50;

/** @param {HTMLElement} main @param {{ groups: string[] }} params */
export async function render(main, { groups }) {
  const runId = /** @type {string} */ (groups[0]);
  const header = h('div', { id: 'run-header' });
  const actions = h('div', { class: 'actions' });
  const gantt = h('div', { class: 'gantt vlist', id: 'gantt' });
  const checks = h('div', { id: 'run-checks' });
  const stepFilter = /** @type {HTMLSelectElement} */ (h('select', { id: 'log-step', 'aria-label': 'step' }, h('option', { value: '' }, 'all steps')));
  const typeFilter = /** @type {HTMLSelectElement} */ (h('select', { id: 'log-type', 'aria-label': 'event type' }, h('option', { value: '' }, 'all events'), h('option', { value: 'LOG' }, 'log lines'), h('option', { value: 'STEP' }, 'step transitions')));
  const logBody = h('tbody', {});
  const logTable = h('table', { class: 'grid log', id: 'event-log' }, logCols(), logBody);
  const logViewport = h('div', { class: 'log-viewport vlist' }, logTable);
  const older = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', id: 'log-older', class: 'link hidden' }, 'Load older lines'));
  const logCount = h('span', { class: 'muted', id: 'log-count' });
  const logMessage = h('div', {});
  const live = h('span', { class: 'live', id: 'live' }, 'connecting…');
  const message = h('div', {});
  main.append(h('section', { class: 'run-page' }, header, actions, message,
    h('h2', {}, 'Timeline'), gantt,
    h('h2', {}, 'Check results'), checks,
    h('h2', {}, 'Event log ', live),
    h('div', { class: 'toolbar' }, stepFilter, typeFilter, logCount, older),
    logMessage,
    h('table', { class: 'grid log log-head' }, logCols(), h('thead', {}, h('tr', {}, ['time', 'step', 'event', 'details'].map((t) => h('th', {}, t))))),
    logViewport));

  /** @type {RunSummary | undefined} */
  let summary;
  const log = new RunLog(runId, { viewport: logViewport, table: logTable, body: logBody, older, count: logCount, message: logMessage });
  const filterLog = () => void log.show(stepFilter.value, typeFilter.value);
  stepFilter.addEventListener('change', filterLog);
  typeFilter.addEventListener('change', filterLog);
  /** @type {StepModel | undefined} */
  let model;
  /** @type {RunGantt | undefined} */
  let timeline;
  const durationText = h('dd', { id: 'run-duration' });

  const renderSummary = () => {
    const s = /** @type {RunSummary} */ (summary);
    const parent = s.tags['sluice/parent_run_id'];
    const partition = s.partition;
    const backfill = s.backfillId;
    clear(header).append(
      h('div', { class: 'title' }, h('h1', {}, `Run ${s.runId.slice(0, 8)}`), chip(s.status), h('code', { class: 'muted' }, s.runId)),
      h('dl', { class: 'facts' },
        h('dt', {}, 'selection'), h('dd', {}, h('code', {}, s.selection)),
        partition ? [h('dt', {}, 'partition'), h('dd', { id: 'run-partition' }, partition)] : null,
        backfill ? [h('dt', {}, 'backfill'), h('dd', {}, h('a', { href: `#/backfills/${encodeURIComponent(backfill)}` }, backfill))] : null,
        h('dt', {}, 'trigger'), h('dd', {}, s.trigger),
        h('dt', {}, 'tags'), h('dd', {}, Object.entries(s.tags).map(([k, v]) => h('span', { class: 'tag' }, `${k}=${v}`))),
        parent ? [h('dt', {}, 're-executes'), h('dd', {}, h('a', { href: `#/runs/${encodeURIComponent(parent)}` }, parent))] : null,
        h('dt', {}, 'created'), h('dd', {}, time(s.createdAt)),
        h('dt', {}, 'duration'), durationText,
        s.queueReason ? [h('dt', {}, 'waiting'), h('dd', {}, s.queueReason)] : null,
        s.error ? [h('dt', {}, 'error'), h('dd', { class: 'error' }, s.error.message)] : null,
      ),
    );
    tickDuration();
    clear(actions);
    if (ACTIVE.has(s.status)) actions.append(h('button', { type: 'button', id: 'cancel-run', class: 'danger', onclick: cancel, disabled: s.status === 'CANCELING' }, s.status === 'CANCELING' ? 'Canceling…' : 'Cancel run'));
    if (s.status === 'FAILURE' || s.status === 'CANCELED') actions.append(h('button', { type: 'button', id: 'reexecute', onclick: reexecute }, 'Re-execute from failure'));
    if (!model) {
      model = new StepModel(s.steps);
      stepFilter.append(...s.steps.map((st) => h('option', { value: st.key }, st.key)));
      timeline = new RunGantt(gantt, model, (key) => {
        stepFilter.value = key;
        filterLog();
      });
    } else model.reset(s.steps);
    /** @type {RunGantt} */ (timeline).reload(s);
    renderChecks();
  };
  const tickDuration = () => {
    const s = summary;
    if (s) durationText.textContent = duration(s.durationMs ?? (s.startedAt ? Date.now() - Date.parse(s.startedAt) : null)) || '—';
  };

  let showAllChecks = false;
  const renderChecks = () => {
    clear(checks);
    const all = (model?.steps ?? []).filter((st) => st.kind === 'check');
    if (all.length === 0) return void checks.append(h('p', { class: 'muted' }, 'no checks in this run'));
    const failedFirst = [...all.filter((st) => st.check && !st.check.passed), ...all.filter((st) => !st.check || st.check.passed)];
    const rows = showAllChecks ? failedFirst : failedFirst.slice(0, CHECK_ROWS);
    checks.append(h('table', { class: 'grid', id: 'check-results' },
      h('thead', {}, h('tr', {}, ['check', 'asset', 'result', 'description', 'metadata'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.map((st) => h('tr', { dataset: { check: st.key } },
        h('td', {}, st.checkName),
        h('td', {}, h('a', { href: `#/assets/${keyPath(st.assetKey)}` }, st.assetKey)),
        h('td', {}, st.check ? [chip(st.check.passed ? 'passed' : 'failed'), ' ', h('span', { class: 'muted' }, `${st.check.severity}${st.check.blocking ? ', blocking' : ''}`)] : chip(st.status)),
        h('td', {}, st.check?.description ?? st.error?.message ?? ''),
        h('td', {}, st.check ? metadata(st.check.metadata) : ''))))),
    rows.length < all.length ? h('button', { type: 'button', class: 'link', id: 'all-checks', onclick: () => ((showAllChecks = true), renderChecks()) }, `show all ${all.length} checks`) : '');
  };
  const checksChanged = throttle(renderChecks, 1000);

  // Events that arrive while the run is read again are applied again on the fresh steps.
  /** @type {ApiEvent[] | null} */
  let sinceLoad = null;
  const load = async () => {
    sinceLoad = [];
    try {
      summary = await api(`/api/runs/${encodeURIComponent(runId)}`);
      const missed = sinceLoad;
      sinceLoad = null;
      renderSummary();
      applySteps(missed);
    } catch (error) {
      clear(message).append(errorBox(error));
    } finally {
      sinceLoad = null;
    }
  };
  /** @param {readonly ApiEvent[]} events */
  const applySteps = (events) => {
    if (!model || !timeline) return;
    let checksDirty = false;
    for (const e of events) {
      const i = model.apply(e);
      if (i < 0) continue;
      timeline.changed(i);
      if (model.at(i).kind === 'check') checksDirty = true;
    }
    if (checksDirty) checksChanged();
  };
  async function cancel() {
    try {
      await api(`/api/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST' });
      await load();
    } catch (error) {
      clear(message).append(errorBox(error));
    }
  }
  async function reexecute() {
    try {
      /** @type {{ runId: string }} */
      const r = await api(`/api/runs/${encodeURIComponent(runId)}/reexecute`, { method: 'POST', body: { trigger: 'web' } });
      location.hash = `#/runs/${encodeURIComponent(r.runId)}`;
    } catch (error) {
      clear(message).append(errorBox(error instanceof ApiError ? error : { message: String(error) }));
    }
  }

  // The log's newest page first: the stream starts after it, and the run read next reflects at
  // least every event in it (events in both are applied again harmlessly).
  const newest = await log.show('', '');
  await load();
  if (!summary) return;
  const refresh = throttle(load, 400);
  const stream = new EventSource(`/api/runs/${encodeURIComponent(runId)}/stream?after=${newest.at(-1)?.id ?? 0}`);
  stream.addEventListener('open', () => (live.textContent = 'live'));
  stream.addEventListener('events', (m) => {
    /** @type {ApiEvent[]} */
    const batch = JSON.parse(m.data);
    sinceLoad?.push(...batch);
    applySteps(batch);
    log.append(batch);
    if (batch.some((e) => e.type.startsWith('RUN_'))) refresh();
  });
  stream.addEventListener('end', () => {
    live.textContent = 'ended';
    stream.close();
    // A run that had already ended when the page read it needs no second read.
    if (summary && ACTIVE.has(summary.status)) refresh();
  });
  stream.addEventListener('error', () => {
    if (stream.readyState === EventSource.CONNECTING) live.textContent = 'reconnecting…';
  });
  const ticker = setInterval(() => {
    if (!summary || !ACTIVE.has(summary.status)) return;
    timeline?.tick();
    tickDuration();
  }, 1000);
  return () => {
    stream.close();
    clearInterval(ticker);
  };
}

/** The log's column widths, shared by its header table and its rows' table. */
function logCols() {
  return h('colgroup', {}, h('col', { class: 'c-time' }), h('col', { class: 'c-step' }), h('col', { class: 'c-type' }), h('col', {}));
}
