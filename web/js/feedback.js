// "Report a problem" on the listing page: which field is wrong, what is
// right, an optional note. Posted to /api/v1/listings/{id}/feedback for the
// maintainers; nothing about the person is asked for or sent.
import { h } from './dom.js';
import { t } from './i18n.js';

// Field codes the API accepts; each one's label is the i18n key rp.<code>.
const FIELDS = ['closed', 'name', 'address', 'phone', 'website', 'hours', 'services', 'payment', 'other'];

// The same three as src/api/feedback.cc kNoRightValue.
const NO_RIGHT_VALUE = ['closed', 'phone', 'services'];

// 128 random bits as hex: one per form, so a report sent again after a lost
// answer (by the page or a proxy's retry) is still stored once.
function newReportId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function reportForm(id) {
  const reportId = newReportId();
  const field = h('select', { id: 'rp-field', required: true },
    h('option', { value: '' }, t('rp.choose')), FIELDS.map((v) => h('option', { value: v }, t(`rp.${v}`))));
  const rightHint = h('span', { class: 'hint' }, t('rp.example'));
  const correction = h('input', { id: 'rp-correction', type: 'text', maxlength: 500, autocomplete: 'off' });
  const note = h('textarea', { id: 'rp-note', rows: 3, maxlength: 1000 });
  const status = h('p', { class: 'status', role: 'status' });
  const send = h('button', { type: 'submit', class: 'secondary' }, t('rp.send'));
  const form = h('form', { class: 'report', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'rp-field' }, t('rp.what')), field),
    h('div', { class: 'field' }, h('label', { for: 'rp-correction' }, t('rp.right'), rightHint), correction),
    h('div', { class: 'field' }, h('label', { for: 'rp-note' }, t('rp.else'), h('span', { class: 'hint' }, t('rp.opt'))), note),
    send, status);

  // Someone who found a place closed, a dead number or a service gone may not
  // know the right value: the report is worth having without it.
  const optional = () => NO_RIGHT_VALUE.includes(field.value);
  const showOptional = () => { rightHint.textContent = t(optional() ? 'rp.optional' : 'rp.example'); };
  field.addEventListener('change', showOptional);

  function problem(text, el) {
    status.textContent = text;
    status.classList.add('error');
    if (el) el.focus();
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!field.value) return problem(t('rp.need.field'), field);
    if (!correction.value.trim() && !optional()) return problem(t('rp.need.right'), correction);
    send.disabled = true;
    status.classList.remove('error');
    status.textContent = t('rp.sending');
    try {
      const res = await fetch(`/api/v1/listings/${encodeURIComponent(id)}/feedback`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ field: field.value, correction: correction.value, note: note.value, report_id: reportId }),
      });
      const body = await res.json().catch(() => ({}));
      if (res.ok) {
        form.replaceChildren(h('p', { class: 'status ok', role: 'status', tabindex: '-1' },
          t('rp.thanks')));
        form.firstChild.focus();
        return;
      }
      const el = { field, correction, note }[body.param];
      // The server's detail is English: it names the field and the limit.
      problem(res.status === 429 ? t('rp.busy') : el ? t('rp.check', { detail: body.detail }) : t('rp.failed'), el);
    } catch {
      problem(t('api.offline'));
    }
    send.disabled = false;
  });

  return [h('p', { class: 'hint' }, t('rp.intro')), form];
}
