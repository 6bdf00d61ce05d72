// The JSON API (docs/API.md), same origin only. Errors become ApiError with a
// message written for a person, not a developer.

export class ApiError extends Error {
  constructor(message, problem) { super(message); this.problem = problem || {}; }
}

const PLACE_HINT = 'Try a ZIP code (like 92374) or a city and state (like Redlands, CA).';

export function plainMessage(p) {
  const type = String(p.type || '').split('/').pop();
  switch (type) {
    case 'unknown-place': return `We don't know that place. ${PLACE_HINT}`;
    case 'unknown-term': return 'One of the filters is not one we know. Clear the filters and try again.';
    case 'not-found': return 'We could not find that listing. It may have been removed.';
    case 'timeout': return 'The search took too long. Try a smaller distance or fewer filters.';
    case 'invalid-parameter':
      if (p.param === 'near' || p.param === 'lat' || p.param === 'lon') return `We could not read that place. ${PLACE_HINT}`;
      if (p.param === 'radius') return 'Please choose a distance between 0.1 and 500 miles.';
      if (p.param === 'id') return 'That listing link is not valid.';
      return `Something in the search was not valid${p.detail ? ': ' + p.detail : ''}.`;
    default:
      return 'Something went wrong on our side. Please try again in a moment.';
  }
}

export async function getJSON(path, params) {
  const qs = params && params.toString();
  let res;
  try {
    res = await fetch(qs ? `${path}?${qs}` : path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    const e = new ApiError('We could not reach Carefinder. Check your connection and try again.');
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
  taxonomyPromise ??= getJSON('/api/v1/taxonomy').then((t) => {
    const label = {}, group = {}, parent = {};
    for (const g of t.groups) for (const term of g.terms) {
      label[term.code] = term.label; group[term.code] = g.group; parent[term.code] = term.parent;
    }
    return { groups: t.groups, label, group, parent };
  }).catch((e) => { taxonomyPromise = null; throw e; });
  return taxonomyPromise;
}
