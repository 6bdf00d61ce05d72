// The search view: form <-> URL (place, kind and when choices, filter groups
// from the taxonomy), the filters in use as removable chips, results with
// facet counts, hours or next meeting time, and "Load more".
import { h, clear, externalLink } from './dom.js';
import { getJSON, taxonomy } from './api.js';
import { GROUPS, DAYS, readState, toParams, apiParams, hasSearch, isDetoxSearch } from './state.js';
import { resultItem, moreHelp } from './result.js';
import { t, withLang } from './i18n.js';

const $ = (id) => document.getElementById(id);
const form = $('search-form'), near = $('near'), q = $('q'), radius = $('radius');
const quickDetox = $('quick-detox'), statusEl = $('result-status'), list = $('results');
const more = $('load-more'), note = $('detox-note'), groupsEl = $('filter-groups'), chosen = $('chosen');
const helpBox = $('search-help'), skipResults = $('skip-results');
// The kind and when radios; kind is also a filter group of the API.
const radios = (name) => [...form.querySelectorAll(`input[name=${name}]`)];
const radioValue = (name) => radios(name).find((r) => r.checked)?.value || '';
const checkedValues = (name) => radios(name).filter((r) => r.checked).map((r) => r.value);
const setChecked = (name, values) => radios(name).forEach((r) => { r.checked = values.includes(r.value); });
const setRadio = (name, v) => radios(name).forEach((r) => { r.checked = r.value === v; });
const FILTER_GROUPS = GROUPS.filter((g) => g !== 'kind');

let navigate = null;   // (url) => void, from the router
let tax = null;
let seq = 0;           // only the latest request may paint
let nextCursor = null, currentParams = null, lastSubmit = false;
let places = null;     // the place combobox

// What only typing a place, a result or a failure needs loads beside the first
// search, not before it: fewer requests before the search can go out
// (docs/PERFORMANCE.md, "Cold start"). Asked for at start, so a search made
// offline later still has its help card.
let later = null;
let firstRunDone;
const firstRun = new Promise((resolve) => { firstRunDone = resolve; });
const lazy = () => (later ??= Promise.all([import('./help.js'), import('./place_choices.js'), import('./places.js')])
  .then(([help, choices, combo]) => ({ ...help, ...choices, ...combo }))
  .catch((e) => { later = null; throw e; }));

export function initSearch(nav) {
  navigate = nav;
  form.addEventListener('submit', onSubmit);
  $('locate').addEventListener('click', locate);
  $('clear-filters').addEventListener('click', () => { setFilters(readState('').filters); updateCounts(); });
  quickDetox.addEventListener('change', () => { const c = box('care', 'detox', 'in'); if (c) c.checked = quickDetox.checked; updateCounts(); });
  more.addEventListener('click', () => run(currentParams, nextCursor));
  // The place box's suggestions, help cards and place choices: after the
  // first results when a link asks for a search (their bytes would slow it
  // on a slow phone), at once otherwise; asked for early either way, so a
  // search made offline later still gets its help card.
  const helpers = () => lazy().then((m) => { places = m.placeCombobox(near, $('place-list')); }).catch(() => {});
  if (hasSearch(readState(location.search))) firstRun.then(helpers); else helpers();
  chosen.addEventListener('click', removeChosen);
  // In-page, not a fragment: a #hash would be a history entry the router re-runs.
  skipResults.addEventListener('click', (e) => { e.preventDefault(); statusEl.focus(); });
  if (matchMedia('(min-width: 60em)').matches) $('filters').open = true;
  const short = t('days.short').split(',');
  radios('day').forEach((r, i) => { r.nextElementSibling.textContent = short[i]; });
  form.addEventListener('change', (e) => { if (['kind', 'day', 'time'].includes(e.target.name)) showPicks(); });
  taxonomy().then((t) => {
    tax = t;
    buildFilters();
    const detox = quickDetox.checked;   // may have been ticked before the filters arrived
    setFilters(readState(location.search).filters);
    if (detox && !quickDetox.checked) { quickDetox.checked = true; quickDetox.dispatchEvent(new Event('change')); }
  })
    .catch(() => { clear(groupsEl).append(h('p', { class: 'hint' }, t('filters.failed'))); });
}

