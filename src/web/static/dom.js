// @ts-check
// Small DOM helpers: elements are built with textContent only, never innerHTML, so nothing a run or
// an asset carries (log lines, metadata, error messages) can inject markup.
import { formatDuration } from './format-duration.js';

/** @typedef {Node | string | number | null | undefined | false | ReadonlyArray<any>} Child */

/**
 * h('a', { href: '#/' , class: 'x', onclick: fn }, 'text', child)
 * @template {keyof HTMLElementTagNameMap} T
 * @param {T} tag
 * @param {Record<string, any>} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[T]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** @template {Element} E @param {E} el @returns {E} */
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** A status chip; the status also names its CSS class. @param {string} status */
export function chip(status) {
  return h('span', { class: `chip s-${String(status).toLowerCase()}` }, String(status));
}

/** The server's and the CLI's duration format (format-duration.js): `''` when there is none. */
export const duration = (/** @type {number | null | undefined} */ ms) => formatDuration(ms);

/** @param {string | null | undefined} iso */
export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** @param {string | null | undefined} iso */
export function ago(iso) {
  if (!iso) return 'never';
  const s = (Date.now() - Date.parse(iso)) / 1000;
  if (s < 60) return `${Math.max(0, Math.round(s))}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

/**
 * Renders a metadata map (numbers, strings, {json}, {url}, {path}, {markdown}) as a definition list.
 * @param {import('../../core/asset/metadata.js').Metadata | null | undefined} meta
 */
export function metadata(meta) {
  const entries = Object.entries(meta ?? {});
  if (entries.length === 0) return h('span', { class: 'muted' }, 'no metadata');
  return h(
    'dl',
    { class: 'meta' },
    entries.map(([k, v]) => [h('dt', {}, k), h('dd', {}, metaValue(v))]),
  );
}

/** @param {any} v a metadata value */
function metaValue(v) {
  if (v === null || typeof v !== 'object') return String(v);
  if ('url' in v) return /^https?:\/\//.test(v.url) ? h('a', { href: v.url, rel: 'noopener noreferrer', target: '_blank' }, v.url) : v.url;
  if ('path' in v) return h('code', {}, v.path);
  if ('markdown' in v) return h('pre', { class: 'md' }, v.markdown);
  if ('json' in v) return h('pre', { class: 'json' }, JSON.stringify(v.json, null, 2));
  return JSON.stringify(v);
}

/** @param {any} error an ApiError, a SluiceError's `{ code, message }` or anything thrown */
export function errorBox(error) {
  return h('div', { class: 'error', role: 'alert' }, error?.code ? `${error.code}: ` : '', error?.message ?? String(error));
}

/** Calls fn at most once per `ms`, with the latest arguments (trailing). @param {() => void} fn @param {number} ms */
export function throttle(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  let pending = false;
  return () => {
    if (timer) {
      pending = true;
      return;
    }
    fn();
    timer = setTimeout(function tick() {
      if (pending) {
        pending = false;
        fn();
        timer = setTimeout(tick, ms);
      } else timer = null;
    }, ms);
  };
}

/** @param {(...args: any[]) => void} fn @param {number} ms */
export function debounce(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return (/** @type {any[]} */ ...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
