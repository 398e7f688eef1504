import { expect } from 'chai';
import { chooseLanguage, isLanguage } from '../../domain/language.ts';
import { isLocalPath } from '../../domain/localPath.ts';

describe('chooseLanguage', () => {
  it('keeps the language the person chose over the browser', () => {
    expect(chooseLanguage('es', 'en-US,en;q=0.9')).to.equal('es');
  });
  it('follows the browser when nothing was chosen', () => {
    expect(chooseLanguage(undefined, 'es-MX,es;q=0.9,en;q=0.5')).to.equal('es');
  });
  it('takes the highest-quality supported language, not the first listed', () => {
    expect(chooseLanguage(undefined, 'fr;q=0.9,en;q=0.4,es;q=0.8')).to.equal('es');
  });
  it('ignores languages refused with q=0 and unknown choices', () => {
    expect(chooseLanguage('de', 'es;q=0, en;q=0.1')).to.equal('en');
  });
  it('falls back to English', () => {
    expect(chooseLanguage(undefined, undefined)).to.equal('en');
    expect(chooseLanguage(undefined, 'zh-CN')).to.equal('en');
  });
  it('recognises only the two supported languages', () => {
    expect(isLanguage('en')).to.equal(true);
    expect(isLanguage('es')).to.equal(true);
    expect(isLanguage('EN')).to.equal(false);
    expect(isLanguage(undefined)).to.equal(false);
  });
});

describe('isLocalPath', () => {
  it('accepts paths on this site', () => {
    expect(isLocalPath('/help?x=1#top')).to.equal(true);
  });
  it('refuses other sites, protocol-relative and backslash tricks, and header injection', () => {
    for (const value of ['https://evil.example', '//evil.example', '/\\evil.example', 'help', '/ok\r\nSet-Cookie: x', '', undefined, 42]) {
      expect(isLocalPath(value), String(value)).to.equal(false);
    }
  });
});
