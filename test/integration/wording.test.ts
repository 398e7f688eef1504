// Issue 20 item 10: words a new user tripped on. The teen's own compose page speaks to the teen,
// and a file whose content does not match its name is refused for that reason, not with a
// list of allowed kinds that includes its own.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { agentIn, csrfTokenIn, type Agent } from '../support/http.ts';
import { signIn } from '../support/identity.ts';
import { messagingWorld, type MessagingWorld } from '../support/messaging.ts';
import { TINY_EXE, TINY_PNG } from '../support/attachmentSamples.ts';
import { TINY_PDF } from '../support/family.ts';

describe('wording', function () {
  this.timeout(60000);
  let subject: TestApp;
  let world: MessagingWorld;
  const db = () => subject.database.db;
  const compose = () => `/patients/${world.patient.id}/messages/new`;

  beforeEach(async () => {
    subject = await buildTestApp();
    world = await messagingWorld(db());
  });
  afterEach(() => subject.close());

  async function signedIn(who: { id: number; email: string }, language: 'en' | 'es' = 'en'): Promise<Agent> {
    await db()('accounts').where({ id: who.id }).update({ preferred_language: language });
    const agent = agentIn(subject.app, language);
    expect(await signIn(agent, '', who.email)).to.equal('/home');
    return agent;
  }
  const urgentLine = async (agent: Agent) => cheerio.load((await agent.get(compose())).text)('#emergency-notice-title').parent().text();

  it("tells the teen to call their own doctor's office, and the parent their child's", async () => {
    const teen = await urgentLine(await signedIn(world.teen));
    expect(teen).to.include("call your doctor's office").and.not.include('child');
    expect(await urgentLine(await signedIn(world.parent))).to.include("call your child's doctor's office");
    const teenSpanish = await urgentLine(await signedIn(world.teen, 'es'));
    expect(teenSpanish).to.include('llame al consultorio de su médico').and.not.include('su hijo');
    expect(await urgentLine(await signedIn(world.parent, 'es'))).to.include('llame al consultorio del médico de su hijo');
  });

  describe('a file that is not what its name says', () => {
    async function send(agent: Agent, file: { content: Buffer; name: string; type: string }) {
      const page = await agent.get(compose());
      return agent
        .post(compose())
        .field('_csrf', csrfTokenIn(page.text))
        .field('recipient', 'clinic:CARD')
        .field('subject', 'photo-upload')
        .field('body', 'A photo of the rash.')
        .attach('attachments', file.content, { filename: file.name, contentType: file.type });
    }
    const errorOf = (html: string) => cheerio.load(html)('#attachments-error').text().replace(/^\s*Error:\s*/, '').trim();

    it('says that the content did not match the name, in English and Spanish, and keeps what was typed', async () => {
      const english = await send(await signedIn(world.parent), { content: TINY_PDF, name: 'rash.png', type: 'image/png' });
      expect(english.status).to.equal(422);
      expect(errorOf(english.text)).to.equal('“rash.png” cannot be attached: what is in the file does not match its name (.png). Nothing was attached: choose the files again.');
      expect(cheerio.load(english.text)('#body').text()).to.equal('A photo of the rash.');
      const spanish = await send(await signedIn(world.parent, 'es'), { content: TINY_EXE, name: 'sarpullido.png', type: 'image/png' });
      expect(spanish.status).to.equal(422);
      expect(errorOf(spanish.text)).to.equal('No se puede adjuntar «sarpullido.png»: lo que contiene el archivo no coincide con su nombre (.png). No se adjuntó nada: vuelva a elegir los archivos.');
    });

    it('still lists the kinds that may be attached when the name is of a kind that may not', async () => {
      const response = await send(await signedIn(world.parent), { content: TINY_PNG, name: 'rash.gif', type: 'image/gif' });
      expect(response.status).to.equal(422);
      expect(errorOf(response.text)).to.include('“rash.gif” cannot be attached. You can attach').and.include('(.png, .jpg or .jpeg)');
    });
  });
});
