// @ts-check
// Alerts: each policy the project defines (what it listens to, its channels by the NAMES of their
// variables, how each channel's deliveries went and whether it keeps failing), and the outbox's
// newest deliveries (sent, failed, pending) filtered by status and alert, refreshed every 5 s.
// Nothing here can hold a secret: the API never carries a channel's URL or secret, and the errors
// it shows were redacted when stored.
import { call } from '../api.js';
import { ago, chip, clear, errorBox, h, time } from '../dom.js';

/** @typedef {import('../../api-contract.js').AlertPolicyView} AlertPolicyView */
/** @typedef {import('../../api-contract.js').AlertDeliveryView} AlertDeliveryView */

/** @type {ReadonlyArray<AlertDeliveryView['status']>} */
const STATUSES = ['PENDING', 'SENT', 'FAILED'];

/** What each health says, in a few words. */
const HEALTH = {
  ok: 'the newest alert was sent',
  failing: 'keeps failing: the newest alert was given up',
  retrying: 'the newest alert failed and will be retried',
  pending: 'the newest alert waits for its first attempt',
  idle: 'nothing delivered yet (or its variable is unset in the daemon)',
};

/** @param {AlertPolicyView} p */
function policyRow(p) {
  return h('tr', { dataset: { alert: p.name } },
    h('td', {}, h('strong', {}, p.name), p.description ? h('div', { class: 'muted' }, p.description) : null),
    h('td', {}, p.on.map((e) => h('span', { class: 'tag' }, e))),
    h('td', {}, p.select === null ? h('span', { class: 'muted' }, 'every asset') : h('code', {}, p.select)),
    h('td', {}, p.channels.map((c) => h('div', { class: 'alert-channel', dataset: { channel: c.id, health: c.health } },
      chip(c.health), ' ', h('code', {}, c.type), ' ', h('span', { class: 'muted' }, c.env.join(', ')),
      c.to ? h('span', { class: 'muted' }, ` to ${c.to.join(', ')}`) : null,
      h('div', { class: 'muted' }, `${HEALTH[c.health]}; sent ${c.counts.SENT}, failed ${c.counts.FAILED}, pending ${c.counts.PENDING}`, c.lastRaisedAt ? `; last raised ${ago(c.lastRaisedAt)}` : ''),
      c.lastError ? h('div', { class: 'error small' }, c.lastError) : null))));
}

/** @param {AlertDeliveryView} d */
function deliveryRow(d) {
  return h('tr', { dataset: { delivery: String(d.id), status: d.status } },
    h('td', {}, chip(d.status)),
    h('td', {}, d.alert),
    h('td', {}, h('code', {}, d.channel)),
    h('td', {}, d.event, d.stepKey ? h('div', { class: 'muted' }, d.stepKey) : null),
    h('td', {}, d.runId ? h('a', { href: `#/runs/${encodeURIComponent(d.runId)}` }, d.runId.slice(0, 8)) : ''),
    h('td', {}, String(d.attempts)),
    h('td', {}, d.lastError ? h('span', { class: 'error small' }, d.lastError) : ''),
    h('td', { title: d.createdAt }, time(d.createdAt)),
    h('td', {}, d.sentAt ? time(d.sentAt) : d.status === 'PENDING' ? h('span', { class: 'muted' }, `next try ${time(d.nextAttemptAt)}`) : ''));
}

/** @param {HTMLElement} main @param {{ query: URLSearchParams }} params */
export async function render(main, { query }) {
  const status = h('select', { id: 'alerts-status', 'aria-label': 'status' }, h('option', { value: '' }, 'any status'), STATUSES.map((s) => h('option', { value: s, selected: query.get('status') === s }, s)));
  const alert = h('select', { id: 'alerts-alert', 'aria-label': 'alert' }, h('option', { value: '' }, 'any alert'));
  const policies = h('tbody', {});
  const deliveries = h('tbody', {});
  const message = h('div', {});
  const section = h('section', { id: 'alerts' }, h('h1', {}, 'Alerts'), message,
    h('h2', {}, 'Policies'),
    h('table', { class: 'grid', id: 'alert-policies' }, h('thead', {}, h('tr', {}, ['alert', 'on', 'select', 'channels'].map((t) => h('th', {}, t)))), policies),
    h('h2', {}, 'Deliveries'),
    h('div', { class: 'toolbar' }, status, alert),
    h('table', { class: 'grid', id: 'alert-deliveries' },
      h('thead', {}, h('tr', {}, ['status', 'alert', 'channel', 'event', 'run', 'attempts', 'last error', 'raised', 'sent'].map((t) => h('th', {}, t)))), deliveries));
  main.append(section);

  let named = false;
  // A refresh and a change of filter may overlap: only the newest request renders.
  let latest = 0;
  const load = async () => {
    const mine = ++latest;
    /** @type {{ limit: number, status?: 'PENDING' | 'SENT' | 'FAILED', alert?: string }} */
    const q = { limit: 200 };
    const chosen = STATUSES.find((s) => s === status.value);
    if (chosen) q.status = chosen;
    const which = alert.value || (named ? '' : query.get('alert') ?? '');
    if (which) q.alert = which;
    let feed;
    try {
      feed = await call('alertFeed', { query: q });
    } catch (error) {
      if (mine === latest) clear(message).append(errorBox(error));
      return;
    }
    if (mine !== latest) return;
    clear(message);
    if (!named) {
      for (const p of feed.policies) alert.append(h('option', { value: p.name, selected: which === p.name }, p.name));
      named = true;
    }
    clear(policies).append(...feed.policies.map(policyRow));
    if (feed.policies.length === 0) policies.append(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'this project defines no alerts (defineAlert under schedules/ or assets/)')));
    clear(deliveries).append(...feed.deliveries.map(deliveryRow));
    if (feed.deliveries.length === 0) deliveries.append(h('tr', {}, h('td', { colspan: 9, class: 'muted' }, 'no deliveries')));
    section.dataset.filter = `${q.status ?? ''}/${q.alert ?? ''}`;
  };
  const refilter = () => {
    const p = new URLSearchParams();
    if (status.value) p.set('status', status.value);
    if (alert.value) p.set('alert', alert.value);
    history.replaceState(null, '', `#/alerts${p.size ? `?${p}` : ''}`);
    load();
  };
  status.addEventListener('change', refilter);
  alert.addEventListener('change', refilter);
  await load();
  const timer = setInterval(load, 5000);
  return () => clearInterval(timer);
}
