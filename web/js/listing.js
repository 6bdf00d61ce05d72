// The listing page at /listing/<id>: everything known, with provenance and a
// permanent link.
import { h, clear, externalLink, formatDate } from './dom.js';
import { getJSON, taxonomy } from './api.js';
import { addressBlock, phoneLinks, hoursText, provenance, termLabels, termList } from './card.js';
import { GROUPS } from './state.js';
import { toggleButton } from './shortlist.js';

const DAYS = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };

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
  // "24/7" says it all; seven rows of 00:00-24:00 would only add noise.
  const weekly = (hours.weekly || []).filter(() => !(hours.text && hours.weekly.every((w) => w.opens === '00:00' && w.closes === '24:00')));
  const conf = r.conference || {};
  clear(view).append(h('article', { class: 'listing' },
    h('p', { class: 'back' }, h('a', { href: '/', id: 'back-link' }, '← Back to search')),
    h('h1', { tabindex: '-1' }, title),
    r.name && r.name !== title ? h('p', { class: 'sub' }, r.name) : null,
    r.status && r.status !== 'active' ? h('p', { class: 'status error' }, `Status: ${r.status}`) : null,
    r.description ? h('p', { class: 'desc' }, r.description) : null,
    section('Contact',
      phoneLinks(r.phones),
      addressBlock(r),
      r.website ? h('p', {}, externalLink(r.website, 'Website')) : null,
      /^[^\s@<>]+@[^\s@<>]+$/.test(r.email || '') ? h('p', {}, h('a', { href: `mailto:${r.email}` }, r.email)) : null,
      conf.url || conf.phone ? h('p', {}, externalLink(conf.url, 'Join online'), conf.url && conf.phone ? ' · ' : null,
        conf.phone ? `Dial in ${conf.phone}` : null) : null),
    hours.text || weekly.length ? section('Hours',
      hours.text ? h('p', {}, hours.text) : null,
      weekly.length ? h('ul', { class: 'plain' }, weekly.map((w) =>
        h('li', {}, `${DAYS[w.day] || w.day}: ${w.opens || '?'}–${w.closes || '?'}`))) : null) : null,
    ...GROUPS.filter((g) => (r.terms || {})[g]?.length).map((g) =>
      section(tax.groups.find((x) => x.group === g)?.label || g, termList(termLabels(r.terms, tax, [g])))),
    (r.other_services || []).length ? section('Also listed', termList(r.other_services)) : null,
    section('Where this comes from', provenanceList(r)),
    section('Share or save',
      h('p', {}, 'Permanent link: ', h('a', { href: `/listing/${encodeURIComponent(r.id)}`, class: 'permalink' }, permalink)),
      toggleButton(r)),
    section('Report a problem', h('p', {},
      'If something here is wrong (a closed program, a wrong number), please tell the source so it can be fixed',
      (r.sources || [r.source]).some((s) => s && s.url) ? ': ' : '.',
      ...(r.sources || [r.source]).filter((s) => s && s.url).map((s, i) => [i ? ', ' : '', externalLink(s.url, s.name || s.url)])))));
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
