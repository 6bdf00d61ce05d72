// The shortlist lives only in this browser's localStorage: nothing about it is
// ever sent to the server. Entries are copies of the listing as it was shown.
import { h } from './dom.js';
import { getJSON } from './api.js';
import { t } from './i18n.js';

const KEY = 'carefinder.shortlist.v1';
const listeners = new Set();

export function items() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(v) ? v.filter((x) => x && typeof x.id === 'string') : [];
  } catch { return []; }
}

function save(list) {
  try { localStorage.setItem(KEY, JSON.stringify(list)); } catch { /* private mode: keep going */ }
  listeners.forEach((f) => f(list));
}

export const has = (id) => items().some((x) => x.id === id);
export const remove = (id) => save(items().filter((x) => x.id !== id));
export const clearAll = () => save([]);
export function add(listing) {
  if (has(listing.id)) return;
  const { description, sources, term_labels, distance_miles, ...keep } = listing;
  save([...items(), keep]);
}
export function onChange(f) { listeners.add(f); }

// A shared sheet arrives as /referral#ids=a,b (or /compare#ids=…): the
// fragment never reaches the server; only the listing ids are fetched, like
// opening each listing page. null when the URL shares nothing.
export function sharedIds(max = 50) {
  const m = location.hash.match(/^#ids=([0-9a-fA-F,-]+)$/);
  return m ? m[1].split(',').filter(Boolean).slice(0, max) : null;
}

// The shared listings when the URL shares some, else this browser's shortlist.
export async function sharedOrShortlist(max) {
  const ids = sharedIds(max);
  if (!ids) return items();
  return (await Promise.all(ids.map((id) => getJSON(`/api/v1/listings/${id}`).catch(() => null)))).filter(Boolean);
}
window.addEventListener('storage', (e) => { if (e.key === KEY) listeners.forEach((f) => f(items())); });

// A toggle button that stays in step with the list (also across tabs).
export function toggleButton(listing) {
  const btn = h('button', { type: 'button', class: 'secondary shortlist-btn' });
  btn.dataset.id = listing.id;
  btn.dataset.name = listing.organization || listing.name || '';
  btn.addEventListener('click', () => { has(listing.id) ? remove(listing.id) : add(listing); });
  sync(btn, items());
  return btn;
}

function sync(btn, list) {
  const on = list.some((x) => x.id === btn.dataset.id);
  btn.textContent = t(on ? 'shortlist.remove' : 'shortlist.add');
  btn.append(h('span', { class: 'vh' }, `: ${btn.dataset.name}`));
  btn.classList.toggle('on', on);
}
onChange((list) => document.querySelectorAll('.shortlist-btn').forEach((b) => sync(b, list)));
