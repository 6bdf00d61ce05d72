// Place suggestions under the "Where?" box, from /api/v1/places as the person
// types: an ARIA 1.2 combobox (arrow keys move, Enter or a tap picks, Escape
// closes), so it works by keyboard, by touch and with a screen reader.
import { h, clear } from './dom.js';
import { getJSON } from './api.js';

export function placeCombobox(input, listbox) {
  let timer = 0, active = -1, asked = '';
  const options = () => [...listbox.children];

  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(i) {
    const opts = options();
    active = opts.length ? (i + opts.length) % opts.length : -1;
    opts.forEach((o, k) => o.setAttribute('aria-selected', String(k === active)));
    if (active >= 0) input.setAttribute('aria-activedescendant', opts[active].id);
  }

  function pick(o) {
    input.value = o.dataset.near;
    close();
    input.focus();
  }

  async function suggest(v) {
    asked = v;
    let places = [];
    try { places = (await getJSON('/api/v1/places', new URLSearchParams({ q: v }))).places || []; } catch { /* a nicety */ }
    if (asked !== v || input.value.trim() !== v) return;   // typed on meanwhile
    clear(listbox).append(...places.slice(0, 8).map((p, i) => {
      const o = h('li', { id: `place-opt-${i}`, role: 'option', 'aria-selected': 'false' }, p.label);
      o.dataset.near = p.near || p.label;
      return o;
    }));
    const show = places.length > 0 && document.activeElement === input &&
      !(places.length === 1 && listbox.firstChild.dataset.near === v);
    if (show) { listbox.hidden = false; input.setAttribute('aria-expanded', 'true'); active = -1; } else close();
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const v = input.value.trim();
    if (v.length < 2 || /^-?\d+(\.\d+)?\s*,/.test(v)) { close(); return; }
    timer = setTimeout(() => suggest(v), 150);
  });
  input.addEventListener('keydown', (e) => {
    if (listbox.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); highlight(active + (e.key === 'ArrowDown' ? 1 : -1)); }
    else if (e.key === 'Escape') { e.preventDefault(); close(); }
    else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); pick(options()[active]); }
  });
  // mousedown, not click: the input must keep focus until the pick.
  listbox.addEventListener('mousedown', (e) => {
    const o = e.target.closest('[role=option]');
    if (o) { e.preventDefault(); pick(o); }
  });
  input.addEventListener('blur', close);
  return { close };
}
