// Every string of the interface in English (Spanish in js/i18n_es.js, loaded
// for a Spanish page only), and the page's language (js/lang.js).
// t(key, {var}) fills {var} placeholders.
import { lang } from './lang.js';

export { detectLang, lang } from './lang.js';

// No DOM access at load, so the e2e test can import the tables.
export const en = {
  'skip.main': 'Skip to main content', 'skip.results': 'Skip to results',
  'crisis.aria': 'Crisis lines', 'crisis.lead': 'Need help now?', 'crisis.988': 'Call or text',
  'crisis.988.more': '', 'crisis.helpline': 'Helpline', 'crisis.911': 'Emergency',
  'nav.aria': 'Main', 'nav.search': 'Search', 'nav.shortlist': 'Shortlist',
  'switch.label': 'Español', 'switch.aria': 'Language',
  'meta.title': 'Carefinder: find addiction treatment and support',
  'meta.description': 'Find detox, treatment and support groups near you. Crisis help: call or text 988.',
  'search.title': 'Find addiction treatment and support',
  'near.label': 'Where?', 'near.hint': 'ZIP code or City, ST', 'near.placeholder': '92374 or Redlands, CA',
  'near.suggested': 'Suggested places', 'locate': 'Use my location',
  'online.link': 'Online meetings', 'online.rest': ': no place needed.',
  'spanish.link': 'Find places where Spanish is spoken',
  'quick.detox': 'Detox: medically supervised withdrawal',
  'quick.detox.help': 'Help to stop alcohol or drugs safely, with medical staff.',
  'kind.legend': 'Show', 'kind.all': 'All', 'kind.treatment': 'Treatment', 'kind.meeting': 'Support groups',
  'when.legend': 'When', 'when.any': 'Any time', 'when.now': 'Open now', 'when.today': 'Today',
  'when.help': 'Meetings by their own time zone, other places by this device\'s clock. Places with unknown hours are left out.',
  'radius.label': 'Within', 'miles': '{n} miles',
  'q.label': 'Name or keyword', 'q.optional': '(optional)', 'search.button': 'Search',
  'filters.summary': 'More filters',
  'filters.hint1': 'In a group, places need ', 'filters.any': 'any one', 'filters.hint2': ' of the ticked choices (Medicaid ',
  'filters.or': 'or', 'filters.hint3': ' sliding fee). Across groups, they need all. Tick ',
  'filters.exclude': 'Exclude', 'filters.hint4': ' to leave a choice out.',
  'filters.loading': 'Loading filters…', 'filters.apply': 'Apply filters', 'filters.clear': 'Clear all filters',
  'filters.failed': 'Filters could not be loaded. Reload the page to try again.',
  'filters.exclude.aria': 'Exclude {label}', 'filters.chosen': '{n} chosen',
  'results.title': 'Results', 'chosen.aria': 'Filters in use', 'load.more': 'Load more',
  'detox.strong': 'Stopping alcohol or benzodiazepines (such as Xanax or Valium) suddenly can be dangerous',
  'detox.rest': ' and can cause seizures. A medically supervised detox or a tapering plan with a doctor is safer. If you have had seizures or hallucinations, call ',
  'detox.end': '.',
  'missing.title': 'Page not found', 'missing.link': 'Search for help near you',
  'footer': 'Carefinder does not track you: no cookies, no analytics, and your shortlist stays on this device. Listings come from public sources and can be out of date, so call before you go.',
  'view.failed': 'This page could not be loaded. Check your connection, then reload.',
  'title.missing': 'Page not found · Carefinder', 'title.near': 'Help near {where} · Carefinder',
  'your.location': 'your location',
  // search status and place input
  'status.noplace': 'Type a ZIP code or a City, ST, or use "Use my location".',
  'status.searching': 'Searching…', 'facet.one': ' result', 'facet.many': ' results',
  'chip.not': 'Not ', 'chip.or': ' or ', 'chip.now': 'Open now', 'chip.today': 'Today, from now',
  'chip.remove': 'Remove {label}', 'chip.remove.ex': 'Remove exclusion of {label}',
  'choices.showing': 'Showing {label}. Did you mean another place?', 'choices.didyoumean': 'Did you mean:',
  'sum.one': '1 place', 'sum.many': '{n} places', 'sum.within': ' within {r} miles of {where}',
  'sum.matching': ' matching “{q}”', 'sum.opennow': ' open now', 'sum.today': ' open or meeting later today',
  'sum.opennow.one': ' open now', 'sum.today.one': ' open or meeting later today',
  'sum.hours.one': ' {n} more nearby place does not list hours and is not shown: call to ask.',
  'sum.hours.many': ' {n} more nearby places do not list hours and are not shown: call to ask.',
  'sum.beyond': ' The nearest matches farther away are below.',
  'sum.unstated': ' Places that do not say whether they offer it are below.',
  'sum.none': 'No places found{when}{words}{where}.{extra}{hours} SAMHSA’s free 24/7 helpline, 1-800-662-4357, can help find one near you.',
  'sum.some': '{what}{when}{words}{where}.{shown}{extra}{hours}', 'sum.shown': ' Showing {n}.',
  'loc.unavailable': 'This browser can\'t share your location here. Type a ZIP code or City, ST instead.',
  'loc.finding': 'Finding your location…', 'loc.using': 'Using your location.',
  'loc.off': 'Location sharing is turned off. Type a ZIP code or City, ST instead.',
  'loc.failed': 'We couldn\'t find your location. Type a ZIP code or City, ST instead.',
  // api.js
  'api.placehint': 'Try a ZIP code (like 92374) or a city and state (like Redlands, CA).',
  'api.unknownplace': 'We don\'t know that place. {hint}',
  'api.unknownterm': 'One of the filters is not one we know. Clear the filters and try again.',
  'api.notfound': 'We could not find that listing. It may have been removed.',
  'api.timeout': 'The search took too long. Try a smaller distance or fewer filters.',
  'api.badplace': 'We could not read that place. {hint}',
  'api.radius': 'Please choose a distance between 0.1 and 500 miles.',
  'api.badid': 'That listing link is not valid.', 'api.invalid': 'Something in the search was not valid.',
  'api.server': 'Something went wrong on our side. Please try again in a moment.',
  'api.offline': 'We could not reach Carefinder. Check your connection and try again.',
  // result cards (result.js, card.js, clock.js)
  'call.helpline': 'Call SAMHSA’s helpline {num}', 'call.nonumber': ' ({title} gives no number)',
  'call.helpline.note': ' This listing gives no number; the helpline is free, 24/7.',
  'call': 'Call ', 'ext': ' ext. {ext}', 'call.shared': ' Shared intake line for {n} listings, not only this place.',
  'fact.medicaid': 'Takes Medicaid', 'fact.meds': 'Medication: {list}', 'fact.more': ' and more',
  'fact.spoken': '{list} spoken', 'facts.aria': 'Key facts', 'unnamed': 'Unnamed listing',
  'kind.online': 'Online meeting', 'kind.group': 'Support group meeting', 'status': 'Status: {s}',
  'unstated': 'Services not stated: call to ask', 'join.online': 'Join online',
  'beyond.title': 'Nearest matches beyond {r} miles',
  'beyond.one': 'Nothing matched within {r} miles. This is the nearest, up to {max} miles away.',
  'beyond.many': 'Nothing matched within {r} miles. These are the {n} nearest, up to {max} miles away.',
  'unstated.title': 'Nearby places that do not say',
  'unstated.one': 'This place does not say whether it offers what you chose: its source lists no services. Call to ask.',
  'unstated.many': 'These places do not say whether they offer what you chose: their source lists no services. Call to ask.',
  'role.main': 'Call', 'role.intake': 'Intake', 'role.hotline': 'Hotline', 'role.crisis': 'Crisis line',
  'role.text': 'Text', 'role.tty': 'TTY', 'role.fax': 'Fax', 'role.phone': 'Phone',
  'directions': 'Directions', 'directions.to': ' to {name} (opens OpenStreetMap)',
  'verified': 'Last verified {date}', 'asof.unverified': 'As of {date} · not verified', 'unverified': 'Not verified',
  'asof': 'As of {date} · ', 'source': 'source ', 'source.unknown': 'unknown',
  'approx.zip': ' (approximate: measured to the ZIP code area)', 'approx.city': ' (approximate: measured to the city centre)',
  'dist.about.one': 'about 1 mile away{note}', 'dist.about': 'about {n} miles away{note}',
  'dist.under': 'under 0.1 miles away', 'dist': '{n} miles away',
  'am': 'AM', 'pm': 'PM', 'day.today': 'today', 'day.tomorrow': 'tomorrow', 'days.short': 'Mon,Tue,Wed,Thu,Fri,Sat,Sun',
  'days.long': 'Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday',
  'tz.yours': '({t} your time)', 'tz.times': 'Times are in {zone} ({name}).',
  'day.legend': 'Day', 'tod.legend': 'Time of day', 'tod.morning': 'Morning', 'tod.afternoon': 'Afternoon',
  'tod.evening': 'Evening', 'tod.night': 'Night',
  'tod.help': 'In the meeting\'s own time zone: morning 5 AM–noon, afternoon noon–5 PM, evening 5–9 PM, night 9 PM–5 AM.',
  'chip.days': 'Days: ', 'chip.times': 'Time of day: ',
  'open24': 'Open 24 hours', 'open24.week': 'Open 24 hours, 7 days', 'midnight': 'midnight',
  'meeting.now': 'Meeting now, until {t}', 'open.now': 'Open now, until {t}',
  'at': '{day} at {t}', 'meeting.next': 'Next meeting {at}', 'closed.opens': 'Closed now, opens {at}',
  'shortlist.add': 'Add to shortlist', 'shortlist.remove': 'Remove from shortlist',
  // failure cards (help.js)
  'help.helpline': 'Call SAMHSA’s helpline 1-800-662-4357',
  'help.helpline.note': ' Free, confidential, 24/7: they can find treatment near you.',
  'help.988': 'Call or text 988', 'help.988.note': ' If you are in crisis or thinking of suicide.',
  'help.beyond': 'The nearest matches, within {r} miles, are listed below.',
  'help.wider': 'Search a larger area ({r} miles)', 'help.noq': 'Search without the keyword',
  'help.anytime': 'Search at any time',
  'help.typeplace': 'Type a ZIP code (like 92374) or a city and state (like Redlands, CA), or use your location.',
  'help.change': 'Change the place', 'help.retry': 'Try again',
  'help.t.none': 'No places found', 'help.t.place': 'We don’t know that place',
  'help.t.server': 'Search is not working right now', 'help.t.offline': 'You seem to be offline',
  'help.x.none': 'Nothing matched this search. A helpline can still find a place for you, by phone.',
  'help.x.place': 'You can still get help now, by phone:',
  'help.x.server': 'Something went wrong on our side. You can still get help now, by phone:',
  'help.x.offline': 'We could not reach Carefinder. Phone calls may still work:',
  // listing page
  'loading': 'Loading…', 'listing.title': 'Listing · Carefinder', 'listing.unavailable': 'Listing not available',
  'back': '← Back to search',
  'inactive': 'Inactive: its sources no longer list this place (it may have closed, moved or been renamed). Call before you go.',
  'sec.contact': 'Contact', 'website': 'Website', 'dialin': 'Dial in {phone}',
  'sec.meetings': 'Meeting times', 'sec.hours': 'Hours', 'sec.also': 'Also listed',
  'sec.source': 'Where this comes from', 'sec.share': 'Share or save', 'permalink': 'Permanent link: ',
  'sec.report': 'Report a problem', 'tell.source': 'You can also tell the source: ',
  'license': 'License: {l}', 'imported': 'Imported {date}',
  'not.verified.note': 'No one has verified this listing in person yet. Call before you go.',
  // report a problem (feedback.js)
  'rp.closed': 'The place has closed', 'rp.name': 'Name', 'rp.address': 'Address', 'rp.phone': 'Wrong phone number',
  'rp.website': 'Website', 'rp.hours': 'Hours or meeting times',
  'rp.services': 'No longer offers a service, or services are wrong', 'rp.payment': 'Payment or insurance',
  'rp.other': 'Something else', 'rp.choose': 'Choose one…', 'rp.example': ' (for example the new phone number)',
  'rp.optional': ' (optional: leave empty if you do not know)', 'rp.send': 'Send report',
  'rp.what': 'What is wrong?', 'rp.right': 'What is right?', 'rp.else': 'Anything else? ', 'rp.opt': '(optional)',
  'rp.need.field': 'Please choose what is wrong.', 'rp.need.right': 'Please say what is right.', 'rp.sending': 'Sending…',
  'rp.thanks': 'Thank you. Your report was sent to the people who keep this directory up to date.',
  'rp.busy': 'Too many reports are arriving right now. Please try again later.',
  'rp.check': 'Please check this: {detail}.', 'rp.failed': 'The report could not be sent. Please try again later.',
  'rp.intro': 'Tell us what is wrong with this listing. Please do not include your name, phone number or anything else about you: we do not need it.',
  // referral sheet (referral.js)
  'ref.title': 'Referral sheet · Carefinder', 'ref.h1': 'Referral sheet',
  'ref.988': 'Suicide & Crisis Lifeline (call or text)', 'ref.helpline': 'SAMHSA National Helpline (free, confidential, 24/7)',
  'ref.911': 'Emergency', 'ref.prepared': 'Prepared {date} with Carefinder',
  'ref.local': 'Your shortlist is kept only in this browser. Nothing here is sent to Carefinder.',
  'ref.shared': 'This list was shared with you. ', 'ref.saved': 'Saved to your shortlist.', 'ref.save': 'Save to my shortlist',
  'ref.print': 'Print', 'ref.copy': 'Copy as text', 'ref.copied': 'Copied. You can paste it into a message or a note.',
  'ref.copylink': 'Copy share link', 'ref.linkcopied': 'Link copied. It lists these places only; nothing else about you.',
  'ref.compare': 'Compare side by side', 'ref.clear': 'Clear shortlist',
  'ref.notes': 'Notes for the person (optional, printed, not saved)',
  'ref.empty': 'Your shortlist is empty. Search, then choose "Add to shortlist" on the places you want to refer to. ',
  'ref.start': 'Start a search', 'ref.now': 'If you need help right now', 'ref.now.text': 'If you need help right now:',
  'ref.meets': 'Meets', 'ref.hours': 'Hours', 'ref.source': ' · source {name}', 'ref.remove': 'Remove',
  'ref.text.title': 'Referral sheet ({date})', 'ref.callfirst': '{asof}: call before you go',
  'ref.blocked': 'Copying was blocked. Select the text below and copy it.', 'ref.totext': 'Text to copy',
  // compare
  'cmp.title': 'Compare · Carefinder', 'cmp.back': '← Back to the referral sheet',
  'cmp.need2': 'Add at least two places to your shortlist to compare them. ', 'cmp.choose2': 'Choose at least two places to compare.',
  'cmp.upto': 'Compare (up to {n})', 'cmp.phone': 'Phone', 'cmp.address': 'Address', 'cmp.hours': 'Hours',
  'cmp.online': 'Online', 'cmp.unknown': 'Not known', 'cmp.asof': 'As of', 'cmp.table': 'Comparison table, scrolls sideways',
};

// Spanish only when the page is Spanish (or when there is no page: the tests
// read both tables).
export const es = lang === 'es' || typeof location === 'undefined' ? (await import('./i18n_es.js')).es : {};
const TABLES = { en, es };
export const locale = lang === 'es' ? 'es-US' : 'en-US';

export function t(key, vars = {}) {
  const text = TABLES[lang][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

// A same-origin URL with the page's `lang` carried on when the current URL
// has one (a shared link keeps the language it was chosen in).
export function withLang(url) {
  const asked = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('lang');
  if (!asked) return url;
  const u = new URL(url, location.origin);
  if (!u.searchParams.has('lang')) u.searchParams.set('lang', asked);
  return u.pathname + u.search + u.hash;
}

// A link to share outside the page (permalink, referral sheet): Spanish stays Spanish.
export const shareUrl = (path) => (lang === 'es' ? withLangParam(path) : path);
function withLangParam(path) {
  const [base, hash] = path.split('#');
  return `${base}${base.includes('?') ? '&' : '?'}lang=es${hash === undefined ? '' : '#' + hash}`;
}

// Fills [data-i18n] elements' text and [data-i18n-attr="attr:key ..."] attributes.
export function translateStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(' ')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key));
    }
  }
}