export async function showSearch() {
  const s = readState(location.search);
  near.value = s.near; q.value = s.q;
  if (![...radius.options].some((o) => o.value === s.radius)) radius.add(new Option(t('miles', { n: s.radius }), s.radius));
  radius.value = s.radius;
  setFilters(s.filters);
  const kinds = [...s.filters.kind].filter(([, how]) => how === 'in');
  setRadio('kind', kinds.length === 1 ? kinds[0][0] : '');
  setRadio('when', s.when);
  setChecked('day', s.days); setChecked('time', s.times);
  showPicks();
  // A "near me" position is said as "your location", never as coordinates.
  const where = /^-?\d+(\.\d+)?\s*,\s*-?\d/.test(s.near) ? t('your.location') : s.near;
  document.title = where ? t('title.near', { where }) : t('meta.title');
  spanishLink(s);
  if (!hasSearch(s)) { resetResults(); return; }
  note.hidden = !isDetoxSearch(s);
  // The search goes out at once, beside the taxonomy (not after it): the
  // chips get their labels when it arrives.
  showChosen(s);
  const shown = location.search;
  if (!tax) taxonomy().then((x) => { tax ??= x; if (location.search === shown) showChosen(s); }).catch(() => {});
  await run(apiParams(s), null);
}

function onSubmit(e) {
  e.preventDefault();
  const s = formState();
  if (!hasSearch(s)) {
    resetResults();
    showStatus(t('status.noplace'), true);
    near.focus();
    return;
  }
  lastSubmit = true;
  places?.close();
  const url = withLang('/?' + toParams(s).toString());
  if (url === location.pathname + location.search) showSearch(); else navigate(url);
}

function formState() {
  const s = readState(location.pathname === '/' ? location.search : '');
  s.near = near.value.trim(); s.q = q.value.trim(); s.radius = radius.value;
  for (const g of FILTER_GROUPS) s.filters[g] = new Map();
  for (const el of groupsEl.querySelectorAll('input:checked')) s.filters[el.dataset.group].set(el.dataset.code, el.dataset.how);
  if (!tax && quickDetox.checked) s.filters.care.set('detox', 'in');   // filters not loaded yet
  s.filters.kind = new Map(radioValue('kind') ? [[radioValue('kind'), 'in']] : []);
  s.when = radioValue('when');
  s.days = checkedValues('day'); s.times = checkedValues('time');
  return s;
}

// The weekday and time-of-day picks are for meetings: shown with "Support
// groups", or while one is ticked (so it can be unticked).
function showPicks() {
  const show = radioValue('kind') === 'meeting' || checkedValues('day').length > 0 || checkedValues('time').length > 0;
  $('day-pick').hidden = $('time-pick').hidden = !show;
}

// ---- filters ----------------------------------------------------------------

const box = (g, c, how) => document.getElementById(`f-${how}-${g}-${c}`);

function buildFilters() {
  clear(groupsEl);
  for (const g of FILTER_GROUPS) {
    const group = tax.groups.find((x) => x.group === g);
    if (!group) continue;
    const items = group.terms.map((t) => termRow(g, t));
    const count = h('span', { class: 'badge', hidden: true });
    count.dataset.countFor = g;
    groupsEl.append(h('details', { class: 'group', open: g === 'care' },
      h('summary', {}, group.label, ' ', count),
      h('fieldset', {}, h('legend', { class: 'vh' }, group.label), h('ul', { class: 'terms-pick' }, items))));
  }
  groupsEl.addEventListener('change', (e) => {
    const el = e.target;
    if (!el.dataset.how) return;
    if (el.checked) { const other = box(el.dataset.group, el.dataset.code, el.dataset.how === 'in' ? 'ex' : 'in'); if (other) other.checked = false; }
    if (el.dataset.group === 'care' && el.dataset.code === 'detox') quickDetox.checked = box('care', 'detox', 'in').checked;
    updateCounts();
  });
}

function termRow(g, term) {
  const id = `f-in-${g}-${term.code}`, helpId = `help-${g}-${term.code}`;
  const inc = h('input', { type: 'checkbox', id, 'aria-describedby': term.explanation && g !== 'language' ? helpId : null });
  const exc = h('input', { type: 'checkbox', id: `f-ex-${g}-${term.code}`, 'aria-label': t('filters.exclude.aria', { label: term.label }) });
  for (const [el, how] of [[inc, 'in'], [exc, 'ex']]) Object.assign(el.dataset, { group: g, code: term.code, how });
  const facet = h('span', { class: 'facet' });
  facet.dataset.facet = `${g}:${term.code}`;
  return h('li', { class: term.parent ? 'child' : null },
    h('div', { class: 'term-row' }, inc, h('label', { for: id }, term.label, facet),
      h('label', { class: 'exclude' }, exc, t('filters.exclude'))),
    term.explanation && g !== 'language' ? h('p', { class: 'hint', id: helpId }, term.explanation) : null);
}

function setFilters(filters) {
  for (const el of groupsEl.querySelectorAll('input[type=checkbox]')) {
    el.checked = filters[el.dataset.group]?.get(el.dataset.code) === el.dataset.how;
  }
  quickDetox.checked = filters.care.get('detox') === 'in';
  updateCounts();
}

