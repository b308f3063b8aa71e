// @ts-check
// The dashboard's router: hash routes (#/runs/<id>) so the server serves one page and every link
// works after a reload. Each page module exports `render(main, params)` returning a cleanup.
import { call } from './api.js';
import { clear, errorBox, h } from './dom.js';

/** @type {Array<[RegExp, string, () => Promise<{ render: (main: HTMLElement, params: { groups: string[], query: URLSearchParams }) => unknown }>]>} */
const routes = [
  [/^#?\/?(\?.*)?$/, 'lineage', () => import('./pages/lineage.js')],
  [/^#\/assets\/(.+)$/, 'lineage', () => import('./pages/asset.js')],
  [/^#\/runs\/?(\?.*)?$/, 'runs', () => import('./pages/runs.js')],
  [/^#\/runs\/([^/?]+)$/, 'runs', () => import('./pages/run.js')],
  [/^#\/launch(\?.*)?$/, 'launch', () => import('./pages/launch.js')],
  [/^#\/schedules\/?$/, 'schedules', () => import('./pages/schedules.js')],
  [/^#\/sensors\/?$/, 'sensors', () => import('./pages/sensors.js')],
  [/^#\/alerts\/?(\?.*)?$/, 'alerts', () => import('./pages/alerts.js')],
  [/^#\/backfills\/?$/, 'backfills', () => import('./pages/backfills.js')],
  [/^#\/backfills\/([^/?]+)$/, 'backfills', () => import('./pages/backfill.js')],
];

/** @type {(() => void) | null} */
let cleanup = null;
/** @type {string | null} */
let currentNav = null;

async function navigate() {
  const main = /** @type {HTMLElement} */ (document.getElementById('app'));
  const hash = location.hash || '#/';
  const found = routes.find(([re]) => re.test(hash));
  if (cleanup) {
    try {
      cleanup();
    } catch {}
    cleanup = null;
  }
  clear(main);
  currentNav = found?.[1] ?? null;
  for (const a of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-nav]'))) a.classList.toggle('active', found?.[1] === a.dataset.nav);
  if (!found) {
    main.append(errorBox({ code: 'NOT_FOUND', message: `no page ${hash}` }));
    return;
  }
  const [, ...groups] = /** @type {RegExpExecArray} */ (found[0].exec(hash));
  const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  try {
    const page = await found[2]();
    cleanup = /** @type {(() => void) | undefined} */ (await page.render(main, { groups: groups.map((g) => (g && !g.startsWith('?') ? decodeURIComponent(g) : g)), query })) ?? null;
  } catch (error) {
    main.append(errorBox(error));
  }
}

// What this server offers: no log-out button without a token, no queue link without BullMQ.
call('session').then((session) => {
  document.querySelector('form.logout')?.classList.toggle('hidden', !session.authRequired);
  document.getElementById('nav-queues')?.classList.toggle('hidden', !session.queues);
}, () => {});

// Under `sluice dev` the definitions follow the project's files (GET /api/project): a banner says
// when the latest load failed while the previous generation keeps serving, and the pages that show
// definitions render again when a new generation loads. Other servers never reload: one request.
const DEFINITION_VIEWS = new Set(['lineage', 'schedules', 'sensors', 'alerts']);
/** @type {number | null} */
let generation = null;

/** @param {import('../api-contract.js').ProjectView} project */
function renderBanner(project) {
  const banner = /** @type {HTMLElement} */ (document.getElementById('project-banner'));
  clear(banner);
  banner.classList.toggle('hidden', !project.failure);
  if (!project.failure) return;
  const at = new Date(project.failure.at).toLocaleTimeString();
  const serving = project.generation === 0 ? 'nothing is loaded yet' : `still serving generation ${project.generation} (loaded ${new Date(project.loadedAt).toLocaleTimeString()})`;
  banner.append(
    h('div', { class: 'title' }, `The project's files failed to load at ${at}; ${serving}. Fix and save: this page follows.`),
    h(
      'ul',
      {},
      project.failure.problems.map((p) =>
        h('li', {}, h('span', { class: 'file' }, p.file ?? 'project'), ' ', h('span', { class: 'code' }, p.code), h('div', { class: 'message' }, p.message), h('div', { class: 'fix' }, `fix: ${p.fix}`)),
      ),
    ),
  );
}

async function followProject() {
  let project;
  try {
    project = await call('project');
  } catch {
    setTimeout(followProject, 5000);
    return;
  }
  renderBanner(project);
  if (generation !== null && project.generation !== generation && currentNav !== null && DEFINITION_VIEWS.has(currentNav)) navigate();
  generation = project.generation;
  if (project.reloads) setTimeout(followProject, 1500);
}

window.addEventListener('hashchange', navigate);
navigate();
followProject();
