// A search result card shows the decision only: name, distance, one Call
// action, type of care, at most three key facts and how old the data is;
// everything else is on the listing page. Also the groups after the matches.
import { h, externalLink } from './dom.js';
import { addressBlock, distanceText, termLabels, asOfText, telHref } from './card.js';
import { whenText } from './clock.js';
import { toggleButton } from './shortlist.js';
import { t } from './i18n.js';

// The call action (docs/API.md `call`): the listing's number, or SAMHSA's
// helpline when it has none. The link is named with the place, so a list of
// "Call" links makes sense out of context (screen reader link lists).
export function callBlock(r, title) {
  const call = r.call || {};
  const href = telHref(call);
  if (!href) return null;
  const ext = call.extension ? t('ext', { ext: call.extension }) : '';
  if (call.helpline) {
    return h('p', { class: 'phones' }, h('a', { class: 'call', href }, t('call.helpline', { num: call.display }),
      h('span', { class: 'vh' }, t('call.nonumber', { title }))), h('span', { class: 'note' }, t('call.helpline.note')));
  }
  return h('p', { class: 'phones' },
    // Hidden words, not aria-label: the visible text stays part of the name.
    h('a', { class: 'call', href }, t('call'), h('span', { class: 'vh' }, `${title}, `), `${call.display}${ext}`),
    call.shared_by ? h('span', { class: 'note shared' }, t('call.shared', { n: call.shared_by })) : null);
}

// At most three facts that decide a call: Medicaid, medication, language.
export function keyFacts(r, tax) {
  const terms = r.terms || {};
  const facts = [];
  if ((terms.payment || []).includes('medicaid')) facts.push(t('fact.medicaid'));
  const meds = termLabels({ medication: terms.medication || [] }, tax, ['medication']);
  if (meds.length) facts.push(t('fact.meds', { list: meds.slice(0, 2).join(', ') + (meds.length > 2 ? t('fact.more') : '') }));
  const langs = (terms.language || []).filter((c) => c !== 'en').map((c) => (tax.label[c] || c).replace(/ \(.*\)$/, ''));
  if (langs.length) facts.push(t('fact.spoken', { list: langs.slice(0, 2).join(', ') }));
  return facts.slice(0, 3);
}

const onlineOnly = (r) => {
  const a = r.terms?.attendance || [];
  return a.includes('online') && !a.includes('in-person') && !a.includes('hybrid');
};

export function resultItem(r, tax, unstated = false) {
  const title = r.organization || r.name || t('unnamed');
  const sub = r.name && r.name !== title ? r.name : null;
  const kindLabel = r.kind === 'meeting' ? t(onlineOnly(r) ? 'kind.online' : 'kind.group') : null;
  const meta = [distanceText(r.distance_miles, r.geo_precision), kindLabel,
    r.status && r.status !== 'active' ? t('status', { s: r.status }) : null].filter(Boolean).join(' · ');
  const care = termLabels(r.terms, tax, r.kind === 'meeting' ? ['support'] : ['care']).slice(0, 3);
  const facts = keyFacts(r, tax);
  const when = whenText(r);
  const verified = Boolean(r.source?.last_verified);
  return h('li', { class: 'card' },
    h('h3', {}, h('a', { href: `/listing/${encodeURIComponent(r.id)}` }, title)),
    sub ? h('p', { class: 'sub' }, sub) : null,
    meta ? h('p', { class: 'meta' }, meta) : null,
    onlineOnly(r) ? null : addressBlock(r),
    unstated ? h('p', { class: 'unstated' }, t('unstated')) : null,
    callBlock(r, title),
    externalLink(r.conference?.url, h('span', {}, t('join.online'), h('span', { class: 'vh' }, `: ${title}`))),
    when ? h('p', { class: 'when' }, when) : null,
    care.length ? h('p', { class: 'care' }, care.join(' · ')) : null,
    facts.length ? h('ul', { class: 'terms facts', 'aria-label': t('facts.aria') }, facts.map((f) => h('li', {}, f))) : null,
    h('p', { class: 'prov' }, verified ? h('strong', {}, asOfText(r.source)) : asOfText(r.source)),
    toggleButton(r));
}

// Help after the matches (docs/API.md): the nearest matches beyond the
// radius when none is inside it, and nearby places whose source does not say
// whether they offer what was asked (never ones whose source says no).
export function moreHelp(data, tax) {
  const out = [];
  const heading = (title, text) => h('li', { class: 'group-note' }, h('h3', {}, title), h('p', {}, text));
  const far = data.beyond?.results || [];
  if (far.length) {
    const max = Math.round(Math.max(...far.map((r) => r.distance_miles || 0)));
    out.push(heading(t('beyond.title', { r: data.radius_miles }),
      t(far.length === 1 ? 'beyond.one' : 'beyond.many', { r: data.radius_miles, n: far.length, max })));
    out.push(...far.map((r) => resultItem(r, tax)));
  }
  const unstated = data.not_stated?.results || [];
  if (unstated.length) {
    out.push(heading(t('unstated.title'), t(unstated.length === 1 ? 'unstated.one' : 'unstated.many')));
    out.push(...unstated.map((r) => resultItem(r, tax, true)));
  }
  return out;
}
