// Weekly hours and meeting times against this device's clock. Listings keep
// local wall-clock times; a meeting also names its zone (hours.timezone), so
// "now" is read in that zone and its times are said in it, with the viewer's
// own time beside them when the zones differ (docs/API.md, "Weekly times").
// Listings with no zone are read by this device's clock.
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

// This device's zone ("America/New_York"); '' when the browser will not say.
export const viewerZone = () => { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch { return ''; } };

const partsFormats = new Map();
// {day (0 = Monday), h, m, utcMs} of `now` on the wall clock of `zone`.
function wallClock(now, zone) {
  if (!zone) return { day: (now.getDay() + 6) % 7, h: now.getHours(), m: now.getMinutes() };
  let f = partsFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric',
      month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    partsFormats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(now).map((x) => [x.type, x.value]));
  return { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday), h: +p.hour % 24, m: +p.minute,
    utcMs: Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute) };
}

// Minutes `zone` is ahead of this device at `now` (0 for no zone or the same).
export function zoneShift(zone, now = new Date()) {
  if (!zone || zone === viewerZone()) return 0;
  try {
    const there = wallClock(now, zone).utcMs;
    const here = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate(), now.getHours(), now.getMinutes());
    return Math.round((there - here) / 60000);
  } catch { return 0; }
}

// Minute of the week, Monday 00:00 = 0, on the wall clock of `zone` (this
// device's when none).
export function weekMinute(now = new Date(), zone = '') {
  let w;
  try { w = wallClock(now, zone); } catch { w = wallClock(now, ''); }
  return w.day * DAY + w.h * 60 + w.m;
}

// The short name said after a time: "ET", "PT"...; else the browser's own.
const SHORT_ZONES = {
  'America/New_York': 'ET', 'America/Detroit': 'ET', 'America/Indiana/Indianapolis': 'ET', 'America/Kentucky/Louisville': 'ET',
  'America/Toronto': 'ET', 'America/Chicago': 'CT', 'America/Menominee': 'CT', 'America/Indiana/Knox': 'CT',
  'America/North_Dakota/Center': 'CT', 'America/Denver': 'MT', 'America/Boise': 'MT', 'America/Phoenix': 'MST',
  'America/Los_Angeles': 'PT', 'America/Vancouver': 'PT', 'America/Anchorage': 'AKT', 'Pacific/Honolulu': 'HT',
  'America/Puerto_Rico': 'AT',
};
export function zoneName(zone, now = new Date()) {
  if (!zone) return '';
  if (SHORT_ZONES[zone]) return SHORT_ZONES[zone];
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(now)
      .find((x) => x.type === 'timeZoneName')?.value || zone;
  } catch { return zone; }
}

// This device's date-time with its offset, "2026-03-03T19:30-05:00": the
// API's `now`, from which it reads each listing's clock in its own zone.
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
  const spans = intervals(hours), m = weekMinute(now, hours?.timezone);
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
  const zone = r.hours?.timezone, meeting = r.kind === 'meeting', m = weekMinute(now, zone);
  if (st.open) return t(meeting ? 'meeting.now' : 'open.now', { t: zonedText(st.until, zone, now) });
  const at = t('at', { day: dayText(st.next, m), t: zonedText(st.next, zone, now) });
  return t(meeting ? 'meeting.next' : 'closed.opens', { at });
}

// "7:00 PM ET (4:00 PM your time)" for minute-of-week `min` in `zone`: the
// zone's name when it has one, the viewer's time when the zones differ.
export function zonedText(min, zone, now = new Date()) {
  const here = clockText(min % DAY);
  if (!zone) return here;
  const shift = zoneShift(zone, now), name = zoneName(zone, now);
  if (!shift) return `${here} ${name}`;
  const mine = ((min - shift) % DAY + DAY) % DAY;
  return `${here} ${name} ${t('tz.yours', { t: clockText(mine) })}`;
}

// "Mon–Fri 8:00 AM–5:00 PM; Sat 9:00 AM–12:00 PM": days with the same times
// in a row are joined.
export function weeklyText(hours, now = new Date()) {
  if (isAlwaysOpen(hours)) return t('open24.week');
  const zone = hours && hours.timezone, shift = zoneShift(zone, now);
  const runs = [];
  for (const w of (hours && hours.weekly) || []) {
    const d = CODES.indexOf(w.day), o = minutes(w.opens), c = minutes(w.closes);
    if (d < 0 || o === null || c === null) continue;
    let times = `${clockText(o)}–${c === DAY ? t('midnight') : clockText(c)}`;
    if (zone) times += ` ${zoneName(zone, now)}` + (shift ? ` ${t('tz.yours', { t: clockText(((o - shift) % DAY + DAY) % DAY) })}` : '');
    const last = runs[runs.length - 1];
    if (last && last.times === times && last.to === d - 1) last.to = d; else runs.push({ from: d, to: d, times });
  }
  return runs.map((r) => `${SHORT[r.from]}${r.to > r.from ? (r.to > r.from + 1 ? '–' : ', ') + SHORT[r.to] : ''} ${r.times}`).join('; ');
}
