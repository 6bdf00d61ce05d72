// When a search finds nothing or fails, the page still helps: a card in view
// with the helplines to tap and the next useful step (a larger area, the
// matches farther away, trying again), and focus moved to its heading.
import { h, clear } from './dom.js';
import { t } from './i18n.js';

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
  h('li', {}, h('a', { class: 'call', href: 'tel:+18006624357' }, t('help.helpline')), t('help.helpline.note')),
  h('li', {}, h('a', { class: 'call', href: 'tel:988' }, t('help.988')), t('help.988.note')));

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
    if (data?.beyond?.results?.length) steps.push(t('help.beyond', { r: data.beyond.radius_miles }));
    if (wider && data?.location) steps.push(searchLink(t('help.wider', { r: wider }), (q) => q.set('radius', String(wider))));
    if (p.has('q')) steps.push(searchLink(t('help.noq'), (q) => q.delete('q')));
    if (p.has('when')) steps.push(searchLink(t('help.anytime'), (q) => q.delete('when')));
  } else if (kind === 'unknown-place') {
    steps.push(t('help.typeplace'));
    steps.push(h('button', { type: 'button', class: 'link', onclick: () => document.getElementById('near').focus() }, t('help.change')));
  } else {
    steps.push(h('button', { type: 'button', class: 'secondary', onclick: retry }, t('help.retry')));
  }
  return h('ul', { class: 'plain next-steps' }, steps.map((s) => h('li', {}, s)));
}

// The i18n key suffix of each kind's title (help.t.*) and text (help.x.*).
const KEYS = { 'no-results': 'none', 'unknown-place': 'place', server: 'server', offline: 'offline' };

// Fills `box` with the card for `kind` and moves focus to its heading; an
// empty kind clears it.
export function showHelp(box, kind, { data = null, retry = null } = {}) {
  clear(box);
  box.hidden = !kind;
  if (!kind) return;
  box.append(h('section', { class: `help-card ${kind}`, 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title', tabindex: '-1' }, t(`help.t.${KEYS[kind]}`)),
    h('p', {}, t(`help.x.${KEYS[kind]}`)), lines(), nextSteps(kind, data, retry)));
  box.querySelector('h2').focus({ preventScroll: true });
  box.scrollIntoView({ block: 'start' });
}
