// @ts-check
// The run's event log: a window of the log in memory (the newest page when opened or when a filter
// changes, live events appended), drawn as a virtual list of fixed-height rows. While the view
// follows the end, the window is cut to MAX_LINES from the front; "Load older lines" reads the page
// before the oldest line held (GET /api/runs/:id/events?before=), so every line stays reachable.
// The step and type filters are applied by the server (step=, type=) and to live events here.
import { api } from '../api.js';
import { clear, duration, errorBox, h } from '../dom.js';
import { VirtualList } from '../virtual-list.js';

/** @typedef {import('../../api-contract.js').ApiEvent} ApiEvent */
/** @typedef {import('../../api-contract.js').EventsResponse} EventsResponse */

export const LOG_ROW_HEIGHT = 22;
const PAGE = 500;
const MAX_LINES = 2000;
const NEWEST = Number.MAX_SAFE_INTEGER;
const STEP_TYPES = ['STEP_STARTED', 'STEP_SUCCEEDED', 'STEP_FAILED', 'STEP_SKIPPED', 'STEP_CANCELED'];

/** One line of text for an event. @param {ApiEvent} e @returns {string} */
export function eventText(e) {
  switch (e.type) {
    case 'LOG': return `${e.data.level}: ${e.data.msg}${e.data.fields && Object.keys(e.data.fields).length ? ` ${JSON.stringify(e.data.fields)}` : ''}`;
    case 'STEP_FAILED': return `attempt ${e.data.attempt} failed after ${duration(e.data.durationMs)}: ${e.data.error?.message ?? ''}${e.data.willRetry ? ` (retry in ${duration(e.data.retryDelayMs)})` : ''}`;
    case 'STEP_SUCCEEDED': return `attempt ${e.data.attempt} succeeded in ${duration(e.data.durationMs)}`;
    case 'STEP_STARTED': return `attempt ${e.data.attempt}${e.data.worker ? ` on ${e.data.worker}` : ''}`;
    case 'STEP_SKIPPED': return e.data.reason ?? '';
    case 'MATERIALIZATION': return `${e.data.assetKey}${e.data.dataVersion ? ` (data version ${e.data.dataVersion})` : ''} ${JSON.stringify(e.data.metadata)}`;
    case 'ASSET_OBSERVATION': return `${e.data.assetKey}${e.data.partition ? ` partition ${e.data.partition}` : ''} ${JSON.stringify(e.data.metadata)}`;
    case 'CHECK_EVALUATION': return `${e.data.checkName}: ${e.data.passed ? 'passed' : 'FAILED'} (${e.data.severity}${e.data.blocking ? ', blocking' : ''})${e.data.description ? ` ${e.data.description}` : ''}`;
    case 'RUN_QUEUED': return `selection ${e.data.selection}, trigger ${e.data.trigger}`;
    case 'RUN_FAILURE': return e.data.error?.message ?? (e.data.failedSteps ? `failed steps: ${e.data.failedSteps.join(', ')}` : '');
    default: return '';
  }
}

export class RunLog {
  /**
   * @param {string} runId
   * @param {{ viewport: HTMLElement, table: HTMLElement, body: HTMLElement, older: HTMLButtonElement, count: HTMLElement, message: HTMLElement }} parts
   */
  constructor(runId, parts) {
    this.runId = runId;
    this.parts = parts;
    /** @type {ApiEvent[]} */
    this.lines = [];
    this.hasOlder = false;
    this.step = '';
    this.type = '';
    /** Live events that came while a page was loading (appended once it is in). @type {ApiEvent[] | null} */
    this.pending = null;
    this.list = new VirtualList({ viewport: parts.viewport, body: parts.body, shift: parts.table, rowHeight: LOG_ROW_HEIGHT, row: (i) => this.row(i) });
    parts.older.addEventListener('click', () => void this.loadOlder());
  }

