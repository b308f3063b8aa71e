// @ts-check
// Launch: a selection (the CLI's syntax) with a live preview of what it selects, run config
// validated on the server against each selected asset's schema as you type, tags, and a partition
// (a key or FROM...TO, prefilled with the latest) shown while the selection holds a partitioned asset.
import { call, keyPath } from '../api.js';
import { clear, debounce, errorBox, h } from '../dom.js';

const PREVIEW_MAX = 100;

/** @param {string} text @returns {Record<string, string>} */
function parseTags(text) {
  /** @type {Record<string, string>} */
  const tags = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`tag "${line}" should be key=value`);
    tags[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return tags;
}

/** @param {HTMLElement} main @param {{ query: URLSearchParams }} params */
export async function render(main, { query }) {
  const selection = h('input', { id: 'launch-selection', type: 'text', spellcheck: 'false', placeholder: 'e.g. +key:promote_dev_to_main', value: query.get('select') ?? '' });
  const config = h('textarea', { id: 'launch-config', rows: 8, spellcheck: 'false', placeholder: '{ "<asset key>": { ... } }' });
  const tags = h('textarea', { id: 'launch-tags', rows: 3, spellcheck: 'false', placeholder: 'team=data (one key=value per line)' });
  const partition = h('input', { id: 'launch-partition', type: 'text', spellcheck: 'false', placeholder: 'a key, or FROM...TO', value: query.get('partition') ?? '' });
  const partitionHint = h('span', { class: 'muted', id: 'launch-partition-hint' });
  const partitionBox = h('div', { class: 'hidden', id: 'launch-partition-box' },
    h('label', { for: 'launch-partition' }, 'Partition (a key, or a range FROM...TO) ', partitionHint), partition);
  const preview = h('div', { id: 'launch-preview', class: 'preview' });
  const configMsg = h('div', { id: 'launch-config-msg' });
  const message = h('div', {});
  const allowFailed = h('input', { type: 'checkbox', id: 'launch-allow-failed' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'launch-submit' }, 'Launch run');
  const form = h('form', { class: 'launch', id: 'launch-form' },
    h('label', { for: 'launch-selection' }, 'Selection'), selection,
    partitionBox,
    h('label', { for: 'launch-config' }, 'Config (JSON, keyed by asset key)'), config, configMsg,
    h('label', { for: 'launch-tags' }, 'Tags'), tags,
    h('label', { class: 'inline' }, allowFailed, ' launch even downstream of a failed blocking check (tags the run)'),
    submit, message);
  main.append(h('section', { class: 'launch-page' }, h('h1', {}, 'Launch a run'), h('div', { class: 'columns' }, form, h('div', {}, h('h2', {}, 'Selected assets'), preview))));

  let configTouched = false;
  let partitionTouched = partition.value !== '';
  partition.addEventListener('input', () => (partitionTouched = true));
  config.addEventListener('input', () => (configTouched = true));
  /** @returns {{ value?: unknown, error?: string }} */
  const parsedConfig = () => {
    const text = config.value.trim();
    if (!text) return { value: undefined };
    try {
      return { value: JSON.parse(text) };
    } catch (error) {
      return { error: `config is not valid JSON: ${/** @type {Error} */ (error).message}` };
    }
  };
  let seq = 0;
  const refresh = async () => {
    const mine = ++seq;
    const text = selection.value.trim();
    clear(preview);
    clear(configMsg);
    if (!text) {
      preview.append(h('p', { class: 'muted' }, 'type a selection'));
      return;
    }
    const cfg = parsedConfig();
    try {
      const p = await call('launchPreview', { body: { selection: text, ...(cfg.value !== undefined ? { config: cfg.value } : {}) } });
      if (mine !== seq) return;
      preview.append(h('p', { id: 'launch-count' }, `${p.keys.length} asset${p.keys.length === 1 ? '' : 's'}, ${p.checks} check${p.checks === 1 ? '' : 's'}`),
        h('ul', { class: 'asset-list' }, p.keys.slice(0, PREVIEW_MAX).map((k) => h('li', {}, h('a', { href: `#/assets/${keyPath(k)}` }, k)))),
        ...(p.keys.length > PREVIEW_MAX ? [h('p', { class: 'muted' }, `and ${p.keys.length - PREVIEW_MAX} more`)] : []));
      partitionBox.classList.toggle('hidden', !p.partitions);
      if (p.partitions) {
        partitionHint.textContent = `${p.partitions.keys.length} partitioned asset${p.partitions.keys.length === 1 ? '' : 's'}: ${p.partitions.definition}`;
        if (!partitionTouched && p.partitions.latest) partition.value = p.partitions.latest;
      }
      if (!configTouched && p.configurable.length > 0) {
        config.value = JSON.stringify(Object.fromEntries(p.configurable.map((c) => [c.key, c.defaults ?? {}])), null, 2);
      }
      if (cfg.error) configMsg.append(errorBox({ message: cfg.error }));
      else if (p.configError) configMsg.append(errorBox(p.configError));
      else configMsg.append(h('span', { class: 'ok' }, 'config valid'));
    } catch (error) {
      if (mine === seq) preview.append(errorBox(error));
    }
  };
  const later = debounce(refresh, 250);
  selection.addEventListener('input', later);
  config.addEventListener('input', later);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(message);
    const cfg = parsedConfig();
    if (cfg.error) return message.append(errorBox({ message: cfg.error }));
    const part = partitionBox.classList.contains('hidden') ? '' : partition.value.trim();
    try {
      submit.disabled = true;
      const r = await call('launchRun', { body: { selection: selection.value.trim(), ...(cfg.value !== undefined ? { config: cfg.value } : {}), tags: parseTags(tags.value), trigger: 'web', ...(allowFailed.checked ? { allowFailedChecks: true } : {}), ...(part ? { partition: part } : {}) } });
      location.hash = `#/runs/${encodeURIComponent(r.runId)}`;
    } catch (error) {
      message.append(errorBox(error));
    } finally {
      submit.disabled = false;
    }
  });
  await refresh();
}
