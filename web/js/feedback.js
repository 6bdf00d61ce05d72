// "Report a problem" on the listing page: which field is wrong, what is
// right, an optional note. Posted to /api/v1/listings/{id}/feedback for the
// maintainers; nothing about the person is asked for or sent.
import { h } from './dom.js';

const FIELDS = [
  ['closed', 'The place has closed'], ['name', 'Name'], ['address', 'Address'],
  ['phone', 'Wrong phone number'], ['website', 'Website'], ['hours', 'Hours or meeting times'],
  ['services', 'No longer offers a service, or services are wrong'], ['payment', 'Payment or insurance'], ['other', 'Something else'],
];

// The same three as src/api/feedback.cc kNoRightValue.
const NO_RIGHT_VALUE = ['closed', 'phone', 'services'];

export function reportForm(id) {
  const field = h('select', { id: 'rp-field', required: true },
    h('option', { value: '' }, 'Choose one…'), FIELDS.map(([v, label]) => h('option', { value: v }, label)));
  const rightHint = h('span', { class: 'hint' }, ' (for example the new phone number)');
  const correction = h('input', { id: 'rp-correction', type: 'text', maxlength: 500, autocomplete: 'off' });
  const note = h('textarea', { id: 'rp-note', rows: 3, maxlength: 1000 });
  const status = h('p', { class: 'status', role: 'status' });
  const send = h('button', { type: 'submit', class: 'secondary' }, 'Send report');
  const form = h('form', { class: 'report', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'rp-field' }, 'What is wrong?'), field),
    h('div', { class: 'field' }, h('label', { for: 'rp-correction' }, 'What is right?', rightHint), correction),
    h('div', { class: 'field' }, h('label', { for: 'rp-note' }, 'Anything else? ', h('span', { class: 'hint' }, '(optional)')), note),
    send, status);

  // Someone who found a place closed, a dead number or a service gone may not
  // know the right value: the report is worth having without it.
  const optional = () => NO_RIGHT_VALUE.includes(field.value);
  const showOptional = () => { rightHint.textContent = optional() ? ' (optional: leave empty if you do not know)' : ' (for example the new phone number)'; };
  field.addEventListener('change', showOptional);

  function problem(text, el) {
    status.textContent = text;
    status.classList.add('error');
    if (el) el.focus();
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!field.value) return problem('Please choose what is wrong.', field);
    if (!correction.value.trim() && !optional()) return problem('Please say what is right.', correction);
    send.disabled = true;
    status.classList.remove('error');
    status.textContent = 'Sending…';
    try {
      const res = await fetch(`/api/v1/listings/${encodeURIComponent(id)}/feedback`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ field: field.value, correction: correction.value, note: note.value }),
      });
      const body = await res.json().catch(() => ({}));
      if (res.ok) {
        form.replaceChildren(h('p', { class: 'status ok', role: 'status', tabindex: '-1' },
          'Thank you. Your report was sent to the people who keep this directory up to date.'));
        form.firstChild.focus();
        return;
      }
      const el = { field, correction, note }[body.param];
      problem(res.status === 429 ? 'Too many reports are arriving right now. Please try again later.'
        : el ? `Please check this: ${body.detail}.` : 'The report could not be sent. Please try again later.', el);
    } catch {
      problem('We could not reach Carefinder. Check your connection and try again.');
    }
    send.disabled = false;
  });

  return [h('p', { class: 'hint' }, 'Tell us what is wrong with this listing. Please do not include your name, ',
    'phone number or anything else about you: we do not need it.'), form];
}
