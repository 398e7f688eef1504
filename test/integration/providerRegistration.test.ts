import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { createAccount, emailsTo, linkInLatestEmail, PASSWORD, signIn, submitForm, totpCode } from '../support/identity.ts';
import { TINY_EXE, TINY_PDF, TINY_PNG } from '../support/attachmentSamples.ts';
import { createRegistration, registrationFields, sendRegistration, validFiles, validNpi, withWrongCheckDigit } from '../support/providerRegistration.ts';
import type { StaffRole } from '../../domain/accounts.ts';
import { REGISTRATION_DOCUMENT_MAX_BYTES, REGISTRATIONS_PER_PAGE } from '../../domain/providerRegistration.ts';
import { REGISTRATION_ATTEMPTS_PER_HOUR } from '../../services/myPatients/registrations.ts';
import { createDemoRegistration } from '../../services/myPatients/demoRegistration.ts';
import { fileTypeFromBuffer } from 'file-type';

describe('MyPatients registration: the application form, and the MyPatients team approving or declining it', () => {
  const context = eachTestWithClockedApp();
  const db = () => context.subject.database.db;
  const anonymous = (language: 'en' | 'es' = 'en') => agentIn(context.subject.app, language);

  async function signedInStaff(roles: StaffRole[] = ['mypatients-team'], email = 'mp-team@example.com'): Promise<Agent> {
    await createAccount(db(), { kind: 'staff', email, roles, totp: true });
    const agent = anonymous();
    await signIn(agent, '/staff', email);
    await submitForm(agent, '/staff/signin/code', { code: await totpCode(context.clock.now()) });
    return agent;
  }

  /** Posts to `action` with the CSRF token of the page at `pagePath`. */
  async function postFrom(agent: Agent, pagePath: string, action: string, fields: Record<string, string>) {
    const page = await agent.get(pagePath);
    return agent.post(action).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
  }

  const registrations = () => db()('provider_registrations').orderBy('id');
  const auditRows = async () => (await db()('audit_events').orderBy('id').select('action', 'outcome', 'actor_type', 'subject_type', 'subject_id', 'reason')) as Record<string, unknown>[];
  /** Every field's value as the page shows it again. */
  const shownValues = (html: string) => {
    const $ = cheerio.load(html);
    return Object.fromEntries(
      $('main form[method="post"] input:not([type="hidden"]):not([type="file"])')
        .filter((_i, input) => $(input).attr('type') !== 'radio' || $(input).is('[checked]'))
        .map((_i, input) => [[$(input).attr('name'), $(input).attr('value') ?? '']])
        .get(),
    );
  };
  const summary = (html: string) =>
    cheerio
      .load(html)('.error-summary a')
      .map((_i, a) => cheerio.load(html)(a).text())
      .get();

  describe('the form', () => {
    it('stores a valid application with its documents, says what happens next, emails the applicant and audits it', async () => {
      const agent = anonymous();
      const fields = registrationFields();
      const response = await sendRegistration(agent, fields, { ...validFiles(), sponsorship: { content: TINY_PNG, name: 'sponsorship.png', type: 'image/png' } });
      expect(response.status, response.text.slice(0, 500)).to.equal(303);
      expect(response.headers.location).to.equal('/provider/register/sent');

      const [row] = await registrations();
      expect(row).to.include({ given_names: 'Dana', family_name: 'Reyes', credential: 'MD', npi: fields.npi, practice_name: 'Lakeside Pediatrics', city: 'Chicago', postal_code: '60611', fax: '312 555 0143', email: fields.email, status: 'pending', preferred_language: 'en' });
      const documents = await db()('provider_registration_documents').where({ registration_id: row.id }).orderBy('id');
      expect(documents.map((d) => [d.document, d.display_name, d.content_type, d.size_bytes])).to.deep.equal([
        ['certification', 'certification-signed.pdf', 'application/pdf', TINY_PDF.length],
        ['identity', 'licence.jpg', 'image/jpeg', validFiles().identity!.content.length],
        ['sponsorship', 'sponsorship.png', 'image/png', TINY_PNG.length],
      ]);
      expect(Buffer.compare(documents[0].content, TINY_PDF)).to.equal(0);

      const sent = await agent.get('/provider/register/sent');
      expect(sent.status).to.equal(200);
      const $ = cheerio.load(sent.text);
      expect($('.reference').text()).to.equal(`PR-${row.id}`);
      expect($('main').text()).to.include('within 3 business days').and.include(fields.email!);

      const [email] = await emailsTo(db(), fields.email!);
      expect(email!.template).to.equal('providerRegistrationReceived');
      expect(email!.text).to.include(`PR-${row.id}`).and.not.include('Reyes').and.not.include(fields.npi!);
      expect(await auditRows()).to.deep.include({ action: 'provider-registration-submitted', outcome: 'success', actor_type: 'anonymous', subject_type: 'provider-registration', subject_id: row.id, reason: 'certification,identity,sponsorship' });
    });

    it('refuses an NPI whose check digit is wrong, saying so, and keeps everything typed (asking for the files again)', async () => {
      const fields = registrationFields({ npi: withWrongCheckDigit(validNpi()) });
      const response = await sendRegistration(anonymous(), fields);
      expect(response.status).to.equal(422);
      expect(summary(response.text)).to.deep.equal(['This is not a valid NPI: its last digit does not match the others. Check each digit against your NPI record']);
      expect(shownValues(response.text)).to.deep.equal(fields);
      const $ = cheerio.load(response.text);
      expect($('#npi').attr('aria-invalid')).to.equal('true');
      expect($('title').text()).to.match(/^Error: /);
      expect($('#reattach-title').text()).to.equal('Attach your files again');
      expect(await registrations()).to.have.length(0);
    });

    it('says the same in Spanish', async () => {
      const response = await sendRegistration(anonymous('es'), registrationFields({ npi: '12345' }));
      expect(response.status).to.equal(422);
      expect(summary(response.text)).to.deep.equal(['Escriba su NPI con 10 dígitos, por ejemplo 1234567893']);
    });

    it('refuses a program renamed .pdf, naming the document, and stores nothing', async () => {
      const fields = registrationFields();
      const response = await sendRegistration(anonymous(), fields, { ...validFiles(), certification: { content: TINY_EXE, name: 'certification.pdf', type: 'application/pdf' } });
      expect(response.status).to.equal(422);
      expect(summary(response.text)).to.deep.equal([
        'The file for your certification and agreement has a name that ends in .pdf, .png, .jpg or .jpeg, but its content is not that kind of file. Save or scan it again as a PDF, PNG or JPEG and choose it again.',
      ]);
      expect(shownValues(response.text)).to.deep.equal(fields);
      expect(await registrations()).to.have.length(0);
      expect(await db()('provider_registration_documents')).to.have.length(0);
    });

    it('refuses a PNG named .pdf (the name must match the content)', async () => {
      const response = await sendRegistration(anonymous(), registrationFields(), { ...validFiles(), identity: { content: TINY_PNG, name: 'passport.pdf' } });
      expect(response.status).to.equal(422);
      expect(summary(response.text)[0]).to.include('driver\'s license or passport copy has a name that ends in .pdf').and.include('its content is not that kind of file');
    });

    it('refuses an application without a required document, and one with no files at all', async () => {
      const withoutId = await sendRegistration(anonymous(), registrationFields(), { certification: validFiles().certification });
      expect(withoutId.status).to.equal(422);
      expect(summary(withoutId.text)).to.deep.equal(["Attach your driver's license or passport copy"]);
      expect(cheerio.load(withoutId.text)('#identity-error').text()).to.include("Attach your driver's license or passport copy");

      const none = await sendRegistration(anonymous(), registrationFields(), {});
      expect(summary(none.text)).to.deep.equal(['Attach your certification and agreement', "Attach your driver's license or passport copy"]);
      // Nothing was attached, so there is nothing to attach again.
      expect(cheerio.load(none.text)('#reattach-title')).to.have.length(0);
      expect(await registrations()).to.have.length(0);
    });

    it('refuses a file over 10 MB without losing the text sent after it', async () => {
      const fields = registrationFields();
      const big = Buffer.concat([TINY_PDF, Buffer.alloc(REGISTRATION_DOCUMENT_MAX_BYTES)]);
      const response = await sendRegistration(anonymous(), fields, { ...validFiles(), certification: { content: big, name: 'scan.pdf', type: 'application/pdf' } }, { filesFirst: true });
      expect(response.status).to.equal(422);
      expect(summary(response.text)).to.deep.equal(['The file for your certification and agreement is larger than 10 MB. Choose a smaller file, for example a scan at a lower resolution']);
      expect(shownValues(response.text)).to.deep.equal(fields);
    });

    it('lists every missing field, and refuses a form without its CSRF token', async () => {
      const empty = await sendRegistration(anonymous(), {}, validFiles());
      expect(empty.status).to.equal(422);
      expect(summary(empty.text)).to.include.members(['Enter your first name', 'Choose your credential: MD, DO, NP or PA', 'Enter your NPI', "Enter your practice's fax number", 'Enter your email address']);

      const agent = anonymous();
      await agent.get('/provider/register');
      const forged = await agent.post('/provider/register').field('givenNames', 'Dana').attach('certification', TINY_PDF, 'c.pdf');
      expect(forged.status).to.equal(403);
    });

    it(`pauses a network address after ${REGISTRATION_ATTEMPTS_PER_HOUR} attempts in an hour, and audits the refusal`, async () => {
      const agent = anonymous();
      for (let attempt = 0; attempt < REGISTRATION_ATTEMPTS_PER_HOUR; attempt++) {
        expect((await postFrom(agent, '/provider/register', '/provider/register', { givenNames: 'Dana' })).status).to.equal(422);
      }
      const paused = await sendRegistration(agent, registrationFields());
      expect(paused.status).to.equal(429);
      expect(cheerio.load(paused.text)('h1').text()).to.equal('Too many attempts');
      expect(await registrations()).to.have.length(0);
      expect(await auditRows()).to.deep.include({ action: 'provider-registration-submitted', outcome: 'refused', actor_type: 'anonymous', subject_type: 'provider-registration', subject_id: null, reason: 'throttled' });
    });
  });

  describe('the MyPatients team', () => {
    it('is the only role that may open the queue; others are refused or sent to sign in', async () => {
      const id = await createRegistration(db());
      const support = await signedInStaff(['support'], 'support@example.com');
      for (const path of ['/staff/mypatients/registrations', `/staff/mypatients/registrations/${id}`]) {
        expect((await support.get(path)).status, path).to.equal(403);
        const nobody = await anonymous().get(path);
        expect(nobody.status).to.equal(303);
        expect(nobody.headers.location).to.match(/^\/staff\/signin/);
      }
      expect((await postFrom(support, '/staff/home', `/staff/mypatients/registrations/${id}/decline`, { reason: 'not-eligible' })).status).to.equal(403);
      expect((await registrations())[0].status).to.equal('pending');
      const home = await support.get('/staff/home');
      expect(cheerio.load(home.text)('a[href="/staff/mypatients/registrations"]')).to.have.length(0);
    });

    it('lists waiting applications first, oldest first, a page at a time, linked from the team’s home', async () => {
      const start = context.clock.now().getTime();
      const declined = await createRegistration(db(), {}, new Date(start - 10 * 86_400_000));
      await db()('provider_registrations').where({ id: declined }).update({ status: 'declined', decline_reason: 'not-eligible', decided_at: new Date(start - 9 * 86_400_000), decided_by_account_id: await createAccount(db(), { kind: 'staff', email: 'earlier@example.com', roles: ['mypatients-team'] }) });
      const ids: number[] = [];
      for (let i = 0; i < REGISTRATIONS_PER_PAGE; i++) ids.push(await createRegistration(db(), {}, new Date(start - (REGISTRATIONS_PER_PAGE - i) * 3_600_000)));
      const agent = await signedInStaff();
      expect(cheerio.load((await agent.get('/staff/home')).text)('a[href="/staff/mypatients/registrations"]').text()).to.equal('Provider registrations');

      const first = cheerio.load((await agent.get('/staff/mypatients/registrations')).text);
      const references = first('#registrations tbody th a').map((_i, a) => first(a).text()).get();
      expect(references).to.deep.equal(ids.map((id) => `PR-${id}`));
      expect(first('#registrations-caption').text()).to.include(`page 1 of 2 (${REGISTRATIONS_PER_PAGE + 1} in all)`);
      const second = cheerio.load((await agent.get('/staff/mypatients/registrations?page=2')).text);
      expect(second('#registrations tbody th a').map((_i, a) => second(a).text()).get()).to.deep.equal([`PR-${declined}`]);
      expect(second('#registrations tbody td').eq(1).text()).to.equal('Declined');
    });

    it('shows an application with its documents, which download as attachments; every view is audited', async () => {
      const id = await createRegistration(db(), { givenNames: 'Ana', familyName: 'Ortiz' });
      const agent = await signedInStaff();
      const page = await agent.get(`/staff/mypatients/registrations/${id}`);
      expect(page.status).to.equal(200);
      const $ = cheerio.load(page.text);
      expect($('h1').text()).to.equal(`Registration PR-${id}`);
      expect($('.summary-list').first().text()).to.include('Ana').and.include('Ortiz');
      const links = $('main a[href*="/documents/"]');
      expect(links.map((_i, a) => $(a).text()).get()).to.deep.equal(['Download the certification and agreement (certification-signed.pdf)', "Download the driver's license or passport copy (passport.png)"]);

      const download = await agent.get(links.eq(1).attr('href')!).buffer(true);
      expect(download.status).to.equal(200);
      expect(download.headers['content-type']).to.equal('image/png');
      expect(download.headers['content-disposition']).to.equal('attachment; filename=passport.png');
      expect(download.headers['x-content-type-options']).to.equal('nosniff');
      expect(Buffer.compare(download.body as Buffer, TINY_PNG)).to.equal(0);
      // A document of another application is not reachable through this one.
      const other = await createRegistration(db());
      expect((await agent.get(`/staff/mypatients/registrations/${other}/documents/${links.eq(1).attr('href')!.split('/').pop()}`)).status).to.equal(404);

      const audit = await auditRows();
      expect(audit.filter((row) => String(row.action).startsWith('view-provider-registration'))).to.deep.equal([
        { action: 'view-provider-registration', outcome: 'allowed', actor_type: 'staff', subject_type: 'provider-registration', subject_id: id, reason: null },
        { action: 'view-provider-registration-document', outcome: 'allowed', actor_type: 'staff', subject_type: 'provider-registration', subject_id: id, reason: 'identity' },
      ]);
    });

    it('approves into a new practice: the provider account is linked to a new practitioner and practice, and its emailed single-use link sets a password and leads to TOTP enrolment', async () => {
      const npi = validNpi();
      const id = await createRegistration(db(), { npi, email: 'dana@lakeside.example', practiceName: 'Lakeside Pediatrics' });
      const agent = await signedInStaff();
      const page = cheerio.load((await agent.get(`/staff/mypatients/registrations/${id}`)).text);
      expect(page('main').text()).to.include('No practitioner with this NPI is in the record yet');
      expect(page('input[name="practice"]').map((_i, input) => page(input).attr('value')).get()).to.deep.equal(['new']);

      const approved = await postFrom(agent, `/staff/mypatients/registrations/${id}`, `/staff/mypatients/registrations/${id}/approve`, { practice: 'new' });
      expect(approved.status).to.equal(303);
      expect(approved.headers.location).to.equal('/staff/mypatients/registrations');
      expect(cheerio.load((await agent.get('/staff/mypatients/registrations')).text)('#notice-title').parent().text()).to.include(`Registration PR-${id} is approved`);

      const account = await db()('accounts').where({ kind: 'provider', email: 'dana@lakeside.example' }).first();
      expect(account).to.include({ name: 'Dana Reyes', password_hash: null, status: 'active', totp_secret: null });
      const link = await db()('provider_accounts').where({ account_id: account.id }).first();
      const practitioner = await db()('practitioners').where({ id: link.practitioner_id }).first();
      const practice = await db()('practices').where({ id: link.practice_id }).first();
      expect(practitioner).to.include({ npi, given_names: 'Dana', family_name: 'Reyes', credential: 'MD' });
      expect(practice).to.include({ name: 'Lakeside Pediatrics', city: 'Chicago', fax: '312 555 0143' });
      expect(await db()('provider_registrations').where({ id }).first()).to.include({ status: 'approved', provider_account_id: account.id, practitioner_id: link.practitioner_id, practice_id: link.practice_id });

      const [email] = await emailsTo(db(), 'dana@lakeside.example');
      expect(email!.template).to.equal('providerRegistrationApproved');
      const setPassword = await linkInLatestEmail(db(), 'dana@lakeside.example');
      expect(setPassword).to.match(/^\/provider\/set-password\?token=/);

      const provider = anonymous();
      expect((await provider.get(setPassword)).status).to.equal(200);
      const set = await submitForm(provider, setPassword, { password: PASSWORD });
      expect(set.status).to.equal(303);
      expect(set.headers.location).to.equal('/provider/signin?passwordSet=1');
      expect(await signIn(provider, '/provider', 'dana@lakeside.example')).to.equal('/provider/account/two-factor');
      expect((await provider.get('/provider/home')).headers.location).to.equal('/provider/account/two-factor');

      // The link worked once.
      expect((await anonymous().get(setPassword)).status).to.equal(410);
      expect((await submitForm(anonymous(), '/provider/signin', { email: 'x@example.com', password: 'x' })).status).to.equal(422);

      const audit = await auditRows();
      expect(audit.map((row) => `${row.action}:${row.outcome}`)).to.include.members(['account-invited:success', 'provider-registration-approved:success']);
      expect(audit.find((row) => row.action === 'provider-registration-approved')).to.include({ subject_id: id, reason: `new-practice:${link.practice_id} new-practitioner:${link.practitioner_id}` });
    });

    it('approves into a practice found by name, linking the practitioner already in the record with that NPI', async () => {
      const npi = validNpi();
      const [{ id: practitionerId }] = await db()('practitioners').insert({ source_id: 'pr-1', npi, family_name: 'Reyes', given_names: 'Dana', credential: 'MD' }).returning('id');
      const [{ id: practiceId }] = await db()('practices').insert({ source_id: 'org-1', name: 'Lakeside Pediatrics Group', city: 'Chicago' }).returning('id');
      await db()('practices').insert({ source_id: 'org-2', name: 'Hillside Family Medicine' });
      const id = await createRegistration(db(), { npi, email: 'dana2@lakeside.example', practiceName: 'Lakeside Peds' });
      const agent = await signedInStaff();

      const search = cheerio.load((await agent.get(`/staff/mypatients/registrations/${id}?practiceName=lakeside`)).text);
      expect(search('main').text()).to.include('A practitioner with this NPI is already in the record');
      expect(search('label.choice__label[for^="practice"]').map((_i, label) => search(label).text()).get()).to.deep.equal(['Lakeside Pediatrics Group (Chicago)', 'Add a new practice from the application: Lakeside Peds']);

      expect((await postFrom(agent, `/staff/mypatients/registrations/${id}`, `/staff/mypatients/registrations/${id}/approve`, { practice: String(practiceId) })).status).to.equal(303);
      const account = await db()('accounts').where({ kind: 'provider', email: 'dana2@lakeside.example' }).first();
      expect(await db()('provider_accounts').where({ account_id: account.id }).first()).to.include({ practitioner_id: practitionerId, practice_id: practiceId });
      expect(await db()('practitioners').count('* as n').first()).to.deep.equal({ n: 1 });
      expect(await db()('practices').count('* as n').first()).to.deep.equal({ n: 2 });

      // A second application for the same NPI cannot be approved: that practitioner has an account.
      const again = await createRegistration(db(), { npi, email: 'dana3@lakeside.example' });
      const refused = await postFrom(agent, `/staff/mypatients/registrations/${again}`, `/staff/mypatients/registrations/${again}/approve`, { practice: 'new' });
      expect(refused.status).to.equal(422);
      expect(summary(refused.text)).to.deep.equal(['A practitioner with this NPI already has a MyPatients account.']);
      expect((await db()('provider_registrations').where({ id: again }).first()).status).to.equal('pending');
    });

    it('asks which practice when none is chosen, and refuses an approval with an unknown practice', async () => {
      const id = await createRegistration(db());
      const agent = await signedInStaff();
      const none = await postFrom(agent, `/staff/mypatients/registrations/${id}`, `/staff/mypatients/registrations/${id}/approve`, {});
      expect(none.status).to.equal(422);
      expect(summary(none.text)).to.deep.equal(['Choose a practice, or add a new one from the application']);
      const unknown = await postFrom(agent, `/staff/mypatients/registrations/${id}`, `/staff/mypatients/registrations/${id}/approve`, { practice: '999999' });
      expect(unknown.status).to.equal(422);
      expect(await db()('accounts').where({ kind: 'provider' })).to.have.length(0);
    });

    it('declines with a reason from the list, emails the applicant why, and cannot decide twice', async () => {
      const id = await createRegistration(db(), { email: 'applicant@example.com' });
      const agent = await signedInStaff();
      const missing = await postFrom(agent, `/staff/mypatients/registrations/${id}`, `/staff/mypatients/registrations/${id}/decline`, {});
      expect(missing.status).to.equal(422);
      expect(summary(missing.text)).to.deep.equal(['Choose why the application is declined']);

      const declined = await postFrom(agent, `/staff/mypatients/registrations/${id}`, `/staff/mypatients/registrations/${id}/decline`, { reason: 'certification-not-signed' });
      expect(declined.status).to.equal(303);
      expect(await db()('provider_registrations').where({ id }).first()).to.include({ status: 'declined', decline_reason: 'certification-not-signed' });
      const [email] = await emailsTo(db(), 'applicant@example.com');
      expect(email!.template).to.equal('providerRegistrationDeclined');
      expect(email!.text).to.include(`PR-${id}`).and.include('The certification and agreement is not signed or not on practice letterhead.');

      const page = cheerio.load((await agent.get(`/staff/mypatients/registrations/${id}`)).text);
      expect(page('#decision-title').text()).to.match(/^Declined .* by Test Person$/);
      expect(page('form[action$="/approve"]')).to.have.length(0);
      const again = await agent.post(`/staff/mypatients/registrations/${id}/approve`).type('form').send({ _csrf: csrfTokenIn((await agent.get('/staff/home')).text), practice: 'new' });
      expect(again.headers.location).to.equal(`/staff/mypatients/registrations/${id}`);
      expect(await db()('accounts').where({ kind: 'provider' })).to.have.length(0);
      expect((await auditRows()).filter((row) => String(row.action).startsWith('provider-registration-')).map((row) => `${row.action}:${row.outcome}:${row.reason}`)).to.deep.equal([
        'provider-registration-declined:success:certification-not-signed',
        'provider-registration-approved:refused:already-decided',
      ]);
    });
  });

  it('demo data: one application waits in the queue, made once, with real PDF documents', async () => {
    expect(await createDemoRegistration(db(), context.clock.now(), context.subject.config)).to.equal(true);
    expect(await createDemoRegistration(db(), context.clock.now(), context.subject.config)).to.equal(false);
    const [row] = await registrations();
    expect(row).to.include({ status: 'pending', npi: '1234567893' });
    for (const document of await db()('provider_registration_documents').where({ registration_id: row.id })) {
      expect((await fileTypeFromBuffer(document.content))?.mime).to.equal('application/pdf');
    }
  });
});
