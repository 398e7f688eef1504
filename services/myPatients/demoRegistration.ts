// Demo data: one provider application waiting in the MyPatients team's queue, made on an empty
// demo database so the queue has something to open, approve or decline.
import type { Knex } from 'knex';
import { insertRegistration } from '../../data/providerRegistrations.ts';
import { dueAfterBusinessDays } from '../businessCalendar.ts';
import type { Config } from '../../config.ts';
import { REGISTRATION_REVIEW_BUSINESS_DAYS } from '../../domain/providerRegistration.ts';

/** A one-page PDF that says it is a demo document (file-type reads it as a PDF). */
function demoPdf(title: string): Buffer {
  const text = `BT /F1 18 Tf 72 720 Td (${title.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>',
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
    `<</Length ${text.length}>>stream\n${text}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj${object}endobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Makes the demo application when there is none; returns whether it did. */
export async function createDemoRegistration(db: Knex, now: Date, config?: Pick<Config, 'businessCalendar' | 'hospital'>): Promise<boolean> {
  const [row] = await db('provider_registrations').count({ count: '*' });
  if (Number(row?.count) > 0) return false;
  const dueAt = config ? dueAfterBusinessDays(config, now, REGISTRATION_REVIEW_BUSINESS_DAYS) : new Date(now.getTime() + REGISTRATION_REVIEW_BUSINESS_DAYS * 86_400_000);
  await db.transaction((trx) =>
    insertRegistration(
      trx,
      {
        givenNames: 'Jamie',
        familyName: 'Rivera',
        credential: 'NP',
        npi: '1234567893',
        practiceName: 'Riverside Family Practice',
        addressLine: '120 River St',
        city: 'Springfield',
        state: 'IL',
        postalCode: '62701',
        phone: '217 555 0100',
        fax: '217 555 0101',
        email: 'jamie.rivera@example.com',
        preferredLanguage: 'en',
        submittedAt: now,
        dueAt,
      },
      [
        { document: 'certification', displayName: 'certification-and-agreement.pdf', contentType: 'application/pdf', content: demoPdf('Demo: certification and agreement (signed)') },
        { document: 'identity', displayName: 'drivers-license.pdf', contentType: 'application/pdf', content: demoPdf('Demo: copy of a driver license') },
      ],
    ),
  );
  return true;
}
