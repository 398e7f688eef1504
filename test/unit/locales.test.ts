import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { keyPaths, lookup, translate, translateOrFallBack, type Messages } from '../../locales/index.ts';
import { RUNTIME_KEYS, runtimeKeys } from '../../locales/runtimeKeys.ts';

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

  it('have a text for every key the code builds at run time, from the lists in locales/runtimeKeys.ts', () => {
    const missing = runtimeKeys().filter(({ pattern, key }) => {
      // Emails are structured entries (subject, paragraphs); everything else is a single text.
      const single = !pattern.startsWith('emails.');
      return !(['en', 'es'] as const).every((language) => {
        try {
          return single ? typeof lookup(language, key) === 'string' : typeof lookup(language, key) === 'object';
        } catch {
          return false;
        }
      });
    });
    expect(missing.map(({ key }) => key)).to.deep.equal([]);
  });

  it('build keys at run time only from a pattern listed in locales/runtimeKeys.ts', () => {
    const built = new Map<string, string>();
    const add = (pattern: string, file: string) => built.set(pattern, file);
    for (const file of sourceFiles('views', ['.njk'])) {
      const text = readFileSync(file, 'utf8');
      // t('a.b.' + value) and t('a.' + value + '.c')
      for (const match of text.matchAll(/\bt\(\s*'([\w.]*)'\s*\+\s*[^+),]+?(?:\+\s*'([\w.]*)')?\s*[,)]/g)) add(`${match[1]}*${match[2] ?? ''}`, file);
      for (const match of text.matchAll(/\|\s*choices\(\s*'([\w.]+)'/g)) add(`${match[1]}*`, file);
    }
    for (const file of ['routes', 'services', 'views', 'jobs'].flatMap((dir) => sourceFiles(dir, ['.ts']))) {
      // t(`a.${value}.c`), translate(language, `a.${value}`), translateContent(language, `a.${value}`)
      for (const match of readFileSync(file, 'utf8').matchAll(/\b(?:t|translate|translateContent)\((?:\w+, )?`([\w.]*)\$\{[^}]+\}([\w.]*)`/g)) add(`${match[1]}*${match[2]}`, file);
    }
    expect(built.size).to.be.greaterThan(80);
    const unlisted = [...built].filter(([pattern]) => !(pattern in RUNTIME_KEYS)).map(([pattern, file]) => `${pattern} (${file})`);
    expect(unlisted).to.deep.equal([]);
  });

  it('have every long content page the views ask for', () => {
    const asked = sourceFiles('views', ['.njk']).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bcontent\('([\w.]+)'\)/g)].map((match) => `content.${match[1]}`));
    expect(asked.length).to.be.greaterThan(3);
    for (const key of asked) for (const language of ['en', 'es'] as const) expect(typeof lookup(language, key), `${language} ${key}`).to.equal('object');
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

  describe('outside development, a missing text', () => {
    const catalogues: Record<'en' | 'es', Messages> = {
      en: { notices: { done: 'Request {reference} is done.', both: 'Both' } },
      es: { notices: { both: 'Ambos' } },
    };
    const reports: string[] = [];
    const report = (language: string, key: string) => reports.push(`${language}:${key}`);
    beforeEach(() => reports.splice(0));

    it('shows the other language’s text, and is reported', () => {
      expect(translateOrFallBack('es', 'notices.done', { reference: 'PC-4' }, report, catalogues)).to.equal('Request PC-4 is done.');
      expect(reports).to.deep.equal(['es:notices.done']);
    });

    it('shows the key’s last segment when neither language has it, and is reported', () => {
      expect(translateOrFallBack('en', 'practiceChange.notices.approved', {}, report, catalogues)).to.equal('approved');
      expect(translateOrFallBack('en', 'notices', {}, report, catalogues), 'a structure is not a text').to.equal('notices');
      expect(reports).to.deep.equal(['en:practiceChange.notices.approved', 'en:notices']);
    });

    it('is not reported when the text exists', () => {
      expect(translateOrFallBack('es', 'notices.both', {}, report, catalogues)).to.equal('Ambos');
      expect(translateOrFallBack('en', 'pagination.pageNumber', { number: 2 }, report)).to.equal('Page 2');
      expect(reports).to.deep.equal([]);
    });
  });
});
