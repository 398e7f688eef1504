// The family's messaging pages over HTTP: compose (the emergency notice, recipients and subjects),
// sending with 0, 1 and 10 attachments, every refusal keeping what was typed, the conversation
// with its "expect an answer by", replies as whole pages and as htmx fragments, the inbox and sent
// lists with unread counts and paging, downloads, and 404 for every thread the reader may not see.
import { randomBytes } from 'node:crypto';
import * as cheerio from 'cheerio';
import { expect } from 'chai';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { signIn, signInReading } from '../support/identity.ts';
import { bornYearsAgo, createPatient, familyAccount, linkHolder } from '../support/family.ts';
import { careTeamAnswers, createFamilyThread, messagingWorld, type MessagingWorld } from '../support/messaging.ts';
import { testClock } from '../support/clock.ts';
import { ensureClinic } from '../support/record.ts';
import { TINY_JPEG, TINY_PDF, TINY_PNG } from '../support/attachmentSamples.ts';
import { MESSAGE_BODY_MAX_LENGTH, MESSAGES_PER_PAGE, THREADS_PER_PAGE } from '../../domain/messaging.ts';

type Upload = { content: Buffer; name: string; type: string };
const PDF: Upload = { content: TINY_PDF, name: 'school form.pdf', type: 'application/pdf' };

