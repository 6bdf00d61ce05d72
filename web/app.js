// Carefinder's page: a tiny client-side router over four views (search,
// listing, referral sheet, comparison). No framework, no third-party code, same origin only.
import { initSearch, showSearch } from './js/search.js';
import { items, onChange } from './js/shortlist.js';
import { lang, t, withLang, translateStatic } from './js/i18n.js';

// The page's language (js/i18n.js) before anything is shown.
document.documentElement.lang = lang;
translateStatic(document);
document.querySelector('meta[name=description]').content = t('meta.description');
for (const o of document.getElementById('radius').options) o.text = t('miles', { n: o.value });

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
    else view.textContent = t('view.failed');
  }
  else document.title = t('title.missing');
  showSwitch();
  if (moveFocus && name !== 'search') view.querySelector('h1')?.focus();
}

// The other language's link: this same page with lang= set, loaded afresh.
function showSwitch() {
  const other = lang === 'es' ? 'en' : 'es';
  const u = new URL(location.href);
  u.searchParams.set('lang', other);
  const a = document.getElementById('lang-switch');
  a.href = u.pathname + u.search + u.hash;
  a.lang = a.hreflang = other;
}

function navigate(target) {
  const url = withLang(target);
  const fromSearch = location.pathname === '/';
  history.pushState({ fromSearch }, '', url);
  render(true);
  if (!url.startsWith('/?')) window.scrollTo(0, 0);
}

// Same-origin links to our own routes navigate without reloading.
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target || a.origin !== location.origin || a.hasAttribute('download') || a.id === 'lang-switch') return;
  if (a.hash && a.pathname === location.pathname && a.search === location.search) return;
  const [name] = route(a.pathname);
  if (name === 'missing') return;
  e.preventDefault();
  navigate(a.pathname + a.search);
});

window.addEventListener('popstate', () => render(false));

// A language chosen in the URL stays in every link to our own pages, so a
// link opened in a new tab or copied keeps it too.
if (new URLSearchParams(location.search).has('lang')) {
  const carry = (root) => root.querySelectorAll?.('a[href^="/"]:not(#lang-switch)').forEach((a) => {
    const href = withLang(a.getAttribute('href'));
    if (href !== a.getAttribute('href')) a.setAttribute('href', href);
  });
  carry(document);
  new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach((n) => {
    if (n.nodeType !== 1) return;
    if (n.matches('a[href^="/"]')) carry(n.parentNode); else carry(n);
  }))).observe(document.body, { childList: true, subtree: true });
}

const badge = document.getElementById('shortlist-count');
const showCount = (list) => { badge.textContent = String(list.length); };
onChange(showCount);
showCount(items());

// The crisis bar stays on screen unless it would cover more than a fifth of
// it (400% zoom, a phone held sideways): then it scrolls with the page.
const crisis = document.querySelector('.crisis');
// Headings scrolled to land below it at its real height (in Spanish it takes
// three lines on a phone).
const fitCrisis = () => {
  const still = crisis.classList.toggle('static', crisis.offsetHeight > window.innerHeight / 5);
  document.documentElement.style.setProperty('--crisis-h', still ? '0px' : `${crisis.offsetHeight}px`);
};
window.addEventListener('resize', fitCrisis);
fitCrisis();

initSearch(navigate);
render(false).finally(() => Object.values(VIEWS).forEach((load) => load().catch(() => {})));