function updateCounts() {
  let total = 0;
  for (const badge of groupsEl.querySelectorAll('[data-count-for]')) {
    const n = groupsEl.querySelectorAll(`input[data-group="${badge.dataset.countFor}"]:checked`).length;
    total += n;
    badge.hidden = !n; badge.textContent = n ? t('filters.chosen', { n }) : '';
  }
  const fc = $('filter-count');
  fc.hidden = !total; fc.textContent = total ? t('filters.chosen', { n: total }) : '';
}

function showFacets(facets) {
  for (const el of groupsEl.querySelectorAll('[data-facet]')) {
    const [g, c] = el.dataset.facet.split(':');
    const n = facets && facets[g] ? facets[g][c] || 0 : null;
    clear(el);
    if (n !== null) el.append(h('span', { class: 'vh' }, ', '), String(n), h('span', { class: 'vh' }, t(n === 1 ? 'facet.one' : 'facet.many')));
    el.classList.toggle('zero', n === 0);
  }
}

// ---- results ----------------------------------------------------------------

function resetResults() {
  seq++;
  clear(list); more.hidden = true; note.hidden = true; showStatus(''); clear(helpBox); helpBox.hidden = true; skipResults.hidden = true;
  showFacets(null); showChosen(null);
}

// The filters in use, in words ("Payment: Medicaid or Medicare"), each
// with a button that removes it and searches again.
function showChosen(s) {
  clear(chosen);
  const label = (c) => (tax && tax.label[c]) || c;
  for (const g of s ? GROUPS : []) {
    const codes = [...s.filters[g]];
    const inc = codes.filter(([, how]) => how === 'in'), exc = codes.filter(([, how]) => how === 'ex');
    const title = tax?.groups.find((x) => x.group === g)?.label || g;
    if (inc.length) chosen.append(chip(g, inc, `${title}: `, t('chip.or')));
    if (exc.length) chosen.append(chip(g, exc, t('chip.not'), ', '));
  }
  if (s && s.when) {
    const l = t(s.when === 'now' ? 'chip.now' : 'chip.today');
    chosen.append(h('li', {}, l, x({ when: s.when }, l)));
  }
  const short = t('days.short').split(','), long = t('days.long').split(',');
  if (s?.days.length) chosen.append(h('li', {}, t('chip.days'), s.days.map((d, i) => [i ? t('chip.or') : '',
    short[DAYS.indexOf(d)], x({ day: d }, long[DAYS.indexOf(d)])])));
  if (s?.times.length) chosen.append(h('li', {}, t('chip.times'), s.times.map((v, i) => [i ? t('chip.or') : '',
    t(`tod.${v}`), x({ time: v }, t(`tod.${v}`))])));
  chosen.hidden = !chosen.firstChild;

  // The remove button of a time chip: data-when, data-day or data-time says what it removes.
  function x(what, l) {
    const [k, v] = Object.entries(what)[0];
    return h('button', { type: 'button', class: 'x', [`data-${k}`]: v, 'aria-label': t('chip.remove', { label: l }) }, '×');
  }

  function chip(g, codes, lead, join) {
    return h('li', {}, lead, codes.map(([c, how], i) => [i ? join : '', label(c),
      h('button', { type: 'button', class: 'x', 'data-group': g, 'data-code': c, 'aria-label': t(how === 'ex' ? 'chip.remove.ex' : 'chip.remove', { label: label(c) }) }, '×')]));
  }
}

function removeChosen(e) {
  const b = e.target.closest('button.x');
  if (!b) return;
  const s = readState(location.search);
  if (b.dataset.group) s.filters[b.dataset.group].delete(b.dataset.code);
  else if (b.dataset.when) s.when = '';
  else if (b.dataset.day) s.days = s.days.filter((d) => d !== b.dataset.day);
  else if (b.dataset.time) s.times = s.times.filter((v) => v !== b.dataset.time);
  navigate('/?' + toParams(s).toString());
}

function showStatus(text, error = false) {
  statusEl.textContent = text;
  statusEl.classList.toggle('error', error);
}

