// The care team's message pages in the back office, over real HTTP against real PostgreSQL: the
// inbox (order, overdue in words, paging, the htmx fragment), the role guard, another team's
// thread answering 404 at every address, replying with and without attachments (and as an htmx
// fragment), refused replies keeping what was typed, assigning, closing, the family's email
// (no message in it), and the audit trail.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { eachTestWithClockedApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { createAccount, signIn, submitForm, totpCode } from '../support/identity.ts';
import { createPatient, familyAccount, linkHolder, type TestPatient } from '../support/family.ts';
import { addEncounter, addMedication, ensureClinic } from '../support/record.ts';
import { TINY_EXE, TINY_PDF, TINY_PNG } from '../support/attachmentSamples.ts';
import type { StaffRole } from '../../domain/accounts.ts';
import { MESSAGE_BODY_MAX_LENGTH } from '../../domain/messaging.ts';
import { familyReply, startThread, type MessagingDeps } from '../../services/messaging/threads.ts';
import { inboxFor, staffReply } from '../../services/messaging/careTeamInbox.ts';
import { createViewEnvironment } from '../../views/nunjucks.ts';

const ORIGIN = { ip: '198.51.100.4', requestId: 'care-team-pages-test' };
const HOUR = 60; // minutes, for the clock
const FRAGMENT = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