  /** @param {ApiEvent} e */
  matches(e) {
    if (this.step && e.stepKey !== this.step) return false;
    if (this.type === 'LOG') return e.type === 'LOG';
    if (this.type === 'STEP') return STEP_TYPES.includes(e.type);
    return true;
  }

  /** @param {number} before @returns {Promise<ApiEvent[]>} */
  async page(before) {
    const q = new URLSearchParams({ before: String(before), limit: String(PAGE) });
    if (this.step) q.set('step', this.step);
    if (this.type) q.set('type', this.type === 'STEP' ? STEP_TYPES.join(',') : this.type);
    /** @type {EventsResponse} */
    const res = await api(`/api/runs/${encodeURIComponent(this.runId)}/events?${q}`);
    return [...res.events];
  }

  /**
   * Shows the newest page of the log under these filters; returns that page (unfiltered, the first
   * load also tells the stream where to start).
   * @param {string} step @param {string} type @returns {Promise<ApiEvent[]>}
   */
  async show(step, type) {
    this.step = step;
    this.type = type;
    this.pending = [];
    this.parts.table.dataset.state = 'loading';
    clear(this.parts.message);
    try {
      const newest = await this.page(NEWEST);
      if (this.step !== step || this.type !== type) return newest;
      const last = newest.at(-1)?.id ?? 0;
      this.lines = [...newest, ...this.pending.filter((e) => e.id > last)];
      this.hasOlder = newest.length === PAGE;
      this.list.setCount(this.lines.length, { follow: true });
      this.list.refresh();
      return newest;
    } catch (error) {
      this.parts.message.append(errorBox(error));
      return [];
    } finally {
      if (this.step === step && this.type === type) {
        this.pending = null;
        this.parts.table.dataset.state = 'ready';
        this.status();
      }
    }
  }

  /** Live events, in log order. @param {readonly ApiEvent[]} events */
  append(events) {
    const fresh = events.filter((e) => this.matches(e));
    if (fresh.length === 0) return;
    if (this.pending) {
      this.pending.push(...fresh);
      return;
    }
    const follow = this.list.atEnd();
    const last = this.lines.at(-1)?.id ?? 0;
    this.lines.push(...fresh.filter((e) => e.id > last));
    let cut = 0;
    if (follow && this.lines.length > MAX_LINES) {
      cut = this.lines.length - MAX_LINES;
      this.lines.splice(0, cut);
      this.hasOlder = true;
    }
    this.list.setCount(this.lines.length, { follow, shifted: -cut });
    this.status();
  }

  async loadOlder() {
    const first = this.lines[0];
    if (!first || this.pending) return;
    const { step, type } = this;
    this.parts.older.disabled = true;
    try {
      const older = await this.page(first.id);
      if (this.step !== step || this.type !== type || this.lines[0] !== first) return;
      this.lines.unshift(...older);
      this.hasOlder = older.length === PAGE;
      this.list.setCount(this.lines.length, { shifted: older.length });
    } catch (error) {
      this.parts.message.append(errorBox(error));
    } finally {
      this.parts.older.disabled = false;
      this.status();
    }
  }

  status() {
    this.parts.older.classList.toggle('hidden', !this.hasOlder);
    this.parts.count.textContent = `${this.lines.length} line${this.lines.length === 1 ? '' : 's'} loaded${this.hasOlder ? ', older lines not loaded' : ''}`;
  }

  /** @param {number} i @returns {HTMLElement} */
  row(i) {
    const e = /** @type {ApiEvent} */ (this.lines[i]);
    const text = eventText(e);
    return h('tr', { class: `ev ev-${e.type.toLowerCase()}${e.type === 'LOG' ? ` lvl-${e.data.level}` : ''}`, dataset: { type: e.type, id: String(e.id) } },
      h('td', { title: e.at }, new Date(e.at).toLocaleTimeString()), h('td', { title: e.stepKey ?? '' }, e.stepKey ?? ''), h('td', {}, e.type), h('td', { title: text }, text));
  }
}
