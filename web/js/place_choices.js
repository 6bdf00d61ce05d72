// Place buttons under the result status: an unknown place's "did you mean"
// suggestions, or the other places an ambiguous name can mean ("Brooklyn":
// Brooklyn, NY chosen; Brooklyn Park, MN ... offered). Tapping one searches it.
import { h, clear } from './dom.js';

// choices: [{label, near}]; onPick(near) runs the search for that place.
export function showPlaceChoices(el, intro, choices, onPick) {
  clear(el);
  el.hidden = !choices.length;
  if (!choices.length) return;
  el.append(
    h('p', { id: 'place-choices-intro', class: 'hint' }, intro),
    h('ul', { class: 'place-choices', 'aria-labelledby': 'place-choices-intro' },
      choices.map((c) => h('li', {}, h('button', { type: 'button', class: 'secondary', 'data-near': c.near }, c.label)))));
  el.onclick = (e) => {
    const b = e.target.closest('button[data-near]');
    if (b) onPick(b.dataset.near);
  };
}
