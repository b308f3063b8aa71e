// The dashboard's router: hash routes (#/runs/<id>) so the server serves one page and every link
// works after a reload. Each page module exports `render(main, params)` returning a cleanup.
import { api } from './api.js';
import { clear, errorBox } from './dom.js';

const routes = [
  [/^#?\/?(\?.*)?$/, 'lineage', () => import('./pages/lineage.js')],
  [/^#\/assets\/(.+)$/, 'lineage', () => import('./pages/asset.js')],
  [/^#\/runs\/?(\?.*)?$/, 'runs', () => import('./pages/runs.js')],
  [/^#\/runs\/([^/?]+)$/, 'runs', () => import('./pages/run.js')],
  [/^#\/launch(\?.*)?$/, 'launch', () => import('./pages/launch.js')],
  [/^#\/schedules\/?$/, 'schedules', () => import('./pages/schedules.js')],
  [/^#\/backfills\/?$/, 'backfills', () => import('./pages/backfills.js')],
  [/^#\/backfills\/([^/?]+)$/, 'backfills', () => import('./pages/backfill.js')],
];

let cleanup = null;

async function navigate() {
  const main = document.getElementById('app');
  const hash = location.hash || '#/';
  const found = routes.find(([re]) => re.test(hash));
  if (cleanup) {
    try {
      cleanup();
    } catch {}
    cleanup = null;
  }
  clear(main);
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', found?.[1] === a.dataset.nav);
  if (!found) {
    main.append(errorBox({ code: 'NOT_FOUND', message: `no page ${hash}` }));
    return;
  }
  const match = found[0].exec(hash);
  const [, ...groups] = match;
  const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  try {
    const page = await found[2]();
    cleanup = (await page.render(main, { groups: groups.map((g) => (g && !g.startsWith('?') ? decodeURIComponent(g) : g)), query })) ?? null;
  } catch (error) {
    main.append(errorBox(error));
  }
}

// What this server offers: no log-out button without a token, no queue link without BullMQ.
api('/api/session').then((session) => {
  document.querySelector('form.logout')?.classList.toggle('hidden', !session.authRequired);
  document.getElementById('nav-queues')?.classList.toggle('hidden', !session.queues);
}, () => {});

window.addEventListener('hashchange', navigate);
navigate();