describe('the care team’s message pages', function () {
  this.timeout(60000);
  const context = eachTestWithClockedApp(); // Monday 23 November 2026, 10:00 in New York
  const db = () => context.subject.database.db;
  const deps = (): MessagingDeps => {
    const { config, queue } = context.subject;
    return { db: db(), config, queue, views: createViewEnvironment({ reloadTemplates: false, timeZone: config.hospital.timeZone }), now: context.clock.now };
  };

  interface World {
    patient: TestPatient;
    parent: { id: number; email: string };
    nurse: number;
    colleague: number;
    outsider: number;
  }

  async function staff(email: string, name: string, roles: StaffRole[] = ['care-team']): Promise<number> {
    const id = await createAccount(db(), { kind: 'staff', email, roles, totp: true });
    await db()('accounts').where({ id }).update({ name });
    return id;
  }

  /** A 9-year-old with a parent and a cardiology visit; a nurse and a colleague on cardiology, an outsider on dermatology. */
  async function world(): Promise<World> {
    const patient = await createPatient(db(), { birthDate: '2017-03-14', givenNames: 'Quinby', familyName: 'Marchetti' });
    const parent = await familyAccount(db(), 'parent');
    await linkHolder(db(), parent.id, patient.id, 'parent', new Date('2026-01-01T00:00:00Z'));
    await ensureClinic(db(), 'CARD', 'Cardiology');
    await ensureClinic(db(), 'DERM', 'Dermatology');
    await addEncounter(db(), patient.id, { start: new Date('2026-06-01T14:00:00Z'), reason: 'Check-up', department: 'CARD' });
    const nurse = await staff('nurse@example.com', 'Nia Nurse');
    const colleague = await staff('colleague@example.com', 'Cole Colleague');
    const outsider = await staff('outsider@example.com', 'Olu Outsider');
    await db()('care_team_staff').insert([
      { account_id: nurse, department_code: 'CARD' },
      { account_id: colleague, department_code: 'CARD' },
      { account_id: outsider, department_code: 'DERM' },
    ]);
    return { patient, parent, nurse, colleague, outsider };
  }

  async function signedIn(email: string): Promise<Agent> {
    const agent = agentIn(context.subject.app, 'en');
    expect(await signIn(agent, '/staff', email)).to.equal('/staff/signin/code');
    await submitForm(agent, '/staff/signin/code', { code: await totpCode(context.clock.now()) });
    return agent;
  }

  async function started(w: World, body = 'Is the new dose right?', more: { subject?: string } = {}): Promise<number> {
    const outcome = await startThread(deps(), { accountId: w.parent.id, patientId: w.patient.id, recipient: { kind: 'clinic', departmentCode: 'CARD' }, subject: more.subject ?? 'medical-question', body, attachments: [] }, ORIGIN);
    if (outcome.outcome !== 'started') throw new Error(`not started: ${JSON.stringify(outcome)}`);
    return outcome.threadId;
  }

  /** A reply posted as the browser sends the form: multipart, with the page's CSRF token. */
  async function reply(agent: Agent, threadId: number, body: string | undefined, files: { content: Buffer; name: string; type: string }[] = [], headers: Record<string, string> = {}) {
    const page = await agent.get(`/staff/messages/${threadId}`);
    let request = agent.post(`/staff/messages/${threadId}/reply`).set(headers).field('_csrf', csrfTokenIn(page.text));
    const shownUpTo = cheerio.load(page.text)('input[name="shownUpTo"]').attr('value');
    if (shownUpTo) request = request.field('shownUpTo', shownUpTo);
    if (body !== undefined) request = request.field('body', body);
    for (const file of files) request = request.attach('attachments', file.content, { filename: file.name, contentType: file.type });
    return request;
  }

  /** Posts a plain form to `action` with the CSRF token of the thread page. */
  async function post(agent: Agent, threadId: number, action: string, fields: Record<string, string> = {}) {
    const page = await agent.get(`/staff/messages/${threadId}`);
    return agent.post(action).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
  }

  /** The response, once it is known to have this status. */
  async function expectStatus<T extends { status: number; text: string }>(response: Promise<T>, status: number): Promise<T> {
    const answered = await response;
    expect(answered.status, answered.text.slice(0, 300)).to.equal(status);
    return answered;
  }

  const rowsOf = (html: string) => {
    const $ = cheerio.load(html);
    return $('#inbox tbody tr')
      .map((_i, row) => [$(row).find('th, td').map((_j, cell) => $(cell).text().replace(/\s+/g, ' ').trim()).get()])
      .get() as string[][];
  };
  const threadIdsOf = (html: string) => {
    const $ = cheerio.load(html);
    return $('#inbox tbody tr').map((_i, row) => Number($(row).attr('data-thread-id'))).get();
  };
  const messageCount = async () => Number((await db()('messages').count<{ count: string }>('* as count').first())?.count);

  describe('the inbox', () => {
    it('lists the open threads soonest due first, says in words which are overdue, and pages them 25 at a time', async () => {
      const w = await world();
      // Monday 10:00: three questions, due Wednesday 17:00.
      const early = [await started(w, 'one')];
      context.clock.advance(1);
      early.push(await started(w, 'two', { subject: 'prescription' }));
      context.clock.advance(1);
      early.push(await started(w, 'three'));
      // One answered: nothing waits on it, so it comes last.
      const answered = await started(w, 'answered');
      await staffReply(deps(), w.nurse, { threadId: answered, body: 'Done', attachments: [] }, ORIGIN);
      // Thursday 09:00 on: 23 more, due the next Monday 17:00 (Thanksgiving and the Friday after are holidays or not; either way later).
      context.clock.advance(71 * HOUR - 2);
      const later: number[] = [];
      for (let n = 0; n < 23; n += 1) {
        later.push(await started(w, `later ${n}`));
        context.clock.advance(1);
      }
      context.clock.advance(HOUR); // Thursday about 10:25: the first three are overdue

      const agent = await signedIn('nurse@example.com');
      const first = await agent.get('/staff/messages').expect(200);
      expect(threadIdsOf(first.text)).to.deep.equal([...early, ...later.slice(0, 22)]);
      const rows = rowsOf(first.text);
      expect(rows[0]).to.deep.equal(['Quinby Marchetti: Medical question', 'Medical question', 'Cardiology', 'Not assigned', '1', 'Overdue November 25, 2026 at 5:00 PM', String((await inboxFor(deps(), w.nurse, ORIGIN)).items[0]!.waitingBusinessDays)]);
      expect(rows[1]![1]).to.equal('Prescription');
      expect(rows.slice(0, 3).every((row) => row[5]!.startsWith('Overdue ')), 'the first three are overdue').to.equal(true);
      expect(rows.slice(3).some((row) => row[5]!.includes('Overdue')), 'no later one is').to.equal(false);
      const $ = cheerio.load(first.text);
      expect($('#inbox tbody tr').first().find('a').attr('href')).to.equal(`/staff/messages/${early[0]}`);
      expect($('.list-count').text()).to.include('Showing 1 to 25 of 27 open conversations.').and.include('Overdue on this page: 3.');
      expect($('nav.pagination a[rel="next"]').attr('href')).to.equal('/staff/messages?page=2');
      expect($('#inbox-refresh').attr('href')).to.equal('/staff/messages');
      expect($('#inbox-refresh').attr('data-hx-target')).to.equal('#inbox-list');

      const second = await agent.get('/staff/messages?page=2').expect(200);
      expect(threadIdsOf(second.text)).to.deep.equal([later[22], answered]);
      expect(rowsOf(second.text)[1]!.slice(4)).to.deep.equal(['0', 'Nothing waiting', '—Nothing waiting']);
      expect(cheerio.load(second.text)('#inbox-refresh').attr('href'), 'the refresh link keeps the page').to.equal('/staff/messages?page=2');
      expect(threadIdsOf((await agent.get('/staff/messages?page=99')).text), 'past the end: the last page').to.deep.equal([later[22], answered]);
      expect(threadIdsOf((await agent.get('/staff/messages?page=abc')).text)).to.have.length(25);
    });

    it('answers htmx with the list region alone, from the same template, and varies on the htmx headers', async () => {
      const w = await world();
      const threadId = await started(w);
      const agent = await signedIn('nurse@example.com');
      const full = await agent.get('/staff/messages').expect(200);
      const fragment = await agent.get('/staff/messages').set(FRAGMENT).expect(200);
      expect(full.headers.vary).to.include('HX-Request').and.include('HX-Request-Type');
      expect(fragment.headers.vary).to.include('HX-Request').and.include('HX-Request-Type');
      expect(fragment.text).not.to.include('<html');
      expect(fragment.text).not.to.include('<h1');
      expect(threadIdsOf(fragment.text)).to.deep.equal([threadId]);
      const region = cheerio.load(full.text)('#inbox-list').html()!;
      const normalise = (html: string) => html.replace(/\s+/g, ' ').replace(/List as of [^<]*/, '').trim();
      expect(normalise(cheerio.load(`<div id="x">${fragment.text}</div>`)('#x').html()!)).to.equal(normalise(region));
      // A history restore asks for the whole page.
      expect((await agent.get('/staff/messages').set({ 'HX-Request': 'true', 'HX-Request-Type': 'full' })).text).to.include('<html');
    });

    it('says so when nothing is open', async () => {
      await world();
      const agent = await signedIn('outsider@example.com');
      const $ = cheerio.load((await agent.get('/staff/messages').expect(200)).text);
      expect($('#inbox').length).to.equal(0);
      expect($('#inbox-list').text()).to.include('There are no open conversations');
    });

    it('is linked from the back-office home for the care team only', async () => {
      await world();
      await staff('support@example.com', 'Sam Support', ['support']);
      const nurseHome = cheerio.load((await (await signedIn('nurse@example.com')).get('/staff/home')).text);
      expect(nurseHome('main a[href="/staff/messages"]').text()).to.equal('Messages from families');
      const supportHome = cheerio.load((await (await signedIn('support@example.com')).get('/staff/home')).text);
      expect(supportHome('main a[href="/staff/messages"]').length).to.equal(0);
    });
  });

  describe('who may use the pages', () => {
    it('refuses staff without the care-team role (403) and sends anyone not signed in as staff to sign in', async () => {
      const w = await world();
      const threadId = await started(w);
      await staff('support@example.com', 'Sam Support', ['support', 'admin']);
      const support = await signedIn('support@example.com');
      await support.get('/staff/messages').expect(403);
      await support.get(`/staff/messages/${threadId}`).expect(403);
      const page = await support.get('/staff/home');
      await support.post(`/staff/messages/${threadId}/close`).type('form').send({ _csrf: csrfTokenIn(page.text) }).expect(403);
      await support.post(`/staff/messages/${threadId}/reply`).field('_csrf', csrfTokenIn(page.text)).field('body', 'Not mine').expect(403);
      expect(await messageCount()).to.equal(1);

      const anonymous = agentIn(context.subject.app, 'en');
      const response = await anonymous.get(`/staff/messages/${threadId}`).expect(303);
      expect(response.headers.location).to.equal(`/staff/signin?returnTo=${encodeURIComponent(`/staff/messages/${threadId}`)}`);
    });

    it('answers 404 at every address of another team’s thread, changes nothing, and audits the refusals', async () => {
      const w = await world();
      const threadId = await started(w);
      const nurse = await signedIn('nurse@example.com');
      await expectStatus(reply(nurse, threadId, 'With a file', [{ content: TINY_PDF, name: 'result.pdf', type: 'application/pdf' }]), 303);
      const attachmentId = Number((await db()('message_attachments').first('id')).id);
      const before = await db()('message_threads').where({ id: threadId }).first();

      const outsider = await signedIn('outsider@example.com');
      const home = await outsider.get('/staff/messages');
      const csrf = csrfTokenIn(home.text);
      await outsider.get(`/staff/messages/${threadId}`).expect(404);
      await outsider.get(`/staff/messages/${threadId}?before=999`).expect(404);
      await outsider.post(`/staff/messages/${threadId}/reply`).field('_csrf', csrf).field('body', 'Not mine').attach('attachments', TINY_PNG, 'photo.png').expect(404);
      await outsider.post(`/staff/messages/${threadId}/reply`).set(FRAGMENT).field('_csrf', csrf).field('body', 'Not mine').expect(404);
      await outsider.post(`/staff/messages/${threadId}/assign`).type('form').send({ _csrf: csrf, assignee: String(w.outsider) }).expect(404);
      await outsider.post(`/staff/messages/${threadId}/close`).type('form').send({ _csrf: csrf }).expect(404);
      await outsider.get(`/staff/messages/attachments/${attachmentId}`).expect(404);
      // Ids that are not ids, and ids of nothing, look the same.
      await outsider.get('/staff/messages/0').expect(404);
      await outsider.get('/staff/messages/abc').expect(404);
      await outsider.get(`/staff/messages/${threadId + 1000}`).expect(404);
      await outsider.get(`/staff/messages/attachments/${attachmentId + 1000}`).expect(404);

      expect(await db()('message_threads').where({ id: threadId }).first()).to.deep.equal(before);
      expect(await messageCount()).to.equal(2);
      const refused = await db()('audit_events').where({ actor_id: w.outsider, outcome: 'refused' }).orderBy('id').pluck('action');
      expect(refused).to.include.members(['view-message-thread', 'reply-message-thread', 'assign-message-thread', 'close-message-thread', 'download-message-attachment']);
    });
  });

  describe('the thread and replying', () => {
    it('shows the thread, and takes a reply with no attachment: back to the thread with a notice, the family emailed without the message', async () => {
      const w = await world();
      const threadId = await started(w, 'First line\nsecond line');
      const agent = await signedIn('nurse@example.com');
      const page = cheerio.load((await agent.get(`/staff/messages/${threadId}`).expect(200)).text);
      expect(page('h1').text()).to.equal('Medical question: Quinby Marchetti');
      const facts = page('.summary-list__row').map((_i, row) => `${page(row).find('dt').text().trim()}: ${page(row).find('dd').first().text().trim()}`).get();
      expect(facts).to.deep.equal([
        'Patient: Quinby Marchetti',
        'Date of birth: March 14, 2017',
        `MRN: ${w.patient.mrn}`,
        'Subject: Medical question',
        'To: Cardiology',
        'Status: Open',
        'Answer due: By November 25, 2026 at 5:00 PM',
        'Assigned to: Not assigned',
      ]);
      expect(page('#message-list > li .message__author').text()).to.equal('Test Person (family)');
      expect(page('#message-list > li .message__body').text(), 'line breaks kept').to.equal('First line\nsecond line');
      expect(page('form[action$="/reply"] textarea[name="body"]').length).to.equal(1);
      expect(page('form[action$="/reply"] input[type="file"][name="attachments"][multiple]').length).to.equal(1);
      expect(page('form[action$="/reply"]').attr('enctype')).to.equal('multipart/form-data');
      expect(page('select[name="assignee"] option').map((_i, option) => page(option).text()).get()).to.deep.equal(['Cole Colleague', 'Nia Nurse']);

      const body = 'Your potassium was 5.9.\nPlease repeat the test.';
      const sent = await expectStatus(reply(agent, threadId, body), 303);
      expect(sent.headers.location).to.equal(`/staff/messages/${threadId}`);
      const after = cheerio.load((await agent.get(`/staff/messages/${threadId}`)).text);
      expect(after('.banner--success').text()).to.include('Reply sent; the family has been emailed that a message is waiting');
      expect(after('#message-list > li').last().find('.message__author').text()).to.equal('Nia Nurse (care team)');
      expect(after('#message-list > li').last().find('.message__body').text()).to.equal(body);
      expect(after('.summary-list__row').eq(6).find('dd').text().trim()).to.equal('Nothing is waiting for an answer');
      expect(cheerio.load((await agent.get(`/staff/messages/${threadId}`)).text)('.banner--success').length, 'the notice shows once').to.equal(0);

      const emails = await db()('email_outbox').where({ recipient: w.parent.email }).select('template', 'subject', 'text_body', 'html_body');
      expect(emails.map((email) => email.template)).to.deep.equal(['messageWaiting']);
      for (const secret of ['potassium', '5.9', 'repeat', 'Quinby', 'Marchetti', 'Cardiology']) {
        expect(`${emails[0].subject}\n${emails[0].text_body}\n${emails[0].html_body}`.toLowerCase(), secret).not.to.include(secret.toLowerCase());
      }
    });

    it('takes a reply with an attachment, which the care team can download', async () => {
      const w = await world();
      const threadId = await started(w);
      const agent = await signedIn('nurse@example.com');
      await expectStatus(reply(agent, threadId, 'The form is attached.', [{ content: TINY_PNG, name: 'signed form.png', type: 'image/png' }]), 303);
      const $ = cheerio.load((await agent.get(`/staff/messages/${threadId}`)).text);
      const link = $('#message-list > li').last().find('.message__attachments a');
      expect(link.text()).to.equal(`signed form.png (${TINY_PNG.length} bytes)`);
      const download = await agent.get(link.attr('href')!).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(download.status).to.equal(200);
      expect(download.headers['content-type']).to.equal('image/png');
      expect(download.headers['content-disposition']).to.equal('attachment; filename="signed form.png"');
      expect(Buffer.compare(download.body as Buffer, TINY_PNG)).to.equal(0);
      expect(await db()('email_outbox').where({ recipient: w.parent.email, template: 'messageWaiting' }).count<{ count: number }>('* as count').first()).to.deep.equal({ count: 1 });
    });

    it('answers an htmx reply with the new messages to append and a fresh form and summary out of band', async () => {
      const w = await world();
      const threadId = await started(w);
      const agent = await signedIn('nurse@example.com');
      const page = await agent.get(`/staff/messages/${threadId}`);
      // The family writes again while the nurse types: the page has not shown that message yet.
      context.clock.advance(5);
      await familyReply(deps(), { accountId: w.parent.id, patientId: w.patient.id, threadId, body: 'Also, a fever since noon.', attachments: [] }, ORIGIN);
      const shownUpTo = cheerio.load(page.text)('input[name="shownUpTo"]').attr('value')!;
      const response = await agent
        .post(`/staff/messages/${threadId}/reply`)
        .set(FRAGMENT)
        .field('_csrf', csrfTokenIn(page.text))
        .field('shownUpTo', shownUpTo)
        .field('body', 'Thanks, noted.')
        .attach('attachments', TINY_PDF, 'advice.pdf')
        .expect(200);
      expect(response.headers.vary).to.include('HX-Request');
      expect(response.text).not.to.include('<html');
      const $ = cheerio.load(`<ol id="root">${response.text}</ol>`);
      const appended = $('#root > li.message');
      expect(appended.map((_i, item) => $(item).find('.message__body').text()).get()).to.deep.equal(['Also, a fever since noon.', 'Thanks, noted.']);
      expect(appended.last().find('.message__attachments a').text()).to.equal(`advice.pdf (${TINY_PDF.length} bytes)`);
      const form = $('#reply-region');
      expect(form.attr('data-hx-swap-oob')).to.equal('outerHTML');
      expect(form.find('textarea[name="body"]').text(), 'the form comes back empty').to.equal('');
      expect(form.find('input[name="shownUpTo"]').attr('value')).to.equal(appended.last().attr('id')!.replace('message-', ''));
      expect($('#thread-summary').attr('data-hx-swap-oob')).to.equal('outerHTML');
      expect($('#thread-summary').text()).to.include('Nothing is waiting for an answer');
      expect(await messageCount()).to.equal(3);
      expect(await db()('email_outbox').where({ template: 'messageWaiting' }).count<{ count: number }>('* as count').first()).to.deep.equal({ count: 1 });
    });

    it('refuses an empty, too long or wrongly attached reply (422), keeping the typed text and saying to attach the files again', async () => {
      const w = await world();
      const threadId = await started(w);
      const agent = await signedIn('nurse@example.com');
      const summaryOf = (html: string) => cheerio.load(html)('.error-summary a').map((_i, a) => [[cheerio.load(html)(a).attr('href'), cheerio.load(html)(a).text()]]).get() as [string, string][];

      const empty = await expectStatus(reply(agent, threadId, '  \n ', [{ content: TINY_PDF, name: 'a.pdf', type: 'application/pdf' }]), 422);
      expect(summaryOf(empty.text)).to.deep.equal([['#body', 'Enter your reply']]);
      expect(cheerio.load(empty.text)('title').text()).to.match(/^Error: /);
      expect(cheerio.load(empty.text)('#attachments-hint').text()).to.include('Files you chose before were not kept: choose them again.');

      const typed = 'Please send the form — thank you.\nNia';
      const wrongType = await expectStatus(reply(agent, threadId, typed, [{ content: TINY_EXE, name: 'form.pdf', type: 'application/pdf' }]), 422);
      expect(summaryOf(wrongType.text)).to.deep.equal([['#attachments', '“form.pdf” cannot be attached: what is in the file does not match its name (.pdf). Nothing was attached: choose the files again.']]);
      expect(cheerio.load(wrongType.text)('textarea[name="body"]').text()).to.equal(typed);

      const tooLong = 'x'.repeat(MESSAGE_BODY_MAX_LENGTH + 1);
      const long = await expectStatus(reply(agent, threadId, tooLong), 422);
      expect(summaryOf(long.text)).to.deep.equal([['#body', 'Your reply must be 20000 characters or fewer']]);
      expect(cheerio.load(long.text)('textarea[name="body"]').text()).to.equal(tooLong);

      // A hand-made form with no body field at all is refused the same way, never a 500.
      await expectStatus(reply(agent, threadId, undefined), 422);

      const fragment = await expectStatus(reply(agent, threadId, typed, [{ content: TINY_EXE, name: 'form.pdf', type: 'application/pdf' }], FRAGMENT), 422);
      expect(fragment.headers['hx-retarget']).to.equal('#reply-region');
      expect(fragment.headers['hx-reswap']).to.equal('outerHTML');
      expect(fragment.text).not.to.include('<html');
      const $ = cheerio.load(fragment.text);
      expect($('#reply-region .error-summary a').attr('href')).to.equal('#attachments');
      expect($('#reply-region textarea[name="body"]').text()).to.equal(typed);

      expect(await messageCount()).to.equal(1);
      expect(await db()('email_outbox').count<{ count: number }>('* as count').first()).to.deep.equal({ count: 0 });
    });
  });

  it('shows the newest 50 messages, with a link to the earlier ones (no reply form there)', async () => {
    const w = await world();
    const threadId = await started(w, 'message 1');
    for (let n = 2; n <= 52; n += 1) await staffReply(deps(), w.nurse, { threadId, body: `message ${n}`, attachments: [] }, ORIGIN);
    const agent = await signedIn('nurse@example.com');
    const bodies = ($: cheerio.CheerioAPI) => $('#message-list > li .message__body').map((_i, body) => $(body).text()).get();
    const newest = cheerio.load((await agent.get(`/staff/messages/${threadId}`).expect(200)).text);
    expect(bodies(newest)).to.have.length(50);
    expect(bodies(newest)[0]).to.equal('message 3');
    const link = newest('main a').filter((_i, a) => newest(a).text() === 'Show earlier messages');
    expect(link.length).to.equal(1);
    expect(link.attr('href')).to.match(new RegExp(`^/staff/messages/${threadId}\\?before=\\d+$`));
    const older = cheerio.load((await agent.get(link.attr('href')!).expect(200)).text);
    expect(bodies(older)).to.deep.equal(['message 1', 'message 2']);
    expect(older('main a').filter((_i, a) => older(a).text() === 'Show earlier messages').length).to.equal(0);
    expect(older('main a').filter((_i, a) => older(a).text() === 'Show the newest messages').attr('href')).to.equal(`/staff/messages/${threadId}`);
    expect(older('form[action$="/reply"]').length).to.equal(0);
  });

  describe('the patient’s record, from the thread', () => {
    it('links from the thread to a read-only record of the patient, shown to the patient’s care team only, and audits each look', async () => {
      const w = await world();
      await addEncounter(db(), w.patient.id, { start: new Date('2026-09-01T14:00:00Z'), reason: 'PRIVATEVISIT', department: 'CARD', confidential: true });
      await addMedication(db(), w.patient.id, { name: 'SHOWNMEDICATION', authoredAt: new Date('2026-06-01T15:00:00Z') });
      await addMedication(db(), w.patient.id, { name: 'TEENMEDICATION', authoredAt: new Date('2026-09-01T15:00:00Z'), confidential: true });
      const threadId = await started(w);
      const recordPath = `/staff/patients/${w.patient.id}/record`;
      const nurse = await signedIn('nurse@example.com');
      const thread = cheerio.load((await nurse.get(`/staff/messages/${threadId}`)).text);
      expect(thread(`a[href="${recordPath}"]`).text()).to.include('Open the patient’s record (read-only)');

      const record = cheerio.load((await expectStatus(nurse.get(recordPath), 200)).text);
      expect(record('h1').text()).to.equal('Health record: Quinby Marchetti');
      const main = record('main').text();
      expect(main).to.include(w.patient.mrn).and.include('March 14, 2017').and.include('Cardiology').and.include('SHOWNMEDICATION');
      expect(main, 'confidential items stay out of this view').to.not.include('PRIVATEVISIT').and.not.include('TEENMEDICATION');
      expect(record('main form').length, 'read-only').to.equal(0);
      expect(record(`a[href="/staff/messages"]`).length).to.equal(1);

      // The outsider works dermatology: no visit, care-team doctor or thread of this patient's there.
      const outsider = await signedIn('outsider@example.com');
      await expectStatus(outsider.get(recordPath), 404);
      await expectStatus(outsider.get('/staff/patients/999999/record'), 404);
      await staff('support@example.com', 'Sam Support', ['support']);
      await expectStatus((await signedIn('support@example.com')).get(recordPath), 403);

      const trail = await db()('audit_events').where({ action: 'view-staff-record' }).orderBy('id').select('actor_id', 'outcome', 'subject_id', 'reason');
      expect(trail.map((row) => [Number(row.actor_id), row.outcome, Number(row.subject_id)])).to.deep.equal([
        [w.nurse, 'allowed', w.patient.id],
        [w.outsider, 'refused', w.patient.id],
        [w.outsider, 'refused', 999999],
      ]);
    });
  });

  describe('assigning and closing', () => {
    it('assigns to a colleague on the team only, and closes: the thread leaves the inbox, says it is closed and takes no reply', async () => {
      const w = await world();
      const threadId = await started(w);
      const agent = await signedIn('nurse@example.com');

      const notOnTeam = await expectStatus(post(agent, threadId, `/staff/messages/${threadId}/assign`, { assignee: String(w.outsider) }), 422);
      expect(cheerio.load(notOnTeam.text)('.error-summary a').text()).to.equal('Choose someone who works this clinic’s or provider’s inbox');
      const missing = await expectStatus(post(agent, threadId, `/staff/messages/${threadId}/assign`, { assignee: '' }), 422);
      expect(cheerio.load(missing.text)('.error-summary a').attr('href')).to.equal('#assignee');

      const assigned = await expectStatus(post(agent, threadId, `/staff/messages/${threadId}/assign`, { assignee: String(w.colleague) }), 303);
      expect(assigned.headers.location).to.equal(`/staff/messages/${threadId}`);
      let $ = cheerio.load((await agent.get(`/staff/messages/${threadId}`)).text);
      expect($('.banner--success').text()).to.include('The conversation is assigned to Cole Colleague.');
      expect($('.summary-list__row').eq(7).find('dd').text().trim()).to.equal('Cole Colleague');
      expect($('select[name="assignee"] option[selected]').text()).to.equal('Cole Colleague');
      expect(rowsOf((await agent.get('/staff/messages')).text)[0]![3]).to.equal('Cole Colleague');

      const closed = await expectStatus(post(agent, threadId, `/staff/messages/${threadId}/close`), 303);
      expect(closed.headers.location).to.equal(`/staff/messages/${threadId}`);
      $ = cheerio.load((await agent.get(`/staff/messages/${threadId}`)).text);
      expect($('.banner--success').text()).to.include('The conversation is closed.');
      expect($('main').text()).to.include('This conversation is closed');
      expect($('.summary-list__row').eq(5).find('dd').text().trim()).to.equal('Closed');
      expect($('form[action$="/reply"], form[action$="/assign"], form[action$="/close"]').length).to.equal(0);
      expect(threadIdsOf((await agent.get('/staff/messages')).text)).to.deep.equal([]);

      // A reply sent from a page opened before the close.
      const csrf = csrfTokenIn((await agent.get('/staff/messages')).text);
      const late = await agent.post(`/staff/messages/${threadId}/reply`).field('_csrf', csrf).field('body', 'One more thing').expect(409);
      $ = cheerio.load(late.text);
      expect($('#reply-region').text()).to.include('This conversation was closed, so your reply was not sent.').and.include('One more thing');
      const lateFragment = await agent.post(`/staff/messages/${threadId}/reply`).set(FRAGMENT).field('_csrf', csrf).field('body', 'One more thing').expect(409);
      expect(lateFragment.headers['hx-retarget']).to.equal('#reply-region');
      expect(await messageCount()).to.equal(1);

      await agent.post(`/staff/messages/${threadId}/close`).type('form').send({ _csrf: csrf }).expect(303);
      expect(cheerio.load((await agent.get(`/staff/messages/${threadId}`)).text)('.banner--success').text()).to.include('This conversation had already been closed.');
    });
  });

  it('audits every read and change made through the pages, with where it came from', async () => {
    const w = await world();
    const threadId = await started(w);
    const agent = await signedIn('nurse@example.com');
    await agent.get('/staff/messages');
    await reply(agent, threadId, 'Answer', [{ content: TINY_PDF, name: 'a.pdf', type: 'application/pdf' }]);
    const attachmentId = Number((await db()('message_attachments').first('id')).id);
    await agent.get(`/staff/messages/attachments/${attachmentId}`).expect(200);
    await post(agent, threadId, `/staff/messages/${threadId}/assign`, { assignee: String(w.colleague) });
    await post(agent, threadId, `/staff/messages/${threadId}/close`);
    const rows = await db()('audit_events').where({ actor_type: 'staff', actor_id: w.nurse }).orderBy('id').select('action', 'outcome', 'subject_id', 'ip');
    const actions = rows.map((row) => `${row.action}:${row.outcome}`);
    for (const expected of ['view-message-inbox:allowed', 'view-message-thread:allowed', 'reply-message-thread:success', 'download-message-attachment:allowed', 'assign-message-thread:success', 'close-message-thread:success']) {
      expect(actions, expected).to.include(expected);
    }
    expect(rows.filter((row) => row.action === 'reply-message-thread').map((row) => Number(row.subject_id))).to.deep.equal([threadId]);
    expect(rows.every((row) => typeof row.ip === 'string' && row.ip.length > 0)).to.equal(true);
  });

  it('lists a thread assigned to someone outside the team in their inbox too', async () => {
    const w = await world();
    const threadId = await started(w);
    await db()('message_threads').where({ id: threadId }).update({ assigned_staff_id: w.outsider });
    const outsider = await signedIn('outsider@example.com');
    expect(threadIdsOf((await outsider.get('/staff/messages')).text)).to.deep.equal([threadId]);
    await outsider.get(`/staff/messages/${threadId}`).expect(200);
  });
});
