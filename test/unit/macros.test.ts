import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { translate } from '../../locales/index.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';

// Renders each macro as a page would and reads the markup back.
const views = createViewEnvironment({ reloadTemplates: false, timeZone: 'America/New_York' });

function render(call: string, context: Record<string, unknown> = {}): cheerio.CheerioAPI {
  const template = `{% import "macros/forms.njk" as forms with context %}{% import "macros/components.njk" as components with context %}${call}`;
  const html = views.renderString(template, { lang: 'es', t: (key: string, params = {}) => translate('es', key, params), csrfToken: () => 'token-123', ...context });
  return cheerio.load(html);
}

describe('form macros', () => {
  it('text input: label, hint, inline error and the typed value, tied together for screen readers', () => {
    const $ = render(`{{ forms.textInput({ name: 'mrn', label: 'MRN', hint: 'On the wristband', value: 'A<1>', error: 'Enter the MRN' }) }}`);
    expect($('label[for="mrn"]').text()).to.equal('MRN');
    expect($('#mrn').attr('value')).to.equal('A<1>');
    expect($('#mrn').attr('aria-describedby')).to.equal('mrn-hint mrn-error');
    expect($('#mrn').attr('aria-invalid')).to.equal('true');
    expect($('#mrn-error').text().trim()).to.equal('Error: Enter the MRN');
  });

  it('password input never echoes a value back', () => {
    const $ = render(`{{ forms.passwordInput({ name: 'password', label: 'Password', value: 'secret' }) }}`);
    expect($('#password').attr('type')).to.equal('password');
    expect($('#password').attr('value')).to.equal(undefined);
    expect($('#password').attr('autocomplete')).to.equal('current-password');
  });

  it('email input turns off spell-check and suggests autocomplete', () => {
    const $ = render(`{{ forms.emailInput({ name: 'email', label: 'Email' }) }}`);
    expect($('#email').attr('type')).to.equal('email');
    expect($('#email').attr('spellcheck')).to.equal('false');
  });

  it('date input: three labelled boxes in a group, keeping what was typed', () => {
    const $ = render(`{{ forms.dateInput({ name: 'dob', label: 'Fecha de nacimiento', value: { day: '7', month: '3', year: '2012' }, error: 'Fecha inválida' }) }}`);
    expect($('fieldset legend').text()).to.equal('Fecha de nacimiento');
    expect($('label').map((_i, l) => $(l).text()).get()).to.deep.equal(['Mes', 'Día', 'Año']);
    expect([$('#dob-day').val(), $('#dob').val(), $('#dob-year').val()]).to.deep.equal(['7', '3', '2012']);
    expect($('#dob-year').attr('name')).to.equal('dob-year');
    expect($('fieldset').attr('aria-describedby')).to.equal('dob-error');
  });

  it('date input: the error summary’s link (#dob) leads to the first box; only the failing box is marked', () => {
    const invalid = (value: Record<string, string>, error?: string) => {
      const $ = render(`{{ forms.errorSummary(errors) }}{{ forms.dateInput({ name: 'dob', label: 'Born', value: value, error: error }) }}`, { value, error, errors: error ? [{ field: 'dob', text: error }] : [] });
      const target = $($('.error-summary a').attr('href') ?? '#none');
      if (error) expect(target.attr('name'), 'the link’s target').to.equal('dob-month');
      return $('input[aria-invalid="true"]').map((_i, input) => $(input).attr('name')).get();
    };
    expect(invalid({ day: '31', month: '2', year: '2015' }, 'Not a real date')).to.deep.equal(['dob-day']);
    expect(invalid({ day: '', month: '3', year: '2012' }, 'Give the day')).to.deep.equal(['dob-day']);
    expect(invalid({ day: '7', month: '13', year: '12' }, 'Not a date')).to.deep.equal(['dob-month', 'dob-year']);
    expect(invalid({ day: '', month: '', year: '' }, 'Give the date')).to.deep.equal(['dob-month', 'dob-day', 'dob-year']);
    expect(invalid({ day: '7', month: '3', year: '2099' }, 'Cannot be in the future'), 'a real date, wrong as a whole').to.deep.equal(['dob-month', 'dob-day', 'dob-year']);
    expect(invalid({ day: '31', month: '2', year: '2015' }), 'no error, nothing marked').to.deep.equal([]);
  });

  it('radios and checkboxes: a fieldset, the first item carries the field id, the chosen items checked', () => {
    const radios = render(`{{ forms.radios({ name: 'who', label: 'Who', value: 'b', items: [{ value: 'a', text: 'A' }, { value: 'b', text: 'B' }] }) }}`);
    expect(radios('input#who').attr('value')).to.equal('a');
    expect(radios('input:checked').attr('value')).to.equal('b');
    const boxes = render(`{{ forms.checkboxes({ name: 'days', label: 'Days', value: ['mon', 'wed'], items: [{ value: 'mon', text: 'Mon' }, { value: 'tue', text: 'Tue' }, { value: 'wed', text: 'Wed' }] }) }}`);
    expect(boxes('input:checked').map((_i, e) => boxes(e).attr('value')).get()).to.deep.equal(['mon', 'wed']);
    expect(boxes('label[for="days-2"]').text()).to.equal('Tue');
  });

  it('select, textarea, file input and button', () => {
    const $ = render(`{{ forms.select({ name: 'topic', label: 'Topic', placeholder: 'Choose', value: 'b', items: [{ value: 'a', text: 'A' }, { value: 'b', text: 'B' }] }) }}
      {{ forms.textarea({ name: 'message', label: 'Message', value: 'line 1\nline 2' }) }}
      {{ forms.fileInput({ name: 'files', label: 'Files', accept: '.pdf,.png', multiple: true }) }}
      {{ forms.button({ text: 'Send', secondary: true }) }}{{ forms.csrfField() }}`);
    expect($('#topic option:selected').text()).to.equal('B');
    expect($('#topic option').first().attr('value')).to.equal('');
    expect($('#message').text()).to.equal('line 1\nline 2');
    expect($('#files').attr('accept')).to.equal('.pdf,.png');
    expect($('#files').attr('multiple')).to.equal('multiple');
    expect($('button.button--secondary').attr('type')).to.equal('submit');
    expect($('input[name="_csrf"]').val()).to.equal('token-123');
  });

  it('error summary: a titled alert linking to each field', () => {
    const $ = render(`{{ forms.errorSummary([{ field: 'email', text: 'Escriba su correo' }]) }}`);
    expect($('.error-summary').attr('role')).to.equal('alert');
    expect($('.error-summary h2').text()).to.equal('Hay un problema');
    expect($('.error-summary a').attr('href')).to.equal('#email');
    expect(render(`{{ forms.errorSummary([]) }}`)('.error-summary')).to.have.length(0);
  });
});

