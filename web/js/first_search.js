// Cold start (docs/PERFORMANCE.md): the search a link asks for goes out as
// soon as this module and state.js have arrived, beside the page's other
// modules instead of after all of them have run. getJSON (api.js) takes the
// answer when it asks for the same URL; an answer nobody asks for (the clock
// moved on, the person searched again) is dropped.
import { readState, apiParams, hasSearch, groupsInUrl } from './state.js';
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

// The answer the server put inside the page (src/api/first_answer.h), as
// the response to the URL it answers; null when there is none. The server
// marks the <html> element when one follows, so this waits for the parser
// to reach it (it is at the end of <head>), not for the page's scripts.
async function embeddedAnswer() {
  if (!document.documentElement.hasAttribute('data-first-answer')) return null;
  let el = document.getElementById('first-answer');
  if (!el && document.readyState === 'loading') {
    await new Promise((done) => document.addEventListener('readystatechange', done, { once: true }));
    el = document.getElementById('first-answer');
  }
  if (!el) return null;
  const answer = new Response(el.textContent, { status: Number(el.dataset.status),
    headers: { 'Content-Type': el.dataset.type } });
  return { url: el.dataset.url, answer };
}

const s = readState(location.search, groupsInUrl(location.search));
const searching = location.pathname === '/' && hasSearch(s);
const embedded = searching ? await embeddedAnswer() : null;
if (embedded) early.set(embedded.url, Promise.resolve(embedded.answer));
else if (searching) fetchEarly(`/api/v1/search?${apiParams(s)}`);

// A Spanish page's strings (js/i18n_es.js) and its taxonomy labels are asked
// for now too, not once i18n.js has arrived, unless the server made the
// page Spanish and preloads them already.
const preloaded = (href) => document.querySelector(`link[href="${href}"]`);
if (lang === 'es') {
  if (!preloaded('/js/i18n_es.js')) {
    document.head.append(Object.assign(document.createElement('link'), { rel: 'modulepreload', href: '/js/i18n_es.js' }));
  }
  if (searching && !preloaded('/api/v1/taxonomy?lang=es')) fetchEarly('/api/v1/taxonomy?lang=es');
}
