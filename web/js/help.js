// When a search finds nothing or fails, the page still helps: a card in view
// with the helplines to tap and the next useful step (a larger area, the
// matches farther away, trying again), and focus moved to its heading.
import { h, clear } from './dom.js';

const RADII = [5, 10, 25, 50, 100, 250];

// no-results | unknown-place | server | offline, from the search answer or error.
export function failureKind(err) {
  if (!err) return 'no-results';
  const type = String(err.problem?.type || '').split('/').pop();
  if (err.offline) return 'offline';
  if (type === 'unknown-place' || (type === 'invalid-parameter' && ['near', 'lat', 'lon'].includes(err.problem.param))) return 'unknown-place';
  if (!err.problem?.status || err.problem.status >= 500 || type === 'timeout') return 'server';
  return null;   // a mistake in the search itself: the status line says which
}

const lines = () => h('ul', { class: 'help-lines' },
  h('li', {}, h('a', { class: 'call', href: 'tel:+18006624357' }, 'Call SAMHSA’s helpline 1-800-662-4357'),
    ' Free, confidential, 24/7: they can find treatment near you.'),
  h('li', {}, h('a', { class: 'call', href: 'tel:988' }, 'Call or text 988'), ' If you are in crisis or thinking of suicide.'));

// The same search with `change` applied to its URL parameters.
function searchLink(text, change) {
  const p = new URLSearchParams(location.search);
  change(p);
  return h('a', { href: `/?${p}` }, text);
}

function nextSteps(kind, data, retry) {
  const steps = [];
  if (kind === 'no-results') {
    const p = new URLSearchParams(location.search);
    const r = Number(data?.radius_miles || p.get('radius') || 25);
    const wider = data?.beyond?.radius_miles || RADII.find((x) => x > r);
    if (data?.beyond?.results?.length) steps.push(`The nearest matches, within ${data.beyond.radius_miles} miles, are listed below.`);
    if (wider && data?.location) steps.push(searchLink(`Search a larger area (${wider} miles)`, (q) => q.set('radius', String(wider))));
    if (p.has('q')) steps.push(searchLink('Search without the keyword', (q) => q.delete('q')));
    if (p.has('when')) steps.push(searchLink('Search at any time', (q) => q.delete('when')));
  } else if (kind === 'unknown-place') {
    steps.push('Type a ZIP code (like 92374) or a city and state (like Redlands, CA), or use your location.');
    steps.push(h('button', { type: 'button', class: 'link', onclick: () => document.getElementById('near').focus() }, 'Change the place'));
  } else {
    steps.push(h('button', { type: 'button', class: 'secondary', onclick: retry }, 'Try again'));
  }
  return h('ul', { class: 'plain next-steps' }, steps.map((s) => h('li', {}, s)));
}

const TITLES = {
  'no-results': 'No places found',
  'unknown-place': 'We don’t know that place',
  server: 'Search is not working right now',
  offline: 'You seem to be offline',
};
const TEXTS = {
  'no-results': 'Nothing matched this search. A helpline can still find a place for you, by phone.',
  'unknown-place': 'You can still get help now, by phone:',
  server: 'Something went wrong on our side. You can still get help now, by phone:',
  offline: 'We could not reach Carefinder. Phone calls may still work:',
};

// Fills `box` with the card for `kind` and moves focus to its heading; an
// empty kind clears it.
export function showHelp(box, kind, { data = null, retry = null } = {}) {
  clear(box);
  box.hidden = !kind;
  if (!kind) return;
  box.append(h('section', { class: `help-card ${kind}`, 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title', tabindex: '-1' }, TITLES[kind]),
    h('p', {}, TEXTS[kind]), lines(), nextSteps(kind, data, retry)));
  box.querySelector('h2').focus({ preventScroll: true });
  box.scrollIntoView({ block: 'start' });
}
