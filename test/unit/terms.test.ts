// Issue 20 item 10: one name for each code, in both languages. The family's code on the
// hospital's letter is the "sign-up code" ("código de registro") on the letter, the form and
// every help text; the family's code for an outside provider is the "invitation code"
// ("código de invitación") in the email and on the MyPatients page that takes it.
import { expect } from 'chai';
import { keyPaths, lookup } from '../../locales/index.ts';

const texts = (language: 'en' | 'es') => keyPaths(language).map((key) => ({ key, text: String(lookup(language, key)) }));

describe('the names of the codes', () => {
  it('never call either code a token, or the sign-up code anything else in Spanish', () => {
    expect(texts('en').filter(({ text }) => /\btokens?\b/i.test(text))).to.deep.equal([]);
    expect(texts('es').filter(({ text }) => /\btokens?\b|c[oó]digo de inscripci[oó]n/i.test(text))).to.deep.equal([]);
  });

  it('call the sign-up code the same on the letter and on the form that takes it', () => {
    for (const [language, term] of [
      ['en', 'sign-up code'],
      ['es', 'código de registro'],
    ] as const) {
      expect(String(lookup(language, 'patients.fields.code')).toLowerCase(), language).to.equal(term);
      expect(String(lookup(language, 'support.letter.codeLabel')).toLowerCase(), language).to.include(term);
      expect(String(lookup(language, 'patients.addToken.title')).toLowerCase(), language).to.include(term);
      expect(String(lookup(language, 'patients.add.withToken.title')).toLowerCase(), language).to.include(term);
    }
  });

  it('name the MyPatients page for the invitation code the same on its link, its title and in the email', () => {
    for (const [language, title, term] of [
      ['en', 'Validate an invitation code', 'invitation code'],
      ['es', 'Validar un código de invitación', 'código de invitación'],
    ] as const) {
      expect(lookup(language, 'providerTokens.title'), language).to.equal(title);
      expect(lookup(language, 'providerRecord.home.validateToken'), language).to.equal(title);
      const email = lookup(language, 'emails.sharingInvitation.paragraphs') as string[];
      expect(email.join(' '), language).to.include(`"${title}"`).and.include(term);
      expect(String(lookup(language, 'providerTokens.fields.token')).toLowerCase(), language).to.equal(term);
    }
  });
});
