// /referral: the shortlist as a printable referral sheet. Built only from
// localStorage; nothing typed here (notes) is stored or sent anywhere.
import { h, clear, formatDate, safeUrl } from './dom.js';
import { taxonomy } from './api.js';
import { remove, clearAll, add, sharedIds, sharedOrShortlist } from './shortlist.js';
import { addressBlock, addressText, phoneLinks, hoursText, termLabels, termList, asOfText } from './card.js';
import { t, shareUrl } from './i18n.js';

const CRISIS = [
  [t('ref.988'), '988', 'tel:988'],
  [t('ref.helpline'), '1-800-662-4357', 'tel:+18006624357'],
  [t('ref.911'), '911', 'tel:911'],
];

let notes = '';   // kept in memory only while the page is open

export async function showReferral(view) {
  document.title = t('ref.title');
  const tax = await taxonomy().catch(() => ({ groups: [], label: {}, parent: {} }));
  const shared = sharedIds();
  const list = await sharedOrShortlist();
  const copied = h('p', { class: 'status no-print', role: 'status' });
  const notesBox = h('textarea', { id: 'ref-notes', rows: 3 });
  notesBox.value = notes;
  notesBox.addEventListener('input', () => { notes = notesBox.value; });
  clear(view).append(h('article', { class: 'referral' },
    h('h1', { tabindex: '-1' }, t('ref.h1')),
    h('p', { class: 'printed' }, t('ref.prepared', { date: formatDate(new Date().toISOString()) })),
    h('p', { class: 'no-print hint' }, t('ref.local')),
    shared ? h('p', { class: 'no-print' }, t('ref.shared'),
      h('button', { type: 'button', class: 'link', onclick: () => { list.forEach(add); copied.textContent = t('ref.saved'); } }, t('ref.save'))) : null,
    list.length ? h('div', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, t('ref.print')),
      h('button', { type: 'button', class: 'secondary', onclick: () => copy(sheetText(list, tax), copied, t('ref.copied')) }, t('ref.copy')),
      h('button', { type: 'button', class: 'secondary', onclick: () => copy(location.origin + shareUrl(`/referral#ids=${list.map((r) => r.id).join(',')}`), copied, t('ref.linkcopied')) }, t('ref.copylink')),
      !shared && list.length >= 2 ? h('a', { class: 'button', href: '/compare' }, t('ref.compare')) : null,
      shared ? null : h('button', { type: 'button', class: 'secondary', onclick: () => { clearAll(); showReferral(view); } }, t('ref.clear'))) : null,
    copied,
    h('div', { class: 'field notes' }, h('label', { for: 'ref-notes' }, t('ref.notes')), notesBox,
      h('p', { class: 'print-notes' }, notes)),
    list.length
      ? h('ol', { class: 'cards sheet' }, list.map((r) => sheetItem(r, tax, view)))
      : h('p', {}, t('ref.empty'), h('a', { href: '/' }, t('ref.start'))),
    h('section', { class: 'crisis-box', 'aria-labelledby': 'crisis-h' },
      h('h2', { id: 'crisis-h' }, t('ref.now')),
      h('ul', { class: 'plain' }, CRISIS.map(([what, num, href]) => h('li', {}, h('a', { href }, num), ` ${what}`))))));
  notesBox.addEventListener('input', () => { view.querySelector('.print-notes').textContent = notesBox.value; });
}

function sheetItem(r, tax, view) {
  const title = r.organization || r.name;
  const hours = hoursText(r.hours);
  return h('li', { class: 'card' },
    h('h2', {}, h('a', { href: `/listing/${encodeURIComponent(r.id)}` }, title)),
    r.name && r.name !== title ? h('p', { class: 'sub' }, r.name) : null,
    addressBlock(r), phoneLinks(r.phones),
    safeUrl(r.website) ? h('p', { class: 'web' }, safeUrl(r.website)) : null,
    hours ? h('p', {}, `${t(r.kind === 'meeting' ? 'ref.meets' : 'ref.hours')}: ${hours}`) : null,
    termList(termLabels(r.terms, tax, ['care', 'medication', 'support', 'payment'])),
    h('p', { class: 'prov' }, `${asOfText(r.source)}${r.source?.name ? t('ref.source', { name: r.source.name }) : ''}`),
    sharedIds() ? null : h('button', { type: 'button', class: 'link no-print', onclick: () => { remove(r.id); showReferral(view); } },
      t('ref.remove'), h('span', { class: 'vh' }, ` ${title}`)));
}

export function sheetText(list, tax) {
  const lines = [t('ref.text.title', { date: formatDate(new Date().toISOString()) }), ''];
  if (notes.trim()) lines.push(notes.trim(), '');
  list.forEach((r, i) => {
    lines.push(`${i + 1}. ${r.organization || r.name}${r.organization && r.name && r.name !== r.organization ? ' - ' + r.name : ''}`);
    const addr = addressText(r);
    if (addr) lines.push(`   ${addr}`);
    for (const p of r.phones || []) if (p.display) lines.push(`   ${t(p.role === 'fax' ? 'role.fax' : 'role.phone')}: ${p.display}${p.extension ? t('ext', { ext: p.extension }) : ''}`);
    if (safeUrl(r.website)) lines.push(`   ${safeUrl(r.website)}`);
    const hours = hoursText(r.hours);
    if (hours) lines.push(`   ${t(r.kind === 'meeting' ? 'ref.meets' : 'ref.hours')}: ${hours}`);
    const terms = termLabels(r.terms, tax, ['care', 'medication', 'support', 'payment']);
    if (terms.length) lines.push(`   ${terms.join('; ')}`);
    lines.push(`   ${t('ref.callfirst', { asof: asOfText(r.source) })}`);
    lines.push(`   ${location.origin}${shareUrl(`/listing/${r.id}`)}`, '');
  });
  lines.push(t('ref.now.text'), ...CRISIS.map(([what, num]) => `  ${num}  ${what}`));
  return lines.join('\n');
}

async function copy(text, statusEl, done) {
  try {
    await navigator.clipboard.writeText(text);
    statusEl.textContent = done;
  } catch {
    const ta = h('textarea', { class: 'copy-fallback', readonly: true, rows: 8, 'aria-label': t('ref.totext') });
    ta.value = text;
    statusEl.replaceChildren(t('ref.blocked'), ta);
    ta.select();
  }
}
