// The listing page at /listing/<id>: everything known, with provenance and a
// permanent link.
import { h, clear, externalLink, formatDate } from './dom.js';
import { getJSON, taxonomy } from './api.js';
import { addressBlock, phoneLinks, provenance, termLabels, termList } from './card.js';
import { whenText, clockText, isAlwaysOpen, DAY_NAMES, zoneName } from './clock.js';
import { toggleButton } from './shortlist.js';
import { reportForm } from './feedback.js';
import { t, shareUrl, locale } from './i18n.js';

const time = (hhmm) => (hhmm === '24:00' ? t('midnight') : clockText(+hhmm.slice(0, 2) * 60 + +hhmm.slice(3)));

// "Pacific Standard Time" / "hora estándar del Pacífico".
function zoneLongName(zone) {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'long' }).formatToParts(new Date())
      .find((x) => x.type === 'timeZoneName')?.value || zone;
  } catch { return zone; }
}

// The listing's term groups in the taxonomy's order (the API's one list), any other after.
function termGroupsOf(r, tax) {
  const rank = (g) => { const i = tax.groups.findIndex((x) => x.group === g); return i < 0 ? tax.groups.length : i; };
  return Object.keys(r.terms || {}).filter((g) => r.terms[g]?.length).sort((a, b) => rank(a) - rank(b));
}

export async function showListing(view, id) {
  clear(view).append(h('p', { class: 'status', role: 'status' }, t('loading')));
  document.title = t('listing.title');
  let r, tax;
  try {
    [r, tax] = await Promise.all([getJSON(`/api/v1/listings/${encodeURIComponent(id)}`),
      taxonomy().catch(() => ({ groups: [], label: {}, parent: {} }))]);
  } catch (e) {
    clear(view).append(h('h1', { tabindex: '-1' }, t('listing.unavailable')),
      h('p', { class: 'status error', role: 'alert' }, e.message), h('p', {}, h('a', { href: '/' }, t('missing.link'))));
    return;
  }
  // The listing's own labels (English) only for codes the taxonomy lacks.
  tax.label = { ...(r.term_labels || {}), ...tax.label };
  const title = r.organization || r.name || t('unnamed');
  document.title = `${title} · Carefinder`;
  const permalink = location.origin + shareUrl(`/listing/${encodeURIComponent(r.id)}`);
  const hours = r.hours || {};
  // "Open 24 hours" says it all; seven rows of 00:00-24:00 would only add noise.
  const weekly = isAlwaysOpen(hours) ? [] : (hours.weekly || []).filter((w) => /^\d\d:\d\d$/.test(w.opens) && /^\d\d:\d\d$/.test(w.closes));
  const when = whenText(r);
  const conf = r.conference || {};
  clear(view).append(h('article', { class: 'listing' },
    h('p', { class: 'back' }, h('a', { href: '/', id: 'back-link' }, t('back'))),
    h('h1', { tabindex: '-1' }, title),
    r.name && r.name !== title ? h('p', { class: 'sub' }, r.name) : null,
    r.status && r.status !== 'active' ? h('p', { class: 'status error' }, r.status === 'inactive'
      ? t('inactive') : t('status', { s: r.status })) : null,
    r.description ? h('p', { class: 'desc' }, r.description) : null,
    section(t('sec.contact'),
      phoneLinks(r.phones),
      addressBlock(r),
      r.website ? h('p', {}, externalLink(r.website, t('website'))) : null,
      /^[^\s@<>]+@[^\s@<>]+$/.test(r.email || '') ? h('p', {}, h('a', { href: `mailto:${r.email}` }, r.email)) : null,
      conf.url || conf.phone ? h('p', {}, externalLink(conf.url, t('join.online')), conf.url && conf.phone ? ' · ' : null,
        conf.phone ? t('dialin', { phone: conf.phone }) : null) : null),
    when || weekly.length || hours.text ? section(t(r.kind === 'meeting' ? 'sec.meetings' : 'sec.hours'),
      when ? h('p', { class: 'when' }, when) : null,
      hours.timezone && weekly.length ? h('p', { class: 'hint' }, t('tz.times', { zone: zoneLongName(hours.timezone), name: zoneName(hours.timezone) })) : null,
      weekly.length ? h('ul', { class: 'plain' }, weekly.map((w) =>
        h('li', {}, `${DAY_NAMES[w.day] || w.day}: ${time(w.opens)}–${time(w.closes)}`))) : null,
      !when && !weekly.length ? h('p', {}, hours.text) : null) : null,
    ...termGroupsOf(r, tax).map((g) =>
      section(tax.groups.find((x) => x.group === g)?.label || g, termList(termLabels(r.terms, tax, [g])))),
    // other_services are the source's own words (English): shown as given.
    (r.other_services || []).length ? section(t('sec.also'), termList(r.other_services)) : null,
    section(t('sec.source'), provenanceList(r)),
    section(t('sec.share'),
      h('p', {}, t('permalink'), h('a', { href: `/listing/${encodeURIComponent(r.id)}`, class: 'permalink' }, permalink)),
      toggleButton(r)),
    section(t('sec.report'), reportForm(r.id),
      (r.sources || [r.source]).some((s) => s && s.url) ? h('p', { class: 'hint' }, t('tell.source'),
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
      s.license ? h('p', { class: 'hint' }, t('license', { l: s.license })) : null,
      s.imported_at ? h('p', { class: 'hint' }, t('imported', { date: formatDate(s.imported_at) })) : null))),
    verified ? null : h('p', { class: 'hint' }, t('not.verified.note')),
  ];
}
