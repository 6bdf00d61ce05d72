// Carefinder's page: a tiny client-side router over three views (search,
// listing, referral sheet). No framework, no third-party code, same origin only.
import { initSearch, showSearch } from './js/search.js';
import { showListing } from './js/listing.js';
import { showReferral } from './js/referral.js';
import { items, onChange } from './js/shortlist.js';

const views = ['search', 'listing', 'referral', 'missing'].map((v) => document.getElementById(`view-${v}`));

function route(path) {
  if (path === '/' || path === '/index.html') return ['search'];
  const m = path.match(/^\/listing\/([^/]+)\/?$/);
  if (m) return ['listing', decodeURIComponent(m[1])];
  if (path === '/referral' || path === '/referral/') return ['referral'];
  return ['missing'];
}

async function render(moveFocus) {
  const [name, arg] = route(location.pathname);
  const view = document.getElementById(`view-${name}`);
  for (const v of views) v.hidden = v !== view;
  if (name === 'search') await showSearch();
  else if (name === 'listing') await showListing(view, arg);
  else if (name === 'referral') await showReferral(view);
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

initSearch(navigate);
render(false);
