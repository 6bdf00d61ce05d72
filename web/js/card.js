// Pieces of a listing shared by the results, the listing page and the referral
// sheet: phones, address and directions, hours, terms, provenance.
import { h, externalLink, formatDate } from './dom.js';
import { weeklyText } from './clock.js';
import { t } from './i18n.js';

const ROLES = ['main', 'intake', 'hotline', 'crisis', 'text', 'tty'];

export function telHref(p) {
  const num = p.e164 || (p.display || '').replace(/[^\d+]/g, '');
  if (!num) return null;
  return `tel:${num}${p.extension ? ';ext=' + String(p.extension).replace(/\D/g, '') : ''}`;
}

export function phoneLinks(phones) {
  const items = (phones || []).map((p) => {
    const label = p.display || p.e164;
    if (!label) return null;
    const ext = p.extension ? t('ext', { ext: p.extension }) : '';
    if (p.role === 'fax') return h('li', {}, `${t('role.fax')} ${label}${ext}`);
    const href = telHref(p);
    const role = ROLES.includes(p.role) ? t(`role.${p.role}`) : p.role ? p.role[0].toUpperCase() + p.role.slice(1) : t('role.main');
    return h('li', {}, href ? h('a', { class: 'call', href }, `${role} ${label}${ext}`) : `${role} ${label}${ext}`);
  }).filter(Boolean);
  return items.length ? h('ul', { class: 'phones' }, items) : null;
}

export function directionsHref(r) {
  // Approximate coordinates (a ZIP or city centre) would send someone to the
  // wrong door: route to the street address instead when there is one.
  const approximate = r.geo_precision && r.geo_precision !== 'exact';
  if (Number.isFinite(r.lat) && Number.isFinite(r.lon) && !(approximate && r.address && r.address.line1)) {
    return `https://www.openstreetmap.org/directions?to=${r.lat.toFixed(5)},${r.lon.toFixed(5)}`;
  }
  const a = addressText(r);
  return a ? `https://www.openstreetmap.org/directions?to=${encodeURIComponent(a)}` : null;
}

export function addressText(r) {
  const a = r.address;
  if (!a) return '';
  return a.formatted || [a.line1, a.line2, a.city, [a.state, a.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}

export function addressBlock(r) {
  const text = addressText(r);
  if (!text) return null;
  const dir = directionsHref(r);
  // A meeting's or clinic's building ("St. Mark's Church") helps find the door.
  const place = r.location_name && r.location_name !== r.organization && r.location_name !== r.name
    ? `${r.location_name}, ` : '';
  return h('p', { class: 'addr' }, h('span', {}, place + text), dir ? ' ' : null,
    dir ? h('a', { href: dir, rel: 'noopener noreferrer', target: '_blank' }, t('directions'),
      h('span', { class: 'vh' }, t('directions.to', { name: r.organization || r.name }))) : null);
}

// Weekly times in words when the source gave them; else its own text.
export function hoursText(hours) {
  if (!hours) return '';
  return weeklyText(hours) || hours.text || '';
}

// How old and how checked a listing is, in one line for cards, the referral
// sheet and copied text: only a person's check is ever called "verified".
export function asOfText(source) {
  if (source?.last_verified) return t('verified', { date: formatDate(source.last_verified) });
  return source?.as_of ? t('asof.unverified', { date: formatDate(source.as_of) }) : t('unverified');
}

export function provenance(source) {
  if (!source) return null;
  const parts = [];
  if (source.last_verified) parts.push(h('strong', {}, t('verified', { date: formatDate(source.last_verified) })), ' · ');
  if (source.as_of) parts.push(t('asof', { date: formatDate(source.as_of) }));
  parts.push(t('source'), externalLink(source.url, source.name) || source.name || t('source.unknown'));
  return h('p', { class: 'prov' }, parts);
}

// Readable labels for a listing's terms, most specific only: "Residential detox",
// not also "Detox", when both are present.
export function termLabels(terms, tax, groups) {
  const out = [];
  for (const g of groups || Object.keys(terms || {})) {
    const codes = (terms && terms[g]) || [];
    for (const c of codes) {
      if (!codes.some((o) => tax.parent[o] === c)) out.push(tax.label[c] || c);
    }
  }
  return out;
}

export function termList(labels) {
  return labels.length ? h('ul', { class: 'terms' }, labels.map((l) => h('li', {}, l))) : null;
}

const APPROXIMATE = { postal_code_centroid: 'approx.zip', city_centroid: 'approx.city' };

// `precision` is the listing's geo_precision: a distance to a ZIP or city
// centre is said to be approximate, never "under 0.1 miles".
export function distanceText(d, precision) {
  if (!Number.isFinite(d)) return '';
  if (APPROXIMATE[precision]) {
    const n = d < 1 ? '1' : d < 10 ? d.toFixed(1) : String(Math.round(d));
    return t(n === '1' ? 'dist.about.one' : 'dist.about', { n, note: t(APPROXIMATE[precision]) });
  }
  return d < 0.1 ? t('dist.under') : t('dist', { n: d < 10 ? d.toFixed(1) : Math.round(d) });
}
