// The listing page at /listing/<id>: everything known, with provenance and a
// permanent link.
import { h, clear, externalLink, formatDate } from './dom.js';
import { getJSON, taxonomy } from './api.js';
import { addressBlock, phoneLinks, provenance, termLabels, termList } from './card.js';
import { whenText, clockText, isAlwaysOpen } from './clock.js';
import { GROUPS } from './state.js';
import { toggleButton } from './shortlist.js';
import { reportForm } from './feedback.js';

const DAYS = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
const time = (hhmm) => (hhmm === '24:00' ? 'midnight' : clockText(+hhmm.slice(0, 2) * 60 + +hhmm.slice(3)));

export async function showListing(view, id) {
  clear(view).append(h('p', { class: 'status', role: 'status' }, 'Loading…'));
  document.title = 'Listing · Carefinder';
  let r, tax;
  try {
    [r, tax] = await Promise.all([getJSON(`/api/v1/listings/${encodeURIComponent(id)}`),
      taxonomy().catch(() => ({ groups: [], label: {}, parent: {} }))]);
  } catch (e) {
    clear(view).append(h('h1', { tabindex: '-1' }, 'Listing not available'),
      h('p', { class: 'status error', role: 'alert' }, e.message), h('p', {}, h('a', { href: '/' }, 'Search for help near you')));
    return;
  }
  tax.label = { ...tax.label, ...(r.term_labels || {}) };
  const title = r.organization || r.name || 'Unnamed listing';
  document.title = `${title} · Carefinder`;
  const permalink = `${location.origin}/listing/${encodeURIComponent(r.id)}`;
  const hours = r.hours || {};
  // "Open 24 hours" says it all; seven rows of 00:00-24:00 would only add noise.
  const weekly = isAlwaysOpen(hours) ? [] : (hours.weekly || []).filter((w) => /^\d\d:\d\d$/.test(w.opens) && /^\d\d:\d\d$/.test(w.closes));
  const when = whenText(r);
  const conf = r.conference || {};
  clear(view).append(h('article', { class: 'listing' },
    h('p', { class: 'back' }, h('a', { href: '/', id: 'back-link' }, '← Back to search')),
    h('h1', { tabindex: '-1' }, title),
    r.name && r.name !== title ? h('p', { class: 'sub' }, r.name) : null,
    r.status && r.status !== 'active' ? h('p', { class: 'status error' }, r.status === 'inactive'
      ? 'Inactive: its sources no longer list this place (it may have closed, moved or been renamed). Call before you go.'
      : `Status: ${r.status}`) : null,
    r.description ? h('p', { class: 'desc' }, r.description) : null,
    section('Contact',
      phoneLinks(r.phones),
      addressBlock(r),
      r.website ? h('p', {}, externalLink(r.website, 'Website')) : null,
      /^[^\s@<>]+@[^\s@<>]+$/.test(r.email || '') ? h('p', {}, h('a', { href: `mailto:${r.email}` }, r.email)) : null,
      conf.url || conf.phone ? h('p', {}, externalLink(conf.url, 'Join online'), conf.url && conf.phone ? ' · ' : null,
        conf.phone ? `Dial in ${conf.phone}` : null) : null),
    when || weekly.length || hours.text ? section(r.kind === 'meeting' ? 'Meeting times' : 'Hours',
      when ? h('p', { class: 'when' }, when) : null,
      weekly.length ? h('ul', { class: 'plain' }, weekly.map((w) =>
        h('li', {}, `${DAYS[w.day] || w.day}: ${time(w.opens)}–${time(w.closes)}`))) : null,
      !when && !weekly.length ? h('p', {}, hours.text) : null) : null,
    ...GROUPS.filter((g) => (r.terms || {})[g]?.length).map((g) =>
      section(tax.groups.find((x) => x.group === g)?.label || g, termList(termLabels(r.terms, tax, [g])))),
    (r.other_services || []).length ? section('Also listed', termList(r.other_services)) : null,
    section('Where this comes from', provenanceList(r)),
    section('Share or save',
      h('p', {}, 'Permanent link: ', h('a', { href: `/listing/${encodeURIComponent(r.id)}`, class: 'permalink' }, permalink)),
      toggleButton(r)),
    section('Report a problem', reportForm(r.id),
      (r.sources || [r.source]).some((s) => s && s.url) ? h('p', { class: 'hint' }, 'You can also tell the source: ',
        ...(r.sources || [r.source]).filter((s) => s && s.url).map((s, i) => [i ? ', ' : '', externalLink(s.url, s.name || s.url)])) : null)));
  const back = document.getElementById('back-link');
  if (history.state && history.state.fromSearch) back.addEventListener('click', (e) => { e.preventDefault(); history.back(); });
}

function section(title, ...body) {
  const content = body.flat().filter(Boolean);
  return content.length ? h('section', { class: 'block' }, h('h2', {}, title), content) : null;
}

function provenanceList(r) {
  const sources = r.sources && r.sources.length ? r.sources : [r.source].filter(Boolean);
  const verified = sources.some((s) => s.last_verified);
  return [
    h('ul', { class: 'plain' }, sources.map((s) => h('li', {}, provenance(s),
      s.license ? h('p', { class: 'hint' }, `License: ${s.license}`) : null,
      s.imported_at ? h('p', { class: 'hint' }, `Imported ${formatDate(s.imported_at)}`) : null))),
    verified ? null : h('p', { class: 'hint' }, 'No one has verified this listing in person yet. Call before you go.'),
  ];
}
