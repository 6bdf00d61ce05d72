// The search as it appears in the URL (/?near=92374&care=detox,-residential):
// the URL is the single source of truth, so back/forward and shared links work.
// `when` (now | today) stays relative in the URL: a shared "open now" link
// means open when it is opened, and becomes `now` only in the API call.

export const GROUPS = ['care', 'medication', 'substance', 'support', 'payment',
  'population', 'language', 'attendance', 'kind'];
export const DEFAULT_RADIUS = '25';
// The weekday and time-of-day filters (docs/API.md), in the URL as the API takes them.
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const TIMES = ['morning', 'afternoon', 'evening', 'night'];
const pick = (p, key, known) => [...new Set(p.getAll(key).join(',').split(',').map((v) => v.trim().toLowerCase()))]
  .filter((v) => known.includes(v)).sort((a, b) => known.indexOf(a) - known.indexOf(b));
const KEEP = ['sort', 'status', 'lat', 'lon', 'radius_km', 'limit'];

// -> {near, q, radius, filters: {group: Map(code -> 'in' | 'ex')}, extra: [[k, v]]}
export function readState(search) {
  const p = new URLSearchParams(search);
  const filters = {};
  for (const g of GROUPS) {
    const m = new Map();
    for (const v of p.getAll(g).join(',').split(',')) {
      const code = v.trim().replace(/^-/, '');
      if (code) m.set(code, v.trim().startsWith('-') ? 'ex' : 'in');
    }
    filters[g] = m;
  }
  return {
    near: (p.get('near') || '').trim(),
    q: (p.get('q') || '').trim(),
    radius: p.get('radius') || DEFAULT_RADIUS,
    when: ['now', 'today'].includes(p.get('when')) ? p.get('when') : '',
    days: pick(p, 'day', DAYS),
    times: pick(p, 'time', TIMES),
    filters,
    extra: KEEP.filter((k) => p.has(k)).map((k) => [k, p.get(k)]),
  };
}

export function toParams(s) {
  const p = new URLSearchParams();
  if (s.near) p.set('near', s.near);
  if (s.q) p.set('q', s.q);
  if (s.radius && s.radius !== DEFAULT_RADIUS) p.set('radius', s.radius);
  for (const g of GROUPS) {
    const codes = [...(s.filters[g] || new Map())].map(([c, how]) => (how === 'ex' ? '-' : '') + c);
    if (codes.length) p.set(g, codes.join(','));
  }
  if (s.when) p.set('when', s.when);
  if (s.days?.length) p.set('day', s.days.join(','));
  if (s.times?.length) p.set('time', s.times.join(','));
  for (const [k, v] of s.extra || []) p.set(k, v);
  return p;
}

const pad = (n) => String(n).padStart(2, '0');
function localIso(now = new Date()) {
  const off = -now.getTimezoneOffset(), a = Math.abs(off);
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}` +
    `${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

// (Here, not in clock.js: state.js imports nothing, so the first search
// leaves before the rest of the page arrives; js/first_search.js.)
// when: '' | 'now' | 'today' -> [[key, value]] for /api/v1/search.
export function clockParams(when, now = new Date()) {
  if (!when) return [];
  const p = [['now', localIso(now)], ['sort', 'next']];
  if (when === 'now') p.push(['open_now', 'true']);
  return p;
}

// The /api/v1/search parameters for `s`, read against this device's clock.
export function apiParams(s, now = new Date()) {
  const p = toParams(s);
  p.delete('when');
  for (const [k, v] of clockParams(s.when, now)) p.set(k, v);
  return p;
}

// Online meetings need no place (the API allows attendance=online alone).
export const asksOnline = (s) => s.filters.attendance.get('online') === 'in';
export function hasSearch(s) { return Boolean(s.near || s.q || s.extra.some(([k]) => k === 'lat') || asksOnline(s)); }

export function isDetoxSearch(s) {
  const inc = (g, test) => [...s.filters[g]].some(([c, how]) => how === 'in' && test(c));
  return inc('care', (c) => c === 'detox' || c.startsWith('detox-')) ||
    inc('medication', (c) => c === 'tapering') || /detox|withdraw/i.test(s.q);
}
