// /referral: the shortlist as a printable referral sheet. Built only from
// localStorage; nothing typed here (notes) is stored or sent anywhere.
import { h, clear, formatDate, safeUrl } from './dom.js';
import { taxonomy } from './api.js';
import { remove, clearAll, add, sharedIds, sharedOrShortlist } from './shortlist.js';
import { addressBlock, addressText, phoneLinks, hoursText, termLabels, termList, asOfText } from './card.js';

const CRISIS = [
  ['Suicide & Crisis Lifeline (call or text)', '988', 'tel:988'],
  ['SAMHSA National Helpline (free, confidential, 24/7)', '1-800-662-4357', 'tel:+18006624357'],
  ['Emergency', '911', 'tel:911'],
];

let notes = '';   // kept in memory only while the page is open

export async function showReferral(view) {
  document.title = 'Referral sheet · Carefinder';
  const tax = await taxonomy().catch(() => ({ groups: [], label: {}, parent: {} }));
  const shared = sharedIds();
  const list = await sharedOrShortlist();
  const copied = h('p', { class: 'status no-print', role: 'status' });
  const notesBox = h('textarea', { id: 'ref-notes', rows: 3 });
  notesBox.value = notes;
  notesBox.addEventListener('input', () => { notes = notesBox.value; });
  clear(view).append(h('article', { class: 'referral' },
    h('h1', { tabindex: '-1' }, 'Referral sheet'),
    h('p', { class: 'printed' }, `Prepared ${formatDate(new Date().toISOString())} with Carefinder`),
    h('p', { class: 'no-print hint' }, 'Your shortlist is kept only in this browser. Nothing here is sent to Carefinder.'),
    shared ? h('p', { class: 'no-print' }, 'This list was shared with you. ',
      h('button', { type: 'button', class: 'link', onclick: () => { list.forEach(add); copied.textContent = 'Saved to your shortlist.'; } }, 'Save to my shortlist')) : null,
    list.length ? h('div', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, 'Print'),
      h('button', { type: 'button', class: 'secondary', onclick: () => copy(sheetText(list, tax), copied, 'Copied. You can paste it into a message or a note.') }, 'Copy as text'),
      h('button', { type: 'button', class: 'secondary', onclick: () => copy(`${location.origin}/referral#ids=${list.map((r) => r.id).join(',')}`, copied, 'Link copied. It lists these places only; nothing else about you.') }, 'Copy share link'),
      !shared && list.length >= 2 ? h('a', { class: 'button', href: '/compare' }, 'Compare side by side') : null,
      shared ? null : h('button', { type: 'button', class: 'secondary', onclick: () => { clearAll(); showReferral(view); } }, 'Clear shortlist')) : null,
    copied,
    h('div', { class: 'field notes' }, h('label', { for: 'ref-notes' }, 'Notes for the person (optional, printed, not saved)'), notesBox,
      h('p', { class: 'print-notes' }, notes)),
    list.length
      ? h('ol', { class: 'cards sheet' }, list.map((r) => sheetItem(r, tax, view)))
      : h('p', {}, 'Your shortlist is empty. Search, then choose "Add to shortlist" on the places you want to refer to. ',
        h('a', { href: '/' }, 'Start a search')),
    h('section', { class: 'crisis-box', 'aria-labelledby': 'crisis-h' },
      h('h2', { id: 'crisis-h' }, 'If you need help right now'),
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
    hours ? h('p', {}, `${r.kind === 'meeting' ? 'Meets' : 'Hours'}: ${hours}`) : null,
    termList(termLabels(r.terms, tax, ['care', 'medication', 'support', 'payment'])),
    h('p', { class: 'prov' }, `${asOfText(r.source)}${r.source?.name ? ` · source ${r.source.name}` : ''}`),
    sharedIds() ? null : h('button', { type: 'button', class: 'link no-print', onclick: () => { remove(r.id); showReferral(view); } },
      'Remove', h('span', { class: 'vh' }, ` ${title}`)));
}

export function sheetText(list, tax) {
  const lines = [`Referral sheet (${formatDate(new Date().toISOString())})`, ''];
  if (notes.trim()) lines.push(notes.trim(), '');
  list.forEach((r, i) => {
    lines.push(`${i + 1}. ${r.organization || r.name}${r.organization && r.name && r.name !== r.organization ? ' - ' + r.name : ''}`);
    const addr = addressText(r);
    if (addr) lines.push(`   ${addr}`);
    for (const p of r.phones || []) if (p.display) lines.push(`   ${p.role === 'fax' ? 'Fax' : 'Phone'}: ${p.display}${p.extension ? ' ext. ' + p.extension : ''}`);
    if (safeUrl(r.website)) lines.push(`   ${safeUrl(r.website)}`);
    const hours = hoursText(r.hours);
    if (hours) lines.push(`   ${r.kind === 'meeting' ? 'Meets' : 'Hours'}: ${hours}`);
    const terms = termLabels(r.terms, tax, ['care', 'medication', 'support', 'payment']);
    if (terms.length) lines.push(`   ${terms.join('; ')}`);
    lines.push(`   ${asOfText(r.source)}: call before you go`);
    lines.push(`   ${location.origin}/listing/${r.id}`, '');
  });
  lines.push('If you need help right now:', ...CRISIS.map(([what, num]) => `  ${num}  ${what}`));
  return lines.join('\n');
}

async function copy(text, statusEl, done) {
  try {
    await navigator.clipboard.writeText(text);
    statusEl.textContent = done;
  } catch {
    const ta = h('textarea', { class: 'copy-fallback', readonly: true, rows: 8, 'aria-label': 'Text to copy' });
    ta.value = text;
    statusEl.replaceChildren('Copying was blocked. Select the text below and copy it.', ta);
    ta.select();
  }
}
