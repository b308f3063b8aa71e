// @ts-nocheck (left out of the pages' type-check until its Gantt and log rendering are rewritten)
// One run: header and actions (cancel, re-execute from failure), the step timeline (Gantt), check
// results, and the structured event log streaming live over SSE (GET /api/runs/:id/stream), which
// can be narrowed to one step's log lines.
import { api, ApiError, keyPath } from '../api.js';
import { chip, clear, duration, errorBox, h, metadata, throttle, time } from '../dom.js';
import { runPartition } from '../partition-grid.js';

const ACTIVE = new Set(['QUEUED', 'STARTED', 'CANCELING']);
const MAX_ROWS = 5000;

function eventText(e) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'LOG': return `${d.level}: ${d.msg}${d.fields && Object.keys(d.fields).length ? ` ${JSON.stringify(d.fields)}` : ''}`;
    case 'STEP_FAILED': return `attempt ${d.attempt} failed after ${duration(d.durationMs)}: ${d.error?.message ?? ''}${d.willRetry ? ` (retry in ${duration(d.retryDelayMs)})` : ''}`;
    case 'STEP_SUCCEEDED': return `attempt ${d.attempt} succeeded in ${duration(d.durationMs)}`;
    case 'STEP_STARTED': return `attempt ${d.attempt}${d.worker ? ` on ${d.worker}` : ''}`;
    case 'STEP_SKIPPED': return d.reason ?? '';
    case 'MATERIALIZATION': return `${d.assetKey}${d.dataVersion ? ` (data version ${d.dataVersion})` : ''} ${JSON.stringify(d.metadata)}`;
    case 'CHECK_EVALUATION': return `${d.checkName}: ${d.passed ? 'passed' : 'FAILED'} (${d.severity}${d.blocking ? ', blocking' : ''})${d.description ? ` ${d.description}` : ''}`;
    case 'RUN_QUEUED': return `selection ${d.selection}, trigger ${d.trigger}`;
    case 'RUN_FAILURE': return d.error?.message ?? (d.failedSteps ? `failed steps: ${d.failedSteps.join(', ')}` : '');
    default: return '';
  }
}