describe('family messaging pages', function () {
  this.timeout(60000);
  let subject: TestApp;
  let world: MessagingWorld;
  let parent: Agent;
  let teen: Agent;
  const db = () => subject.database.db;
  const base = () => `/patients/${world.patient.id}/messages`;
  const count = async (table: string) => Number((await db()(table).count<{ count: string }>('* as count').first())?.count);

  beforeEach(async () => {
    subject = await buildTestApp();
    world = await messagingWorld(db());
    parent = agentIn(subject.app, 'en');
    expect(await signIn(parent, '', world.parent.email)).to.equal('/home');
    teen = agentIn(subject.app, 'en');
    expect(await signIn(teen, '', world.teen.email)).to.equal('/home');
  });
  afterEach(() => subject.close());

  /** Posts the compose form as a browser would: multipart, with the page's CSRF token. */
  async function compose(agent: Agent, fields: Record<string, string>, files: Upload[] = [], patientId = world.patient.id) {
    const page = await agent.get(`/patients/${patientId}/messages/new`);
    let request = agent.post(`/patients/${patientId}/messages/new`).field('_csrf', csrfTokenIn(page.text));
    for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
    for (const file of files) request = request.attach('attachments', file.content, { filename: file.name, contentType: file.type });
    return request;
  }
  const VALID = { recipient: 'clinic:CARD', subject: 'medical-question', body: 'Line one of the question.\nLine two.' };
  async function startedThread(agent: Agent, fields: Record<string, string> = VALID, files: Upload[] = []): Promise<number> {
    const response = await compose(agent, fields, files);
    expect(response.status, response.text.slice(0, 500)).to.equal(303);
    return Number(/\/messages\/(\d+)$/.exec(response.headers.location!)![1]);
  }
  async function reply(agent: Agent, threadId: number, body: string, options: { htmx?: boolean; files?: Upload[] } = {}) {
    const page = await agent.get(`${base()}/${threadId}`);
    let request = agent.post(`${base()}/${threadId}/reply`).field('_csrf', csrfTokenIn(page.text)).field('body', body);
    for (const file of options.files ?? []) request = request.attach('attachments', file.content, { filename: file.name, contentType: file.type });
    if (options.htmx) request = request.set('HX-Request', 'true').set('HX-Request-Type', 'partial');
    return request;
  }

  describe('composing', () => {
    it('says on the compose page that messages are not for emergencies, and offers the care team and the subject list', async () => {
      const response = await parent.get(`${base()}/new`);
      expect(response.status).to.equal(200);
      const $ = cheerio.load(response.text);
      expect($('#emergency-notice-title').text()).to.equal('Not for emergencies or urgent questions');
      expect($('.banner').text()).to.include('call 911').and.include(subject.config.hospital.mainPhone);
      expect($('#recipient option').map((_i, option) => $(option).attr('value')).get()).to.deep.equal(['', `practitioner:${world.doctorId}`, 'clinic:CARD']);
      expect($('#recipient option').eq(1).text()).to.equal('Ada Okafor, MD');
      expect($('#subject option').map((_i, option) => $(option).text()).get()).to.deep.equal(['Choose one', 'Prescription', 'Test result', 'Medical question', 'Referral', 'Follow-up', 'Form request', 'Photo upload', 'Other']);
      expect($(`form[action="${base()}/new"]`).attr('enctype')).to.equal('multipart/form-data');
      expect($('#attachments').attr('accept')).to.include('.pdf').and.include('.docx').and.include('.mov');
      const spanish = agentIn(subject.app, 'es');
      await signInReading(db(), spanish, '', world.parent.email, 'es');
      const $es = cheerio.load((await spanish.get(`${base()}/new`)).text);
      expect($es('#emergency-notice-title').text()).to.equal('No es para emergencias ni preguntas urgentes');
      expect($es('#subject option').eq(1).text()).to.equal('Receta');
    });

    for (const files of [[], [PDF], Array.from({ length: 10 }, (_, index) => [PDF, { content: TINY_PNG, name: `photo ${index}.png`, type: 'image/png' }, { content: TINY_JPEG, name: `rash ${index}.jpg`, type: 'image/jpeg' }][index % 3]!)]) {
      it(`sends with ${files.length} attachment(s): the conversation shows the message, its files and when to expect an answer`, async () => {
        const threadId = await startedThread(parent, VALID, files);
        const page = await parent.get(`${base()}/${threadId}`);
        expect(page.status).to.equal(200);
        const $ = cheerio.load(page.text);
        expect($('#notice-title').text()).to.equal('Your message was sent.');
        expect($('h1').text()).to.equal('Message: Medical question');
        expect($('#answer-by').text()).to.match(/^Expect an answer by .+\d{4}.+\.$/);
        expect($('#messages > li')).to.have.length(1);
        expect($('#messages .message__body').text()).to.equal(VALID.body);
        expect($('#messages .message__heading').text()).to.include('You');
        const links = $('#messages .message__files a');
        expect(links.map((_i, link) => $(link).text()).get()).to.deep.equal(files.map((file) => file.name));
        for (const [index, file] of files.entries()) {
          const download = await parent.get(links.eq(index).attr('href')!).buffer(true).parse((res, callback) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => callback(null, Buffer.concat(chunks)));
          });
          expect(download.status).to.equal(200);
          expect(Buffer.compare(download.body as Buffer, file.content), file.name).to.equal(0);
          expect(download.headers['content-disposition']).to.match(/^attachment/);
          expect(download.headers['x-content-type-options']).to.equal('nosniff');
        }
        expect(await count('message_attachments')).to.equal(files.length);
        const again = cheerio.load((await parent.get(`${base()}/${threadId}`)).text);
        expect(again('#notice-title'), 'the notice shows once').to.have.length(0);
      });
    }

    const refusals: { name: string; fields?: Record<string, string>; files?: Upload[]; field: string; message: RegExp }[] = [
      { name: 'no recipient', fields: { ...VALID, recipient: '' }, field: 'recipient', message: /Choose whom to write to/ },
      { name: 'a recipient not on the care team', fields: { ...VALID, recipient: 'clinic:DERM' }, field: 'recipient', message: /Choose whom to write to/ },
      { name: 'no subject', fields: { ...VALID, subject: 'gossip' }, field: 'subject', message: /Choose a subject/ },
      { name: 'an empty message', fields: { ...VALID, body: '   \n ' }, field: 'body', message: /Write your message/ },
      { name: 'a message over 20,000 characters', fields: { ...VALID, body: 'x'.repeat(MESSAGE_BODY_MAX_LENGTH + 1) }, field: 'body', message: /longer than 20,000/ },
      { name: 'an 11th attachment', files: Array.from({ length: 11 }, (_, index) => ({ ...PDF, name: `page ${index}.pdf` })), field: 'attachments', message: /no more than 10 files/ },
      { name: 'an executable renamed .pdf', files: [{ content: Buffer.concat([Buffer.from('MZ'), randomBytes(200)]), name: 'lab results.pdf', type: 'application/pdf' }], field: 'attachments', message: /cannot be attached/ },
    ];
    for (const refusal of refusals) {
      it(`refuses ${refusal.name} with a clear message and keeps what was typed`, async () => {
        const fields = refusal.fields ?? VALID;
        const response = await compose(parent, fields, refusal.files);
        expect(response.status).to.equal(422);
        const $ = cheerio.load(response.text);
        expect($('.error-summary a').attr('href')).to.equal(`#${refusal.field}`);
        expect($(`#${refusal.field}-error`).text()).to.match(refusal.message);
        expect($('#body').text()).to.equal(fields.body);
        if (fields.subject === VALID.subject) expect($('#subject option[selected]').attr('value')).to.equal(VALID.subject);
        if (fields.recipient === VALID.recipient) expect($('#recipient option[selected]').attr('value')).to.equal(VALID.recipient);
        expect(await count('message_threads')).to.equal(0);
        expect(await count('message_attachments')).to.equal(0);
      });
    }

    it('answers 404 for a patient who is not the holder’s, and writes nothing', async () => {
      const other = await createPatient(db(), { birthDate: bornYearsAgo(7), givenNames: 'Emma', familyName: 'Lind' });
      await linkHolder(db(), (await familyAccount(db(), 'stranger')).id, other.id, 'parent');
      expect((await parent.get(`/patients/${other.id}/messages/new`)).status).to.equal(404);
      const page = await parent.get(`${base()}/new`);
      const response = await parent.post(`/patients/${other.id}/messages/new`).field('_csrf', csrfTokenIn(page.text)).field('recipient', 'clinic:CARD').field('subject', 'other').field('body', 'Hello');
      expect(response.status).to.equal(404);
      expect(await count('message_threads')).to.equal(0);
    });
  });

  describe('a conversation', () => {
    it('takes a reply as a whole page without JavaScript, and as the new message plus an empty form for htmx', async () => {
      const threadId = await startedThread(parent);
      const plain = await reply(parent, threadId, 'A plain reply.', { files: [PDF] });
      expect(plain.status).to.equal(303);
      expect(plain.headers.location).to.match(new RegExp(`/messages/${threadId}#message-\\d+$`));
      const page = cheerio.load((await parent.get(`${base()}/${threadId}`)).text);
      expect(page('#notice-title').text()).to.equal('Your reply was sent.');
      expect(page('#messages > li .message__body').map((_i, body) => page(body).text()).get()).to.deep.equal([VALID.body, 'A plain reply.']);

      const htmx = await reply(parent, threadId, 'An htmx reply.', { htmx: true });
      expect(htmx.status).to.equal(200);
      expect(htmx.headers.vary).to.include('HX-Request');
      const $ = cheerio.load(htmx.text, null, false);
      expect($.root().children('li.message')).to.have.length(1);
      expect($('li.message .message__body').text()).to.equal('An htmx reply.');
      expect($('form#reply-form').attr('data-hx-swap-oob')).to.equal('true');
      expect($('form#reply-form textarea').text(), 'the form comes back empty').to.equal('');
      expect($('#answer-by').attr('data-hx-swap-oob')).to.equal('true');
      expect($('h1, header, footer'), 'only the fragment').to.have.length(0);
    });

    it('puts the reply form back with its message and the typed text when htmx sends a refused reply, and a whole page without htmx', async () => {
      const threadId = await startedThread(parent);
      const tooLong = 'y'.repeat(MESSAGE_BODY_MAX_LENGTH + 1);
      const htmx = await reply(parent, threadId, tooLong, { htmx: true });
      expect(htmx.status).to.equal(422);
      expect(htmx.headers['hx-retarget']).to.equal('#reply-form');
      expect(htmx.headers['hx-reswap']).to.equal('outerHTML');
      const $ = cheerio.load(htmx.text, null, false);
      expect($.root().children('form#reply-form')).to.have.length(1);
      expect($('#body-error').text()).to.include('longer than 20,000');
      expect($('#body').text()).to.equal(tooLong);
      const plain = await reply(parent, threadId, ' ');
      expect(plain.status).to.equal(422);
      expect(cheerio.load(plain.text)('h1').text()).to.equal('Message: Medical question');
      expect(await count('messages')).to.equal(1);
    });

    it('says a closed conversation takes no reply, keeps the typed text, and offers a new message', async () => {
      const threadId = await startedThread(parent);
      const pageBefore = await parent.get(`${base()}/${threadId}`);
      await db()('message_threads').where({ id: threadId }).update({ status: 'closed', closed_at: new Date() });
      const response = await parent.post(`${base()}/${threadId}/reply`).field('_csrf', csrfTokenIn(pageBefore.text)).field('body', 'One more thing');
      expect(response.status).to.equal(422);
      const $ = cheerio.load(response.text);
      expect($('.error-summary').text()).to.include('has been closed');
      expect($('#body').text()).to.equal('One more thing');
      const page = cheerio.load((await parent.get(`${base()}/${threadId}`)).text);
      expect(page('#reply-form')).to.have.length(0);
      expect(page('#answer-by').text()).to.equal('This conversation is closed.');
      expect(page(`a[href="${base()}/new"]`).length).to.be.greaterThan(0);
    });

    it('shows the newest messages of a long conversation with a link to the earlier ones', async () => {
      const threadId = await startedThread(parent, { ...VALID, body: 'message 1' });
      for (let n = 2; n <= MESSAGES_PER_PAGE + 5; n += 1) await careTeamAnswers(subject, world.nurse, threadId, `message ${n}`);
      const $ = cheerio.load((await parent.get(`${base()}/${threadId}`)).text);
      expect($('#messages > li')).to.have.length(MESSAGES_PER_PAGE);
      expect($('#messages > li .message__body').first().text()).to.equal('message 6');
      const earlier = $('a').filter((_i, link) => $(link).text() === 'Show earlier messages').attr('href')!;
      const $older = cheerio.load((await parent.get(earlier)).text);
      expect($older('#messages > li .message__body').map((_i, body) => $older(body).text()).get()).to.deep.equal(['message 1', 'message 2', 'message 3', 'message 4', 'message 5']);
      expect($older('#reply-form'), 'replies are written under the newest messages').to.have.length(0);
      expect((await parent.get(`${base()}/${threadId}?before=abc`)).status, 'a bad value falls back to the newest').to.equal(200);
    });

    it('answers 404 for a thread of another patient, of the teen (to a parent) and of a parent (to the teen), on every address', async () => {
      const parentThread = await startedThread(parent, VALID, [PDF]);
      const teenThread = await startedThread(teen);
      const other = await createPatient(db(), { birthDate: bornYearsAgo(9), givenNames: 'Emma', familyName: 'Lind' });
      const stranger = agentIn(subject.app, 'en');
      const strangerAccount = await familyAccount(db(), 'stranger');
      await linkHolder(db(), strangerAccount.id, other.id, 'parent');
      await signIn(stranger, '', strangerAccount.email);
      const attachmentId = (await db()('message_attachments').first('id')).id;
      const strangerPage = await stranger.get(`/patients/${other.id}/messages`);
      expect(strangerPage.status).to.equal(200);
      const csrf = csrfTokenIn((await stranger.get(`/patients/${other.id}/messages/new`)).text);
      for (const [agent, path] of [
        [stranger, `${base()}/${parentThread}`],
        [stranger, `/patients/${other.id}/messages/${parentThread}`],
        [stranger, `/patients/${other.id}/messages/attachments/${attachmentId}`],
        [stranger, `${base()}`],
        [parent, `${base()}/${teenThread}`],
        [teen, `${base()}/${parentThread}`],
        [teen, `${base()}/attachments/${attachmentId}`],
        [parent, `${base()}/999999`],
      ] as const) {
        expect((await agent.get(path)).status, path).to.equal(404);
      }
      const post = await stranger.post(`/patients/${other.id}/messages/${parentThread}/reply`).field('_csrf', csrf).field('body', 'Hello');
      expect(post.status).to.equal(404);
      expect(await count('messages')).to.equal(2);
      const refused = await db()('audit_events').where({ action: 'read-message-thread', outcome: 'refused' }).count<{ count: string }>('* as count').first();
      expect(Number(refused!.count)).to.be.greaterThan(0);
    });

    it('sends a session that has ended to sign in, telling htmx to load the page rather than pour it into the conversation', async () => {
      const threadId = await startedThread(parent);
      const page = await parent.get(`${base()}/${threadId}`);
      await parent.post('/signout').type('form').send({ _csrf: csrfTokenIn(page.text) });
      const htmx = await parent.get(`${base()}`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
      expect(htmx.status).to.equal(401);
      expect(htmx.headers['hx-redirect']).to.match(/^\/signin\?returnTo=/);
      expect((await parent.get(`${base()}`)).status).to.equal(303);
    });
  });

  describe('inbox and sent', () => {
    it('lists a new conversation under sent, and under the inbox once the care team answers, unread until opened', async () => {
      const threadId = await startedThread(parent);
      let inbox = cheerio.load((await parent.get(base())).text);
      expect(inbox('.list-count').text()).to.equal('No answers from the care team yet.');
      const sent = cheerio.load((await parent.get(`${base()}/sent`)).text);
      expect(sent('tbody tr')).to.have.length(1);
      expect(sent('tbody tr').text()).to.include('Medical question').and.include('Cardiology').and.include('Answer expected by');

      await careTeamAnswers(subject, world.nurse, threadId, 'We looked at it.');
      inbox = cheerio.load((await parent.get(base())).text);
      expect(inbox('.list-count').text()).to.equal('Conversations: 1 to 1 of 1. Unread messages from the care team: 1.');
      expect(inbox('tbody tr').text()).to.include('Unread: 1').and.include('Answered');
      const home = cheerio.load((await parent.get('/home')).text);
      expect(home('.patient-list').text()).to.include('(unread: 1)');

      await parent.get(`${base()}/${threadId}`);
      inbox = cheerio.load((await parent.get(base())).text);
      expect(inbox('tbody tr').text()).to.not.include('Unread');
      expect(cheerio.load((await parent.get('/home')).text)('.patient-list').text()).to.not.include('unread');
    });

    it('shows a second account holder whose conversation is whose, and counts only the care team’s messages as unread', async () => {
      // A parent and a DCF caseworker hold the same patient; both may read the family's threads.
      const caseworker = await familyAccount(db(), 'caseworker');
      await linkHolder(db(), caseworker.id, world.patient.id, 'dcf-caseworker', new Date(Date.now() - 86_400_000));
      await db()('accounts').where({ id: world.parent.id }).update({ name: 'Dana Marchetti' });
      await db()('accounts').where({ id: caseworker.id }).update({ name: 'Robin Castillo' });
      const second = agentIn(subject.app, 'en');
      expect(await signIn(second, '', caseworker.email)).to.equal('/home');
      const startedBy = ($: cheerio.CheerioAPI) => $('tbody tr td[data-started-by]').map((_i, cell) => $(cell).text().trim()).get();
      const threadId = await startedThread(parent);

      let inbox = cheerio.load((await second.get(base())).text);
      expect(inbox('.list-count').text(), 'another holder’s question is not unread news').to.equal('No answers from the care team yet.');
      let sent = cheerio.load((await second.get(`${base()}/sent`)).text);
      expect(sent('main p').first().text()).to.not.include('you have written');
      expect(sent('main').text()).to.include('anyone else who has access');
      expect(startedBy(sent), 'the other holder’s thread is not shown as theirs').to.deep.equal(['Dana Marchetti']);
      expect(sent('tbody tr').text()).to.not.include('Unread');
      expect(startedBy(cheerio.load((await parent.get(`${base()}/sent`)).text))).to.deep.equal(['You']);
      expect(cheerio.load((await second.get('/home')).text)('.patient-list').text()).to.not.include('unread');

      await careTeamAnswers(subject, world.nurse, threadId, 'We looked at it.');
      await reply(second, threadId, 'Adding the school’s form.');
      inbox = cheerio.load((await parent.get(base())).text);
      expect(inbox('.list-count').text(), 'the caseworker’s reply is not counted for the parent').to.equal('Conversations: 1 to 1 of 1. Unread messages from the care team: 1.');
      expect(startedBy(inbox)).to.deep.equal(['You']);
      sent = cheerio.load((await second.get(`${base()}/sent`)).text);
      expect(startedBy(sent)).to.deep.equal(['Dana Marchetti']);

      const spanish = agentIn(subject.app, 'es');
      await signInReading(subject.database.db, spanish, '', caseworker.email, 'es');
      const sentEs = cheerio.load((await spanish.get(`${base()}/sent`)).text);
      expect(sentEs('thead').text()).to.include('Iniciada por');
      expect(startedBy(sentEs)).to.deep.equal(['Dana Marchetti']);
    });

    it('pages the list, and sends only the list for htmx', async () => {
      for (let n = 0; n < THREADS_PER_PAGE + 2; n += 1) await startedThread(parent);
      const first = cheerio.load((await parent.get(`${base()}/sent`)).text);
      expect(first('tbody tr')).to.have.length(THREADS_PER_PAGE);
      expect(first('.list-count').text()).to.equal(`Conversations: 1 to ${THREADS_PER_PAGE} of ${THREADS_PER_PAGE + 2}.`);
      const fragment = await parent.get(`${base()}/sent?page=2`).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
      expect(fragment.headers.vary).to.include('HX-Request');
      const $ = cheerio.load(fragment.text, null, false);
      expect($('tbody tr')).to.have.length(2);
      expect($('h1')).to.have.length(0);
      expect((await parent.get(`${base()}/sent?page=99`)).status).to.equal(200);
    });

    it('audits each view', async () => {
      const threadId = await startedThread(parent);
      await parent.get(base());
      await parent.get(`${base()}/sent`);
      await parent.get(`${base()}/${threadId}`);
      const actions = await db()('audit_events').where({ actor_id: world.parent.id }).orderBy('id').pluck('action');
      expect(actions).to.include.members(['view-message-compose', 'start-message-thread', 'view-messages-inbox', 'view-messages-sent', 'view-message-thread', 'read-message-thread']);
    });
  });

  describe('an answer that is late', () => {
    // Thursday 3 December 2026, 10:00 in New York: two days after the answers below were due.
    const clock = testClock(new Date('2026-12-03T15:00:00Z'));
    let late: TestApp;
    let lateWorld: MessagingWorld;
    beforeEach(async () => {
      late = await buildTestApp({ now: clock.now });
      lateWorld = await messagingWorld(late.database.db, clock.now());
      await late.database.db('clinics').where({ department_code: 'CARD' }).update({ phone: '555-0142' });
      await ensureClinic(late.database.db, 'DERM', 'Dermatology');
    });
    afterEach(() => late.close());

    /** A question sent Friday 27 November, due by 17:00 on Tuesday 1 December. */
    const askedBeforeTheDueDate = (departmentCode: string) =>
      createFamilyThread(late.database.db, { patientId: lateWorld.patient.id, accountId: lateWorld.parent.id, departmentCode, body: 'Is the rash worse?', sentAt: new Date('2026-11-27T19:00:00Z'), dueAt: new Date('2026-12-01T22:00:00Z') });

    it('says plainly that the answer is late and to call the clinic, with its number, in English and Spanish', async () => {
      const { threadId } = await askedBeforeTheDueDate('CARD');
      const agent = agentIn(late.app, 'en');
      expect(await signIn(agent, '', lateWorld.parent.email)).to.equal('/home');
      const page = cheerio.load((await agent.get(`/patients/${lateWorld.patient.id}/messages/${threadId}`)).text);
      const answerBy = page('#answer-by').text();
      expect(answerBy).to.not.include('Expect an answer by');
      expect(answerBy).to.include('late').and.include('December 1').and.include('call Cardiology at 555-0142');
      const sent = cheerio.load((await agent.get(`/patients/${lateWorld.patient.id}/messages/sent`)).text);
      expect(sent('tbody tr td').last().text()).to.match(/^Late: expected by .*December 1/);

      const spanish = agentIn(late.app, 'es');
      await signInReading(late.database.db, spanish, '', lateWorld.parent.email, 'es');
      const pageEs = cheerio.load((await spanish.get(`/patients/${lateWorld.patient.id}/messages/${threadId}`)).text);
      expect(pageEs('#answer-by').text()).to.include('retraso').and.include('llame a Cardiology al 555-0142');
      const sentEs = cheerio.load((await spanish.get(`/patients/${lateWorld.patient.id}/messages/sent`)).text);
      expect(sentEs('tbody tr td').last().text()).to.match(/^Con retraso: se esperaba antes del /);
    });

    it('gives the hospital’s main line when the record has no number for the clinic', async () => {
      const { threadId } = await askedBeforeTheDueDate('DERM');
      const agent = agentIn(late.app, 'en');
      await signIn(agent, '', lateWorld.parent.email);
      const page = cheerio.load((await agent.get(`/patients/${lateWorld.patient.id}/messages/${threadId}`)).text);
      expect(page('#answer-by').text()).to.include('late').and.include(`main line at ${late.config.hospital.mainPhone}`).and.include('Dermatology');
    });
  });
});