async function run(params, cursor) {
  const mine = ++seq;
  const p = new URLSearchParams(params);
  if (cursor) p.set('cursor', cursor);
  currentParams = params;
  list.setAttribute('aria-busy', 'true');
  if (!cursor) showStatus(t('status.searching'));
  more.disabled = true;
  try {
    // Results are shown as soon as they and the taxonomy (their labels) are
    // here; place choices and the help card wait for their modules, except
    // when there is nothing else to show (cold start, docs/PERFORMANCE.md).
    const [data] = await Promise.all([getJSON('/api/v1/search', p), taxonomy().catch(() => null)]);
    if (mine !== seq) return;
    tax ??= await taxonomy().catch(() => ({ groups: [], label: {}, group: {}, parent: {} }));
    if (!data.results.length) await lazy();
    if (mine !== seq) return;
    if (!cursor) { clear(list); showFacets(data.facets); }
    const items = data.results.map((r) => resultItem(r, tax));
    list.append(...items);
    if (!cursor) list.append(...moreHelp(data, tax));
    nextCursor = data.next_cursor;
    more.hidden = !nextCursor;
    showStatus(summary(data, params));
    skipResults.hidden = !list.firstChild;
    if (cursor && items[0]) items[0].querySelector('h3 a').focus();
    else revealOnPhone();
    if (!cursor) {
      const m = await lazy();
      if (mine !== seq) return;
      placeChoices(m, data.location?.alternatives, data.location);
      m.showHelp(helpBox, data.results.length ? null : 'no-results', { data });
    }
  } catch (e) {
    if (mine !== seq) return;
    const m = await lazy().catch(() => null);
    if (mine !== seq) return;
    if (!cursor) { clear(list); showFacets(null); placeChoices(m, e.problem?.suggestions); }
    more.hidden = true;
    showStatus(e.message || String(e), true);
    revealOnPhone();
    if (!cursor && m) { skipResults.hidden = true; m.showHelp(helpBox, m.failureKind(e), { retry: () => run(params, null) }); }
  } finally {
    if (mine === seq) { list.removeAttribute('aria-busy'); more.disabled = false; lastSubmit = false; }
    firstRunDone();
  }
}

// alternatives (with the chosen place) after a search, or a problem's suggestions.
function placeChoices(m, choices, chosenPlace) {
  if (!m) return;
  const intro = chosenPlace ? t('choices.showing', { label: chosenPlace.label }) : t('choices.didyoumean');
  m.showPlaceChoices($('place-choices'), intro, (choices || []).filter((c) => c.near), (v) => {
    const s = readState(location.search);
    s.near = near.value = v;
    navigate('/?' + toParams(s).toString());
  });
}

// On a phone the results sit below the form: after a submit, fold the filters
// away and bring the answer (or the error) into view.
function revealOnPhone() {
  if (!lastSubmit || !matchMedia('(max-width: 59.99em)').matches) return;
  $('filters').open = false;
  $('results-section').scrollIntoView();
}

function summary(data, params) {
  const n = data.total ?? data.results.length;
  const loc = data.location;
  const place = loc && (loc.kind === 'latlon' || /^-?\d/.test(loc.query || '') && loc.query.includes(',') ? t('your.location') : loc.label || loc.query);
  const hu = data.hours_unknown;
  // Many listings (SAMHSA's locator files) record no services, so a filtered
  // search can miss a place that offers them: say so, and who can help.
  const parts = {
    what: n === 1 ? t('sum.one') : t('sum.many', { n }),
    where: loc ? t('sum.within', { r: data.radius_miles ?? params.get('radius') ?? 25, where: place }) : '',
    words: params.get('q') ? t('sum.matching', { q: params.get('q') }) : '',
    when: params.get('open_now') ? t(n === 1 ? 'sum.opennow.one' : 'sum.opennow') : params.get('now') ? t(n === 1 ? 'sum.today.one' : 'sum.today') : '',
    hours: hu ? t(hu === 1 ? 'sum.hours.one' : 'sum.hours.many', { n: hu }) : '',
    extra: (data.beyond?.results.length ? t('sum.beyond') : '') + (data.not_stated?.results.length ? t('sum.unstated') : ''),
    shown: data.results.length < n ? t('sum.shown', { n: data.results.length }) : '',
  };
  return t(n ? 'sum.some' : 'sum.none', parts);
}

// "Find places where Spanish is spoken": this search with language=es ticked.
function spanishLink(s) {
  const p = toParams({ ...s, filters: { ...s.filters, language: new Map([['es', 'in']]) } });
  $('spanish-spoken').querySelector('a').href = withLang('/?' + p.toString());
  $('spanish-spoken').hidden = s.filters.language.get('es') === 'in';
}

// ---- place input ------------------------------------------------------------

function locate() {
  const st = $('locate-status');
  if (!navigator.geolocation || !window.isSecureContext) {
    st.textContent = t('loc.unavailable');
    return;
  }
  st.textContent = t('loc.finding');
  navigator.geolocation.getCurrentPosition((pos) => {
    st.textContent = t('loc.using');
    // About 1 km (2 decimals) is enough to find help nearby; the exact
    // position never reaches the box, the URL, the title or the server.
    near.value = `${pos.coords.latitude.toFixed(2)},${pos.coords.longitude.toFixed(2)}`;
    form.requestSubmit();
  }, (err) => {
    st.textContent = t(err.code === 1 ? 'loc.off' : 'loc.failed');
  }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
}
