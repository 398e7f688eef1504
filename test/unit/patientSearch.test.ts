import { expect } from 'chai';
import { searchAuditReason, searchOutcome, type Candidate } from '../../domain/patientSearch.ts';

const allowed = (id: number): Candidate<number> => ({ patient: id, decision: { allowed: true, basis: 'pcp' } });
const refused = (id: number): Candidate<number> => ({ patient: id, decision: { allowed: false, reason: 'not-authorized' } });

describe('what a MyPatients search shows', () => {
  it('lists only the patients the provider may see', () => {
    expect(searchOutcome([allowed(1), refused(2), allowed(3)])).to.deep.equal({ kind: 'results', shown: [1, 3], found: 3 });
  });

  it('answers an exact match the provider may not see with the not-authorized page', () => {
    expect(searchOutcome([refused(7)])).to.deep.equal({ kind: 'not-authorized', patient: 7 });
  });

  it('never hints at several matches the provider may not see', () => {
    expect(searchOutcome([refused(1), refused(2)])).to.deep.equal({ kind: 'results', shown: [], found: 2 });
  });

  it('lists an exact match the provider may see, and finds nothing when nothing matches', () => {
    expect(searchOutcome([allowed(4)])).to.deep.equal({ kind: 'results', shown: [4], found: 1 });
    expect(searchOutcome([])).to.deep.equal({ kind: 'results', shown: [], found: 0 });
  });

  it('asks to narrow a search with more matches than the limit', () => {
    expect(searchOutcome([allowed(1), allowed(2), refused(3)], 2)).to.deep.equal({ kind: 'too-many', found: 3 });
  });

  it('audits the kind of search and its counts in at most 60 characters', () => {
    expect(searchAuditReason('name', { kind: 'results', shown: [1], found: 2 })).to.equal('by name: 2 found, 1 shown');
    expect(searchAuditReason('mrn', { kind: 'not-authorized', patient: 1 })).to.equal('by mrn: 1 found, 0 shown, not authorized');
    expect(searchAuditReason('name', { kind: 'too-many', found: 51 }).length).to.be.at.most(60);
  });
});
