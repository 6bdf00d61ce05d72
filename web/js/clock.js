// Weekly hours and meeting times against this device's clock. Listings keep
// local wall-clock times with no time zone, so the searcher's local day and
// time stand in for the listing's (docs/API.md, "Weekly times").
import { t } from './i18n.js';

const CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const SHORT = t('days.short').split(',');
export const DAY_NAMES = Object.fromEntries(t('days.long').split(',').map((d, i) => [CODES[i], d]));
const DAY = 1440, WEEK = 7 * DAY;
const pad = (n) => String(n).padStart(2, '0');

function minutes(hhmm) {
  const m = /^(\d\d):(\d\d)$/.exec(hhmm || '');
  return m ? +m[1] * 60 + +m[2] : null;
}

// Minute of the week, Monday 00:00 = 0.
export function weekMinute(now = new Date()) {
  return ((now.getDay() + 6) % 7) * DAY + now.getHours() * 60 + now.getMinutes();
}

// when: '' | 'now' | 'today' -> [[key, value]] for /api/v1/search.
export function clockParams(when, now = new Date()) {
  if (!when) return [];
  const p = [['day', CODES[(now.getDay() + 6) % 7]], ['time', `${pad(now.getHours())}:${pad(now.getMinutes())}`], ['sort', 'next']];
  if (when === 'now') p.push(['open_now', 'true']);
  return p;
}

// [[start, end]] minutes of the week; an end before the start runs overnight.
function intervals(hours) {
  const out = [];
  for (const w of (hours && hours.weekly) || []) {
    const d = CODES.indexOf(w.day), o = minutes(w.opens), c = minutes(w.closes);
    if (d < 0 || o === null || c === null) continue;
    out.push([d * DAY + o, d * DAY + o + (c > o ? c - o : c < o ? c + DAY - o : 1)]);
  }
  return out;
}

export const isAlwaysOpen = (hours) =>
  intervals(hours).length === 7 && hours.weekly.every((w) => w.opens === '00:00' && w.closes === '24:00');

export function clockText(min) {
  const h = Math.floor(min / 60) % 24, m = min % 60;
  return `${h % 12 || 12}:${pad(m)} ${t(h < 12 ? 'am' : 'pm')}`;
}

function dayText(start, now) {
  const days = Math.floor(start / DAY) - Math.floor(now / DAY);
  return days === 0 ? t('day.today') : days === 1 ? t('day.tomorrow') : SHORT[Math.floor(start / DAY) % 7];
}

// {open: true, until} while open (until: minute of the week, may pass the
// week's end), else {next} (the next start, >= now), or null with no times.
export function openState(hours, now = new Date()) {
  const spans = intervals(hours), m = weekMinute(now);
  if (!spans.length) return null;
  for (const [s, e] of spans) {
    for (const shift of [0, WEEK]) if (s - shift <= m && m < e - shift) return { open: true, until: e - shift };
  }
  let next = Infinity;
  for (const [s] of spans) next = Math.min(next, s >= m ? s : s + WEEK);
  return { open: false, next };
}

// "Meeting now, until 8:00 PM" / "Next meeting today at 7:00 PM" for
// meetings; "Open now until 5:00 PM" / "Closed now, opens Mon at 8:00 AM".
export function whenText(r, now = new Date()) {
  if (isAlwaysOpen(r.hours)) return t('open24');
  const st = openState(r.hours, now);
  if (!st) return '';
  const meeting = r.kind === 'meeting', m = weekMinute(now);
  if (st.open) return t(meeting ? 'meeting.now' : 'open.now', { t: clockText(st.until % DAY) });
  const at = t('at', { day: dayText(st.next, m), t: clockText(st.next % DAY) });
  return t(meeting ? 'meeting.next' : 'closed.opens', { at });
}

// "Mon–Fri 8:00 AM–5:00 PM; Sat 9:00 AM–12:00 PM": days with the same times
// in a row are joined.
export function weeklyText(hours) {
  if (isAlwaysOpen(hours)) return t('open24.week');
  const runs = [];
  for (const w of (hours && hours.weekly) || []) {
    const d = CODES.indexOf(w.day), o = minutes(w.opens), c = minutes(w.closes);
    if (d < 0 || o === null || c === null) continue;
    const times = `${clockText(o)}–${c === DAY ? t('midnight') : clockText(c)}`, last = runs[runs.length - 1];
    if (last && last.times === times && last.to === d - 1) last.to = d; else runs.push({ from: d, to: d, times });
  }
  return runs.map((r) => `${SHORT[r.from]}${r.to > r.from ? (r.to > r.from + 1 ? '–' : ', ') + SHORT[r.to] : ''} ${r.times}`).join('; ');
}
