// Cold start (docs/PERFORMANCE.md): the search a link asks for goes out as
// soon as this module and state.js have arrived, beside the page's other
// modules instead of after all of them have run. getJSON (api.js) takes the
// answer when it asks for the same URL; an answer nobody asks for (the clock
// moved on, the person searched again) is dropped.
import { readState, apiParams, hasSearch } from './state.js';
import { lang } from './lang.js';

const early = new Map();

export const FETCH_OPTIONS = { headers: { Accept: 'application/json' }, credentials: 'same-origin' };

// The response promise fetched early for `url`, once; undefined otherwise.
export function takeEarly(url) {
  const answer = early.get(url);
  early.delete(url);
  return answer;
}

function fetchEarly(url) {
  const answer = fetch(url, FETCH_OPTIONS);
  answer.catch(() => {});  // a failure is reported when getJSON takes it
  early.set(url, answer);
}

const s = readState(location.search);
const searching = location.pathname === '/' && hasSearch(s);
if (searching) fetchEarly(`/api/v1/search?${apiParams(s)}`);

// A Spanish page's strings (js/i18n_es.js) and its taxonomy labels are asked
// for now too, not once i18n.js has arrived (index.html preloads the English
// taxonomy only).
if (lang === 'es') {
  document.head.append(Object.assign(document.createElement('link'), { rel: 'modulepreload', href: '/js/i18n_es.js' }));
  if (searching) fetchEarly('/api/v1/taxonomy?lang=es');
}
