// /compare: two to four shortlisted listings side by side, one column each.
// Built from the shortlist in this browser (or /compare#ids=a,b from a shared
// link, fetched like listing pages); nothing is sent about the person.
import { h, clear, formatDate } from './dom.js';
import { taxonomy } from './api.js';
import { sharedOrShortlist } from './shortlist.js';
import { addressText, phoneLinks, hoursText, termLabels } from './card.js';
import { whenText, isAlwaysOpen } from './clock.js';
import { t } from './i18n.js';

const MAX = 4;
let chosenIds = [], chosenFrom = '';   // ticked ids, and the list they were ticked from (memory only)

const ROWS = [
  [t('cmp.phone'), (r) => phoneLinks(r.phones) || '—'],
  [t('cmp.address'), (r) => addressText(r) || (r.conference?.url ? t('cmp.online') : '—')],
  [t('cmp.hours'), hoursCell],
];
const TERM_ROWS = ['care', 'medication', 'support', 'payment', 'population', 'language', 'attendance'];

function hoursCell(r) {
  const when = whenText(r), hours = isAlwaysOpen(r.hours) ? '' : hoursText(r.hours);
  if (!when && !hours) return t('cmp.unknown');
  return [when ? h('strong', {}, when) : null, hours ? h('div', {}, hours) : null];
}

export async function showCompare(view) {
  document.title = t('cmp.title');
  const tax = await taxonomy().catch(() => ({ groups: [], label: {}, parent: {} }));
  const all = await sharedOrShortlist(MAX);
  const from = all.map((r) => r.id).join();
  if (from !== chosenFrom) { chosenFrom = from; chosenIds = all.slice(0, MAX).map((r) => r.id); }
  const picked = all.filter((r) => chosenIds.includes(r.id)).slice(0, MAX);
  clear(view).append(h('article', { class: 'compare' },
    h('h1', { tabindex: '-1' }, t('ref.compare')),
    h('p', { class: 'no-print' }, h('a', { href: '/referral' }, t('cmp.back'))),
    all.length < 2
      ? h('p', {}, t('cmp.need2'), h('a', { href: '/' }, t('ref.start')))
      : [all.length > 2 ? chooser(all, view) : null, picked.length >= 2 ? table(picked, tax)
        : h('p', { class: 'status', role: 'status' }, t('cmp.choose2'))]));
}

function chooser(all, view) {
  return h('fieldset', { class: 'pick no-print' }, h('legend', {}, t('cmp.upto', { n: MAX })),
    all.map((r) => {
      const on = chosenIds.includes(r.id);
      const box = h('input', { type: 'checkbox', id: `cmp-${r.id}`, checked: on,
        disabled: !on && chosenIds.length >= MAX });
      box.addEventListener('change', () => {
        chosenIds = box.checked ? [...chosenIds, r.id] : chosenIds.filter((x) => x !== r.id);
        showCompare(view).then(() => document.getElementById(`cmp-${r.id}`)?.focus());
      });
      return h('div', { class: 'check' }, box, h('label', { for: `cmp-${r.id}` }, r.organization || r.name));
    }));
}

function table(list, tax) {
  const groupLabel = (g) => tax.groups.find((x) => x.group === g)?.label || g;
  const rows = [...ROWS.map(([label, cell]) => [label, list.map(cell)]),
    ...TERM_ROWS.map((g) => [groupLabel(g), list.map((r) => termLabels(r.terms, tax, [g]).join(', ') || '—')])
      .filter(([, cells]) => cells.some((c) => c !== '—')),
    [t('cmp.asof'), list.map((r) => r.source?.as_of ? `${formatDate(r.source.as_of)} (${r.source.name})` : '—')]];
  return h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': t('cmp.table') },
    h('table', {},
      h('thead', {}, h('tr', {}, h('td', {}), list.map((r) => h('th', { scope: 'col' },
        h('a', { href: `/listing/${encodeURIComponent(r.id)}` }, r.organization || r.name),
        r.name && r.organization && r.name !== r.organization ? h('span', { class: 'sub' }, r.name) : null)))),
      h('tbody', {}, rows.map(([label, cells]) => h('tr', {}, h('th', { scope: 'row' }, label),
        cells.map((c) => h('td', {}, c)))))));
}