export async function render(main, { groups }) {
  const runId = groups[0];
  const header = h('div', { id: 'run-header' });
  const actions = h('div', { class: 'actions' });
  const gantt = h('div', { class: 'gantt', id: 'gantt' });
  const checks = h('div', { id: 'run-checks' });
  const stepFilter = h('select', { id: 'log-step', 'aria-label': 'step' }, h('option', { value: '' }, 'all steps'));
  const typeFilter = h('select', { id: 'log-type', 'aria-label': 'event type' }, h('option', { value: '' }, 'all events'), h('option', { value: 'LOG' }, 'log lines'), h('option', { value: 'STEP' }, 'step transitions'));
  const log = h('tbody', {});
  const live = h('span', { class: 'live', id: 'live' }, 'connecting…');
  const message = h('div', {});
  main.append(h('section', { class: 'run-page' }, header, actions, message,
    h('h2', {}, 'Timeline'), gantt,
    h('h2', {}, 'Check results'), checks,
    h('h2', {}, 'Event log ', live),
    h('div', { class: 'toolbar' }, stepFilter, typeFilter),
    h('table', { class: 'grid log', id: 'event-log' }, h('thead', {}, h('tr', {}, ['time', 'step', 'event', 'details'].map((t) => h('th', {}, t)))), log)));

  let summary;
  const events = [];
  const showEvent = (e) => {
    const step = stepFilter.value;
    const type = typeFilter.value;
    if (step && e.stepKey !== step) return false;
    if (type === 'LOG' && e.type !== 'LOG') return false;
    if (type === 'STEP' && !e.type.startsWith('STEP_')) return false;
    return true;
  };
  const row = (e) => h('tr', { class: `ev ev-${e.type.toLowerCase()}${e.type === 'LOG' ? ` lvl-${e.data.level}` : ''}`, dataset: { type: e.type } },
    h('td', { title: e.at }, new Date(e.at).toLocaleTimeString()), h('td', {}, e.stepKey ?? ''), h('td', {}, e.type), h('td', {}, eventText(e)));
  const redrawLog = () => {
    clear(log);
    for (const e of events.filter(showEvent).slice(-MAX_ROWS)) log.append(row(e));
  };
  stepFilter.addEventListener('change', redrawLog);
  typeFilter.addEventListener('change', redrawLog);

  const renderSummary = () => {
    const s = summary;
    clear(header);
    const parent = s.tags['sluice/parent_run_id'];
    const partition = runPartition(s.tags);
    const backfill = s.tags['sluice/backfill'];
    header.append(
      h('div', { class: 'title' }, h('h1', {}, `Run ${s.runId.slice(0, 8)}`), chip(s.status), h('code', { class: 'muted' }, s.runId)),
      h('dl', { class: 'facts' },
        h('dt', {}, 'selection'), h('dd', {}, h('code', {}, s.selection)),
        partition ? [h('dt', {}, 'partition'), h('dd', { id: 'run-partition' }, partition)] : null,
        backfill ? [h('dt', {}, 'backfill'), h('dd', {}, h('a', { href: `#/backfills/${encodeURIComponent(backfill)}` }, backfill))] : null,
        h('dt', {}, 'trigger'), h('dd', {}, s.trigger),
        h('dt', {}, 'tags'), h('dd', {}, Object.entries(s.tags).map(([k, v]) => h('span', { class: 'tag' }, `${k}=${v}`))),
        parent ? [h('dt', {}, 're-executes'), h('dd', {}, h('a', { href: `#/runs/${encodeURIComponent(parent)}` }, parent))] : null,
        h('dt', {}, 'created'), h('dd', {}, time(s.createdAt)),
        h('dt', {}, 'duration'), h('dd', {}, duration(s.durationMs ?? (s.startedAt ? Date.now() - Date.parse(s.startedAt) : null)) || '—'),
        s.queueReason ? [h('dt', {}, 'waiting'), h('dd', {}, s.queueReason)] : null,
        s.error ? [h('dt', {}, 'error'), h('dd', { class: 'error' }, s.error.message)] : null,
      ),
    );
    clear(actions);
    if (ACTIVE.has(s.status)) actions.append(h('button', { type: 'button', id: 'cancel-run', class: 'danger', onclick: cancel, disabled: s.status === 'CANCELING' }, s.status === 'CANCELING' ? 'Canceling…' : 'Cancel run'));
    if (s.status === 'FAILURE' || s.status === 'CANCELED') actions.append(h('button', { type: 'button', id: 'reexecute', onclick: reexecute }, 'Re-execute from failure'));
    const known = new Set([...stepFilter.options].map((o) => o.value));
    for (const step of s.steps) if (!known.has(step.key)) stepFilter.append(h('option', { value: step.key }, step.key));
    renderGantt();
    renderChecks();
  };

  const renderGantt = () => {
    const s = summary;
    clear(gantt);
    const starts = s.steps.map((st) => st.startedAt && Date.parse(st.startedAt)).filter(Boolean);
    const t0 = Math.min(...starts, s.startedAt ? Date.parse(s.startedAt) : Infinity);
    const t1 = Math.max(s.endedAt ? Date.parse(s.endedAt) : Date.now(), ...s.steps.map((st) => (st.endedAt ? Date.parse(st.endedAt) : st.startedAt ? Date.now() : 0)));
    const span = Math.max(1, t1 - t0);
    for (const st of s.steps) {
      const bar = h('div', { class: `bar s-${st.status.toLowerCase()}`, title: `${st.key}: ${st.status} ${duration(st.durationMs)}` });
      if (st.startedAt && Number.isFinite(t0)) {
        const a = Date.parse(st.startedAt);
        const b = st.endedAt ? Date.parse(st.endedAt) : Date.now();
        bar.style.left = `${((a - t0) / span) * 100}%`;
        bar.style.width = `${Math.max(0.4, ((b - a) / span) * 100)}%`;
      } else bar.classList.add('unstarted');
      const label = h('button', { type: 'button', class: 'step-label', title: 'show this step\u2019s events', onclick: () => { stepFilter.value = st.key; redrawLog(); } },
        st.key);
      gantt.append(h('div', { class: 'gantt-row', dataset: { step: st.key, status: st.status } }, label, h('div', { class: 'track' }, bar),
        h('span', { class: 'gantt-status' }, chip(st.status), ' ', duration(st.durationMs ?? (st.startedAt && !st.endedAt ? Date.now() - Date.parse(st.startedAt) : null)),
          st.error ? h('div', { class: 'error small' }, st.error.message) : null)));
    }
  };

  const renderChecks = () => {
    clear(checks);
    const rows = summary.steps.filter((st) => st.kind === 'check');
    if (rows.length === 0) return checks.append(h('p', { class: 'muted' }, 'no checks in this run'));
    checks.append(h('table', { class: 'grid', id: 'check-results' },
      h('thead', {}, h('tr', {}, ['check', 'asset', 'result', 'description', 'metadata'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.map((st) => h('tr', { dataset: { check: st.key } },
        h('td', {}, st.checkName),
        h('td', {}, h('a', { href: `#/assets/${keyPath(st.assetKey)}` }, st.assetKey)),
        h('td', {}, st.check ? [chip(st.check.passed ? 'passed' : 'failed'), ' ', h('span', { class: 'muted' }, `${st.check.severity}${st.check.blocking ? ', blocking' : ''}`)] : chip(st.status)),
        h('td', {}, st.check?.description ?? st.error?.message ?? ''),
        h('td', {}, st.check ? metadata(st.check.metadata) : ''))))));
  };

  const load = async () => {
    try {
      summary = await api(`/api/runs/${encodeURIComponent(runId)}`);
      renderSummary();
    } catch (error) {
      clear(message).append(errorBox(error));
    }
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
      const r = await api(`/api/runs/${encodeURIComponent(runId)}/reexecute`, { method: 'POST', body: { trigger: 'web' } });
      location.hash = `#/runs/${encodeURIComponent(r.runId)}`;
    } catch (error) {
      clear(message).append(errorBox(error instanceof ApiError ? error : { message: String(error) }));
    }
  }

  await load();
  if (!summary) return;
  const refresh = throttle(load, 400);
  const stream = new EventSource(`/api/runs/${encodeURIComponent(runId)}/stream?after=0`);
  stream.addEventListener('open', () => (live.textContent = 'live'));
  stream.addEventListener('events', (m) => {
    const batch = JSON.parse(m.data);
    for (const e of batch) {
      events.push(e);
      if (showEvent(e)) log.append(row(e));
    }
    if (batch.some((e) => e.type !== 'LOG')) refresh();
  });
  stream.addEventListener('end', () => {
    live.textContent = 'ended';
    stream.close();
    refresh();
  });
  stream.addEventListener('error', () => {
    if (stream.readyState === EventSource.CONNECTING) live.textContent = 'reconnecting…';
  });
  const ticker = setInterval(() => {
    if (summary && ACTIVE.has(summary.status)) renderGantt();
  }, 1000);
  return () => {
    stream.close();
    clearInterval(ticker);
  };
}
