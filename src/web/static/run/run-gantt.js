// @ts-check
// The run's step timeline: one fixed-height row per step in a virtual list (only the rows in view
// exist in the DOM). Bars are placed with CSS variables, in seconds since the run's start: each bar
// carries its own --a (start) and --b (end); the timeline carries --t-now and --t-span. While the
// run is active one timer sets those two on the timeline (so every visible bar rescales and running
// bars grow in one style change) and rewrites the duration of the visible running rows only.
import { chip, duration, h } from '../dom.js';
import { VirtualList } from '../virtual-list.js';

/** @typedef {import('./step-model.js').StepModel} StepModel */
/** @typedef {import('./step-model.js').Step} Step */

export const GANTT_ROW_HEIGHT = 24;

/** @param {string | null} iso */
const ms = (iso) => (iso ? Date.parse(iso) : NaN);

export class RunGantt {
  /**
   * @param {HTMLElement} viewport the timeline's scrolling element (#gantt)
   * @param {StepModel} model
   * @param {(stepKey: string) => void} onPick a step's label was clicked
   */
  constructor(viewport, model, onPick) {
    this.viewport = viewport;
    this.model = model;
    this.onPick = onPick;
    /** Start of the timeline (ms since epoch; NaN until a step started) and the latest end seen. */
    this.t0 = NaN;
    this.tEnd = NaN;
    /** @type {string | null} when the run ended, the timeline stops there */
    this.runEnd = null;
    const body = h('div', { class: 'gantt-rows' });
    viewport.append(body);
    this.list = new VirtualList({ viewport, body, rowHeight: GANTT_ROW_HEIGHT, row: (i) => this.row(i) });
  }

  /**
   * Takes the model as loaded (again) and redraws the rows in view.
   * @param {{ startedAt: string | null, endedAt: string | null }} run
   */
  reload(run) {
    this.runEnd = run.endedAt;
    this.t0 = ms(run.startedAt);
    this.tEnd = NaN;
    for (const s of this.model.steps) this.extend(s);
    this.list.setCount(this.model.steps.length);
    this.tick();
    this.list.refresh();
  }

  /** A step changed: widen the timeline if needed, rebuild its row if it is in view. @param {number} i */
  changed(i) {
    if (this.extend(this.model.at(i))) this.list.refresh();
    else this.list.update(i);
  }

  /** Keeps t0/tEnd covering the step; true when t0 moved (every bar's --a is relative to it). @param {Step} s */
  extend(s) {
    const a = ms(s.startedAt);
    const b = ms(s.endedAt);
    if (Number.isFinite(b) && !(b <= this.tEnd)) this.tEnd = b;
    if (Number.isFinite(a) && !(a >= this.t0)) {
      this.t0 = a;
      return true;
    }
    return false;
  }

  /** Moves the timeline's "now" and rewrites the visible running steps' durations (one timer calls this). */
  tick() {
    const now = this.runEnd ? ms(this.runEnd) : Date.now();
    const end = Math.max(now, Number.isFinite(this.tEnd) ? this.tEnd : now);
    const t0 = Number.isFinite(this.t0) ? this.t0 : end;
    this.viewport.style.setProperty('--t-now', String((now - t0) / 1000));
    this.viewport.style.setProperty('--t-span', String(Math.max(0.001, (end - t0) / 1000)));
    for (const [i, el] of this.list.visible()) {
      const s = this.model.at(i);
      if (s.status !== 'RUNNING' || !s.startedAt) continue;
      const text = el.querySelector('.gantt-duration');
      if (text) text.textContent = duration(now - ms(s.startedAt));
    }
  }

  /** Shows the step's row. @param {string} key */
  reveal(key) {
    const i = this.model.index.get(key);
    if (i !== undefined) this.list.reveal(i);
  }

  /** @param {number} i @returns {HTMLElement} */
  row(i) {
    const s = this.model.at(i);
    const bar = h('div', { class: `bar s-${s.status.toLowerCase()}`, title: `${s.key}: ${s.status} ${duration(s.durationMs)}` });
    const a = ms(s.startedAt);
    if (Number.isFinite(a) && Number.isFinite(this.t0)) {
      bar.style.setProperty('--a', String((a - this.t0) / 1000));
      const b = ms(s.endedAt);
      if (Number.isFinite(b)) bar.style.setProperty('--b', String((b - this.t0) / 1000));
      else bar.classList.add('open');
    } else bar.classList.add('unstarted');
    const running = s.status === 'RUNNING' && Number.isFinite(a);
    const took = s.durationMs ?? (running ? Date.now() - a : null);
    return h('div', { class: 'gantt-row', dataset: { step: s.key, status: s.status } },
      h('button', { type: 'button', class: 'step-label', title: `${s.key}: show this step\u2019s events`, onclick: () => this.onPick(s.key) }, s.key),
      h('div', { class: 'track' }, bar),
      h('span', { class: 'gantt-status', title: s.error?.message ?? '' }, chip(s.status), ' ', h('span', { class: 'gantt-duration' }, duration(took)),
        s.error ? h('span', { class: 'error-text small' }, ` ${s.error.message}`) : null));
  }
}
