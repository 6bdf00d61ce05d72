// DOM helpers. Every piece of listing data reaches the page through text nodes
// (h() children, textContent) and every URL through safeUrl(): never innerHTML.
import { locale } from './i18n.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k in el && k !== 'list' && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// Only http(s) links from data; anything else (javascript:, data:) is dropped.
export function safeUrl(u) {
  if (typeof u !== 'string' || !u) return null;
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch { return null; }
}

export function externalLink(href, text) {
  const url = safeUrl(href);
  return url ? h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, text) : null;
}

const DAY_FMT = { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' };
export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso + 'T00:00:00Z' : iso);
  return isNaN(d) ? String(iso) : d.toLocaleDateString(locale, DAY_FMT);
}
