import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { keyPaths, lookup, translate } from '../../locales/index.ts';

const PLACEHOLDER = /\{(\w+)\}/g;

function sourceFiles(dir: string, extensions: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full, extensions);
    return extensions.some((extension) => name.endsWith(extension)) ? [full] : [];
  });
}

describe('locales', () => {
  it('have exactly the same keys (and list lengths) in English and Spanish', () => {
    const english = keyPaths('en');
    const spanish = keyPaths('es');
    expect(english.filter((key) => !spanish.includes(key)), 'missing in es.json').to.deep.equal([]);
    expect(spanish.filter((key) => !english.includes(key)), 'missing in en.json').to.deep.equal([]);
  });

  it('use the same placeholders for a key in both languages, and have no empty texts', () => {
    for (const key of keyPaths('en')) {
      const en = String(lookup('en', key));
      const es = String(lookup('es', key));
      expect(es.trim(), key).not.to.equal('');
      expect([...es.matchAll(PLACEHOLDER)].map((m) => m[1]).sort(), key).to.deep.equal([...en.matchAll(PLACEHOLDER)].map((m) => m[1]).sort());
    }
  });

  it('have a text for every key the views and code ask for', () => {
    const files = [...sourceFiles('views', ['.njk']), ...sourceFiles('routes', ['.ts'])];
    const used = new Set<string>();
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([\w.]+)'|'((?:contact|errors|common)\.[\w.]+)'/g)) used.add((match[1] ?? match[2])!);
    }
    expect(used.size).to.be.greaterThan(40);
    // Keys built at run time ('portals.' + portal) end in a dot; the page tests cover them.
    const missing = [...used].filter((key) => !key.endsWith('.')).filter((key) => {
      try {
        lookup('en', key);
        lookup('es', key);
        return false;
      } catch {
        return true;
      }
    });
    expect(missing).to.deep.equal([]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('es', 'pagination.pageNumber', { number: 3 })).to.equal('Página 3');
    expect(translate('en', 'pagination.pageNumber')).to.equal('Page {number}');
  });

  it('writes one full stop when a filled-in value already ends with one ("5:00 p.m.")', () => {
    const hours = 'de lunes a viernes, de 8:00 a.m. a 5:00 p.m.';
    expect(translate('es', 'errors.contact', { phone: '555-0101', hours })).to.equal(`Si necesita ayuda, llame a soporte del portal al 555-0101, ${hours}`);
    expect(translate('es', 'careTeamMessages.inbox.updatedAt', { time: '9:05 a.m.' })).to.equal('Lista a las 9:05 a.m.');
    // A value without a stop keeps the text's own.
    expect(translate('en', 'careTeamMessages.inbox.updatedAt', { time: '9:05 AM' })).to.equal('List as of 9:05 AM.');
  });

  it('refuses a key that does not exist, instead of showing it', () => {
    expect(() => translate('en', 'no.such.key')).to.throw('No "en" text for "no.such.key"');
  });
});
