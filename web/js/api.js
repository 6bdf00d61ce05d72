// The JSON API (docs/API.md), same origin only. Errors become ApiError with a
// message written for a person, not a developer.
import { lang, t } from './i18n.js';
import { FETCH_OPTIONS, takeEarly } from './first_search.js';

export class ApiError extends Error {
  constructor(message, problem) { super(message); this.problem = problem || {}; }
}


export function plainMessage(p) {
  const type = String(p.type || '').split('/').pop();
  switch (type) {
    case 'unknown-place': return t('api.unknownplace', { hint: t('api.placehint') });
    case 'unknown-term': return t('api.unknownterm');
    case 'not-found': return t('api.notfound');
    case 'timeout': return t('api.timeout');
    case 'invalid-parameter':
      if (p.param === 'near' || p.param === 'lat' || p.param === 'lon') return t('api.badplace', { hint: t('api.placehint') });
      if (p.param === 'radius') return t('api.radius');
      if (p.param === 'id') return t('api.badid');
      // The server's detail is in English: it names the parameter and value.
      return `${t('api.invalid').replace(/\.$/, '')}${p.detail ? ': ' + p.detail : ''}.`;
    default:
      return t('api.server');
  }
}

export async function getJSON(path, params) {
  const qs = params && params.toString();
  const url = qs ? `${path}?${qs}` : path;
  let res;
  try {
    res = await (takeEarly(url) ?? fetch(url, FETCH_OPTIONS));
  } catch {
    const e = new ApiError(t('api.offline'));
    e.offline = true;
    throw e;
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok || !body) throw new ApiError(plainMessage(body || { status: res.status }), body || { status: res.status });
  return body;
}

let taxonomyPromise = null;
// {groups: [...], label: code -> label, group: code -> group, parent: code -> parent}
export function taxonomy() {
  taxonomyPromise ??= getJSON('/api/v1/taxonomy', lang === 'es' ? new URLSearchParams({ lang }) : null).then((t) => {
    const label = {}, group = {}, parent = {};
    for (const g of t.groups) for (const term of g.terms) {
      label[term.code] = term.label; group[term.code] = g.group; parent[term.code] = term.parent;
    }
    return { groups: t.groups, label, group, parent };
  }).catch((e) => { taxonomyPromise = null; throw e; });
  return taxonomyPromise;
}

let groupsPromise = null;
// The filter groups' names, in order: the API's one list (src/core/taxonomy.h,
// the `groups` of /api/v1/taxonomy), never a copy here: the page's own
// language's taxonomy (the one the server preloads, src/api/first_answer.h).
export function termGroups() {
  groupsPromise ??= taxonomy().then((t) => t.groups.map((g) => g.group))
    .catch((e) => { groupsPromise = null; throw e; });
  return groupsPromise;
}
