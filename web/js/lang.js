// The page's language: `lang=es|en` in the URL wins (a shared link keeps
// it), else the browser's first language. Its own module, importing nothing,
// so js/first_search.js can ask for the Spanish strings before the rest.

// 'es' | 'en': the URL's lang, else the browser's first language.
export function detectLang(search, languages) {
  const asked = new URLSearchParams(search).get('lang');
  if (asked === 'es' || asked === 'en') return asked;
  return /^es\b/i.test((languages || [])[0] || '') ? 'es' : 'en';
}

export const lang = typeof location === 'undefined' ? 'en'
  : detectLang(location.search, navigator.languages || [navigator.language]);
