import { expect } from 'chai';
import {
  checkDocument,
  documentRequired,
  isPhoneNumber,
  mayDecide,
  normaliseNpi,
  npiProblem,
  REGISTRATION_DOCUMENT_ACCEPT,
  REGISTRATION_DOCUMENT_MAX_BYTES,
  REGISTRATION_DOCUMENTS,
  type ReceivedDocument,
} from '../../domain/providerRegistration.ts';

describe('provider registration rules', () => {
  const file = (overrides: Partial<ReceivedDocument> = {}): ReceivedDocument => ({ displayName: 'scan.pdf', size: 1000, detectedExt: 'pdf', truncated: false, ...overrides });

  it('needs the certification and the ID copy; the sponsorship agreement is optional', () => {
    expect(REGISTRATION_DOCUMENTS.filter(documentRequired)).to.deep.equal(['certification', 'identity']);
    expect(checkDocument('certification', undefined)).to.deep.equal({ accepted: false, refusal: 'missing' });
    expect(checkDocument('identity', undefined)).to.deep.equal({ accepted: false, refusal: 'missing' });
    expect(checkDocument('sponsorship', undefined)).to.equal(undefined);
  });

  it('accepts PDF, PNG and JPEG by content, with a name that matches', () => {
    expect(checkDocument('certification', file())).to.deep.equal({ accepted: true, contentType: 'application/pdf' });
    expect(checkDocument('identity', file({ displayName: 'id.PNG', detectedExt: 'png' }))).to.deep.equal({ accepted: true, contentType: 'image/png' });
    expect(checkDocument('identity', file({ displayName: 'id.jpeg', detectedExt: 'jpg' }))).to.deep.equal({ accepted: true, contentType: 'image/jpeg' });
    expect(checkDocument('identity', file({ displayName: 'id.jpg', detectedExt: 'jpg' }))).to.deep.equal({ accepted: true, contentType: 'image/jpeg' });
    expect(REGISTRATION_DOCUMENT_ACCEPT).to.equal('.pdf,.png,.jpg,.jpeg');
  });

  it('refuses anything else, a mismatched name, an empty file and a file over 10 MB', () => {
    const refusal = (received: ReceivedDocument) => checkDocument('certification', received);
    // A name of a kind we take whose content is something else: saying ".pdf is allowed" would puzzle.
    expect(refusal(file({ detectedExt: 'exe' }))).to.deep.equal({ accepted: false, refusal: 'content-mismatch' });
    expect(refusal(file({ detectedExt: undefined }))).to.deep.equal({ accepted: false, refusal: 'content-mismatch' });
    expect(refusal(file({ displayName: 'image.pdf', detectedExt: 'png' }))).to.deep.equal({ accepted: false, refusal: 'content-mismatch' });
    expect(refusal(file({ displayName: 'letter.docx', detectedExt: 'docx' }))).to.deep.equal({ accepted: false, refusal: 'wrong-type' });
    expect(refusal(file({ size: 0, detectedExt: undefined }))).to.deep.equal({ accepted: false, refusal: 'empty' });
    expect(refusal(file({ size: REGISTRATION_DOCUMENT_MAX_BYTES }))).to.deep.equal({ accepted: true, contentType: 'application/pdf' });
    expect(refusal(file({ size: REGISTRATION_DOCUMENT_MAX_BYTES + 1 }))).to.deep.equal({ accepted: false, refusal: 'too-large' });
    expect(refusal(file({ truncated: true }))).to.deep.equal({ accepted: false, refusal: 'too-large' });
  });

  it('says why an NPI is refused: missing, not ten digits, or a wrong check digit', () => {
    expect(npiProblem('')).to.equal('missing');
    expect(npiProblem(' - ')).to.equal('missing');
    expect(npiProblem('123456789')).to.equal('not-ten-digits');
    expect(npiProblem('12345678930')).to.equal('not-ten-digits');
    expect(npiProblem('123456789A')).to.equal('not-ten-digits');
    expect(npiProblem('1234567890')).to.equal('check-digit');
    expect(npiProblem('1234567893')).to.equal(undefined);
    expect(npiProblem('123-456-7893')).to.equal(undefined);
    expect(normaliseNpi(' 1234 567 893 ')).to.equal('1234567893');
  });

  it('takes phone and fax numbers with an area code', () => {
    for (const ok of ['312 555 0142', '(312) 555-0142', '+1 312.555.0142', '3125550142']) expect(isPhoneNumber(ok), ok).to.equal(true);
    for (const bad of ['555 0142', 'call me', '312 555 O142', '']) expect(isPhoneNumber(bad), bad).to.equal(false);
  });

  it('decides a pending application once', () => {
    expect(mayDecide('pending')).to.deep.equal({ allowed: true });
    expect(mayDecide('approved')).to.deep.equal({ allowed: false, reason: 'already-decided' });
    expect(mayDecide('declined')).to.deep.equal({ allowed: false, reason: 'already-decided' });
  });
});