describe('component macros', () => {
  it('notification banner: a labelled region, or a status for success', () => {
    const important = render(`{{ components.notificationBanner({ id: 'n', title: 'Important', text: 'Read this' }) }}`);
    expect(important('.banner').attr('role')).to.equal('region');
    expect(important('.banner').attr('aria-labelledby')).to.equal('n-title');
    const success = render(`{{ components.notificationBanner({ type: 'success', title: 'Done' }) }}`);
    expect(success('.banner').attr('role')).to.equal('status');
  });

  it('summary list: keys, values and an action that names its row', () => {
    const $ = render(`{{ components.summaryList({ rows: [{ key: 'Email', value: 'a@b.c', action: { href: '/change', text: 'Change' } }] }) }}`);
    expect($('dt').text()).to.equal('Email');
    expect($('dd.summary-list__value').text()).to.equal('a@b.c');
    expect($('dd a').text()).to.equal('Change Email');
  });

  it('table: a caption, column headers with scope, and row headers when asked', () => {
    const $ = render(`{{ components.table({ id: 'labs', caption: 'Results', firstCellIsHeader: true, head: [{ text: 'Test' }, { text: 'Value', numeric: true }], rows: [[{ text: 'Sodium' }, { text: '140', numeric: true }]] }) }}`);
    expect($('caption').text()).to.equal('Results');
    expect($('thead th').map((_i, th) => $(th).attr('scope')).get()).to.deep.equal(['col', 'col']);
    expect($('tbody th[scope="row"]').text()).to.equal('Sodium');
    expect($('tbody td.numeric').text()).to.equal('140');
  });

  it('pagination: previous and next, the current page marked, distant pages elided', () => {
    const $ = render(`{{ components.pagination({ page: 5, pageCount: 20, hrefFor: hrefFor }) }}`, { hrefFor: (n: number) => `/visits?page=${n}` });
    expect($('a[rel="prev"]').attr('href')).to.equal('/visits?page=4');
    expect($('a[rel="next"]').attr('href')).to.equal('/visits?page=6');
    expect($('a[aria-current="page"]').text()).to.equal('5');
    expect($('a[aria-current="page"]').attr('aria-label')).to.equal('Página 5');
    const numbers = $('a:not([rel])').map((_i, a) => $(a).text()).get();
    expect(numbers).to.deep.equal(['1', '3', '4', '5', '6', '7', '20']);
    expect($('.pagination__gap')).to.have.length(2);
    expect(render(`{{ components.pagination({ page: 1, pageCount: 1, hrefFor: hrefFor }) }}`, { hrefFor: String })('nav')).to.have.length(0);
  });
});
