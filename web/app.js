// Carefinder's page: a tiny client-side router over four views (search,
// listing, referral sheet, comparison). No framework, no third-party code, same origin only.
import { initSearch, showSearch } from './js/search.js';
import { items, onChange } from './js/shortlist.js';

// The search view's modules load first; the other views' follow once the
// first view has rendered (or at once when a link opens one of them).
const VIEWS = {
  listing: () => import('./js/listing.js').then((m) => m.showListing),
  referral: () => import('./js/referral.js').then((m) => m.showReferral),
  compare: () => import('./js/compare.js').then((m) => m.showCompare),
};

const views = ['search', 'listing', 'referral', 'compare', 'missing'].map((v) => document.getElementById(`view-${v}`));

function route(path) {
  if (path === '/' || path === '/index.html') return ['search'];
  const m = path.match(/^\/listing\/([^/]+)\/?$/);
  if (m) return ['listing', decodeURIComponent(m[1])];
  if (path === '/referral' || path === '/referral/') return ['referral'];
  if (path === '/compare' || path === '/compare/') return ['compare'];
  return ['missing'];
}

async function render(moveFocus) {
  const [name, arg] = route(location.pathname);
  const view = document.getElementById(`view-${name}`);
  for (const v of views) v.hidden = v !== view;
  if (name === 'search') await showSearch();
  else if (VIEWS[name]) {
    const show = await VIEWS[name]().catch(() => null);
    if (show) await show(view, arg);
    else view.textContent = 'This page could not be loaded. Check your connection, then reload.';
  }
  else document.title = 'Page not found · Carefinder';
  if (moveFocus && name !== 'search') view.querySelector('h1')?.focus();
}

function navigate(url) {
  const fromSearch = location.pathname === '/';
  history.pushState({ fromSearch }, '', url);
  render(true);
  if (!url.startsWith('/?')) window.scrollTo(0, 0);
}

// Same-origin links to our own routes navigate without reloading.
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target || a.origin !== location.origin || a.hasAttribute('download')) return;
  if (a.hash && a.pathname === location.pathname && a.search === location.search) return;
  const [name] = route(a.pathname);
  if (name === 'missing') return;
  e.preventDefault();
  navigate(a.pathname + a.search);
});

window.addEventListener('popstate', () => render(false));

const badge = document.getElementById('shortlist-count');
const showCount = (list) => { badge.textContent = String(list.length); };
onChange(showCount);
showCount(items());

// The crisis bar stays on screen unless it would cover more than a fifth of
// it (400% zoom, a phone held sideways): then it scrolls with the page.
const crisis = document.querySelector('.crisis');
const fitCrisis = () => crisis.classList.toggle('static', crisis.offsetHeight > window.innerHeight / 5);
window.addEventListener('resize', fitCrisis);
fitCrisis();

initSearch(navigate);
render(false).finally(() => Object.values(VIEWS).forEach((load) => load().catch(() => {})));
