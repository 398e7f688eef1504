import { expect } from 'chai';
import {
  providerMayViewPatient,
  tokenExpiresAt,
  validateInvitationToken,
  type FamilyGrant,
  type InvitationToken,
  type MyPatientsUser,
  type PatientAccessFacts,
} from '../../domain/access.ts';

const NEW_YORK = 'America/New_York';

// Dr Adams and Dr Baker work at Elm Street Pediatrics; Dr Chen at Oak Family Medicine.
const ADAMS: MyPatientsUser = { kind: 'provider', id: 'adams', practiceId: 'elm', sponsorValidationOverdue: false };
const CHEN: MyPatientsUser = { kind: 'provider', id: 'chen', practiceId: 'oak', sponsorValidationOverdue: false };
const ADAMS_NURSE: MyPatientsUser = { kind: 'sponsored-user', id: 'nurse', sponsor: { id: 'adams', practiceId: 'elm', validationOverdue: false } };

const PATIENT: PatientAccessFacts = { mrn: '1000001', pcp: null, careTeamProviderIds: [], familyGrants: [], invitationTokens: [] };
const patientWith = (facts: Partial<PatientAccessFacts>): PatientAccessFacts => ({ ...PATIENT, ...facts });

const grant = (providerId: string, overrides: Partial<FamilyGrant> = {}): FamilyGrant => ({ providerId, via: 'approved-request', revokedAt: null, ...overrides });
// Issued 15 January 2026 10:00 EST; valid until 15 July 2026 10:00 EDT (14:00Z).
const usedToken = (overrides: Partial<InvitationToken> = {}): InvitationToken => ({
  mrn: '1000001',
  issuedAt: new Date('2026-01-15T15:00:00.000Z'),
  usedAt: new Date('2026-02-01T15:00:00.000Z'),
  validatedBy: 'chen',
  revokedAt: null,
  ...overrides,
});

const basis = (name: string) => ({ allowed: true, basis: name });
const NOT_AUTHORIZED = { allowed: false, reason: 'not-authorized' } as const;
const SPONSOR_LOCKED = { allowed: false, reason: 'sponsor-locked' } as const;
const view = (user: MyPatientsUser, patient: PatientAccessFacts) => providerMayViewPatient(user, patient, NEW_YORK);

describe('providerMayViewPatient', () => {
  describe('PCP', () => {
    it('allows the patient’s PCP', () => {
      expect(view(ADAMS, patientWith({ pcp: { providerId: 'adams', practiceId: 'elm' } }))).to.deep.equal(basis('pcp'));
    });
    it('allows another provider of the PCP’s practice', () => {
      expect(view(ADAMS, patientWith({ pcp: { providerId: 'baker', practiceId: 'elm' } }))).to.deep.equal(basis('pcp'));
    });
    it('allows the PCP even when the record lists a different practice for them', () => {
      expect(view(ADAMS, patientWith({ pcp: { providerId: 'adams', practiceId: 'oak' } }))).to.deep.equal(basis('pcp'));
    });
    it('refuses a provider of another practice, and anyone when the patient has no PCP', () => {
      expect(view(CHEN, patientWith({ pcp: { providerId: 'baker', practiceId: 'elm' } }))).to.deep.equal(NOT_AUTHORIZED);
      expect(view(ADAMS, PATIENT)).to.deep.equal(NOT_AUTHORIZED);
    });
  });

  describe('care team', () => {
    it('allows a provider on the care team', () => {
      expect(view(CHEN, patientWith({ careTeamProviderIds: ['baker', 'chen'] }))).to.deep.equal(basis('care-team'));
    });
    it('refuses a provider whose colleague is on the care team', () => {
      expect(view(ADAMS, patientWith({ careTeamProviderIds: ['baker'] }))).to.deep.equal(NOT_AUTHORIZED);
    });
  });

  describe('granted', () => {
    it('allows a provider whose request the family approved, or whom the family invited', () => {
      expect(view(CHEN, patientWith({ familyGrants: [grant('chen')] }))).to.deep.equal(basis('granted'));
      expect(view(CHEN, patientWith({ familyGrants: [grant('chen', { via: 'invitation' })] }))).to.deep.equal(basis('granted'));
    });
    it('refuses once the family revoked the grant', () => {
      expect(view(CHEN, patientWith({ familyGrants: [grant('chen', { revokedAt: new Date('2026-03-01T12:00:00.000Z') })] }))).to.deep.equal(
        NOT_AUTHORIZED,
      );
    });
    it('allows when one grant was revoked but another still stands', () => {
      const grants = [grant('chen', { revokedAt: new Date('2026-03-01T12:00:00.000Z') }), grant('chen', { via: 'invitation' })];
      expect(view(CHEN, patientWith({ familyGrants: grants }))).to.deep.equal(basis('granted'));
    });
    it('refuses a provider when the grant is for someone else', () => {
      expect(view(CHEN, patientWith({ familyGrants: [grant('adams')] }))).to.deep.equal(NOT_AUTHORIZED);
    });
  });

  describe('token', () => {
    it('allows the provider who validated a token for this patient', () => {
      expect(view(CHEN, patientWith({ invitationTokens: [usedToken()] }))).to.deep.equal(basis('token'));
    });
    it('refuses for a token validated by someone else, not yet validated, for another MRN, or revoked', () => {
      for (const token of [
        usedToken({ validatedBy: 'adams' }),
        usedToken({ usedAt: null, validatedBy: null }),
        usedToken({ mrn: '1000002' }),
        usedToken({ revokedAt: new Date('2026-03-01T12:00:00.000Z') }),
      ]) {
        expect(view(CHEN, patientWith({ invitationTokens: [token] })), JSON.stringify(token)).to.deep.equal(NOT_AUTHORIZED);
      }
    });
    it('counts a validation only if it happened before the token expired', () => {
      expect(view(CHEN, patientWith({ invitationTokens: [usedToken({ usedAt: new Date('2026-07-15T13:59:59.999Z') })] }))).to.deep.equal(basis('token'));
      expect(view(CHEN, patientWith({ invitationTokens: [usedToken({ usedAt: new Date('2026-07-15T14:00:00.000Z') })] }))).to.deep.equal(NOT_AUTHORIZED);
    });
  });

  describe('order of bases', () => {
    const everything = patientWith({
      pcp: { providerId: 'chen', practiceId: 'oak' },
      careTeamProviderIds: ['chen'],
      familyGrants: [grant('chen')],
      invitationTokens: [usedToken()],
    });
    it('reports PCP first, then care team, then granted, then token', () => {
      expect(view(CHEN, everything)).to.deep.equal(basis('pcp'));
      expect(view(CHEN, { ...everything, pcp: null })).to.deep.equal(basis('care-team'));
      expect(view(CHEN, { ...everything, pcp: null, careTeamProviderIds: [] })).to.deep.equal(basis('granted'));
      expect(view(CHEN, { ...everything, pcp: null, careTeamProviderIds: [], familyGrants: [] })).to.deep.equal(basis('token'));
    });
  });

  describe('sponsor validation', () => {
    it('locks out a sponsor whose validation is overdue, whatever the basis', () => {
      const lockedChen: MyPatientsUser = { kind: 'provider', id: 'chen', practiceId: 'oak', sponsorValidationOverdue: true };
      expect(
        view(lockedChen, patientWith({ pcp: { providerId: 'chen', practiceId: 'oak' }, careTeamProviderIds: ['chen'], familyGrants: [grant('chen')] })),
      ).to.deep.equal(SPONSOR_LOCKED);
      expect(view(lockedChen, PATIENT)).to.deep.equal(SPONSOR_LOCKED);
    });
  });

  describe('sponsored users', () => {
    it('see patients whose PCP is their sponsor or another provider of the sponsor’s practice', () => {
      expect(view(ADAMS_NURSE, patientWith({ pcp: { providerId: 'adams', practiceId: 'elm' } }))).to.deep.equal(basis('sponsor-practice-pcp'));
      expect(view(ADAMS_NURSE, patientWith({ pcp: { providerId: 'baker', practiceId: 'elm' } }))).to.deep.equal(basis('sponsor-practice-pcp'));
      expect(view(ADAMS_NURSE, patientWith({ pcp: { providerId: 'adams', practiceId: 'oak' } }))).to.deep.equal(basis('sponsor-practice-pcp'));
    });
    it('see no other patients: not through PCPs elsewhere, the care team, grants or tokens', () => {
      const notOurs = patientWith({
        pcp: { providerId: 'chen', practiceId: 'oak' },
        careTeamProviderIds: ['nurse', 'adams'],
        familyGrants: [grant('nurse'), grant('adams')],
        invitationTokens: [usedToken({ validatedBy: 'nurse' }), usedToken({ validatedBy: 'adams' })],
      });
      expect(view(ADAMS_NURSE, notOurs)).to.deep.equal(NOT_AUTHORIZED);
      expect(view(ADAMS_NURSE, PATIENT)).to.deep.equal(NOT_AUTHORIZED);
    });
    it('are locked out while their sponsor’s validation is overdue', () => {
      const lockedNurse: MyPatientsUser = { kind: 'sponsored-user', id: 'nurse', sponsor: { id: 'adams', practiceId: 'elm', validationOverdue: true } };
      expect(view(lockedNurse, patientWith({ pcp: { providerId: 'adams', practiceId: 'elm' } }))).to.deep.equal(SPONSOR_LOCKED);
      expect(view(lockedNurse, PATIENT)).to.deep.equal(SPONSOR_LOCKED);
    });
  });
});

describe('tokenExpiresAt', () => {
  const expires = (issuedAt: string, timeZone = NEW_YORK) => tokenExpiresAt(new Date(issuedAt), timeZone).toISOString();

  it('is the same local time six calendar months later, across a clock change', () => {
    // 10:00 EST on 15 January → 10:00 EDT on 15 July.
    expect(expires('2026-01-15T15:00:00.000Z')).to.equal('2026-07-15T14:00:00.000Z');
    // 10:00 EDT on 15 July → 10:00 EST on 15 January.
    expect(expires('2025-07-15T14:00:00.000Z')).to.equal('2026-01-15T15:00:00.000Z');
  });
  it('counts months in the hospital time zone, not UTC', () => {
    // 23:30 on 30 June in New York is already 1 July in UTC.
    expect(expires('2025-07-01T03:30:00.000Z')).to.equal('2025-12-31T04:30:00.000Z');
    expect(expires('2025-07-01T03:30:00.000Z', 'UTC')).to.equal('2026-01-01T03:30:00.000Z');
  });
  it('ends on the last day of a shorter month', () => {
    expect(expires('2024-08-31T16:00:00.000Z')).to.equal('2025-02-28T17:00:00.000Z');
    expect(expires('2023-08-31T16:00:00.000Z')).to.equal('2024-02-29T17:00:00.000Z');
    expect(expires('2025-12-31T17:00:00.000Z')).to.equal('2026-06-30T16:00:00.000Z');
  });
  it('moves a local time skipped by the spring clock change to just after the gap', () => {
    // 02:30 EDT on 10 September 2023 → 02:30 on 10 March 2024 does not exist → 03:30 EDT.
    expect(expires('2023-09-10T06:30:00.000Z')).to.equal('2024-03-10T07:30:00.000Z');
  });
  it('takes the first of a local time that happens twice in the autumn', () => {
    // 01:30 EDT on 2 May 2025 → 01:30 EDT (not EST) on 2 November 2025.
    expect(expires('2025-05-02T05:30:00.000Z')).to.equal('2025-11-02T05:30:00.000Z');
  });
});

describe('validateInvitationToken', () => {
  const fresh = (overrides: Partial<InvitationToken> = {}) => usedToken({ usedAt: null, validatedBy: null, ...overrides });
  const validate = (token: InvitationToken | undefined, enteredMrn: string, now: string) =>
    validateInvitationToken({ token, enteredMrn, now: new Date(now), timeZone: NEW_YORK });
  const invalid = (reason: string) => ({ valid: false, reason });

  it('accepts an unused token with its own MRN', () => {
    expect(validate(fresh(), '1000001', '2026-02-01T15:00:00.000Z')).to.deep.equal({ valid: true });
  });
  it('says when it does not know the token', () => {
    expect(validate(undefined, '1000001', '2026-02-01T15:00:00.000Z')).to.deep.equal(invalid('token-unknown'));
  });
  it('checks the MRN before anything else, so nothing about another patient’s token shows', () => {
    const otherPatientsTokens = [
      fresh(),
      fresh({ revokedAt: new Date('2026-01-20T12:00:00.000Z') }),
      usedToken(),
    ];
    for (const token of otherPatientsTokens) {
      expect(validate(token, '1000002', '2026-02-01T15:00:00.000Z')).to.deep.equal(invalid('token-wrong-mrn'));
    }
    expect(validate(fresh(), '1000002', '2027-01-01T15:00:00.000Z')).to.deep.equal(invalid('token-wrong-mrn'));
  });
  it('compares the MRN exactly', () => {
    expect(validate(fresh(), '01000001', '2026-02-01T15:00:00.000Z')).to.deep.equal(invalid('token-wrong-mrn'));
  });
  it('refuses a token the family withdrew', () => {
    expect(validate(fresh({ revokedAt: new Date('2026-01-20T12:00:00.000Z') }), '1000001', '2026-02-01T15:00:00.000Z')).to.deep.equal(
      invalid('token-revoked'),
    );
  });
  it('is single-use, whoever used it', () => {
    expect(validate(usedToken(), '1000001', '2026-02-02T15:00:00.000Z')).to.deep.equal(invalid('token-already-used'));
    expect(validate(usedToken({ validatedBy: 'adams' }), '1000001', '2026-02-02T15:00:00.000Z')).to.deep.equal(invalid('token-already-used'));
  });
  it('expires at exactly six calendar months after issue, in New York time', () => {
    expect(validate(fresh(), '1000001', '2026-07-15T13:59:59.999Z')).to.deep.equal({ valid: true });
    expect(validate(fresh(), '1000001', '2026-07-15T14:00:00.000Z')).to.deep.equal(invalid('token-expired'));
  });
  it('expires on the last day of February for a token issued on 31 August', () => {
    const token = fresh({ issuedAt: new Date('2025-08-31T16:00:00.000Z') });
    expect(validate(token, '1000001', '2026-02-28T16:59:59.999Z')).to.deep.equal({ valid: true });
    expect(validate(token, '1000001', '2026-02-28T17:00:00.000Z')).to.deep.equal(invalid('token-expired'));
  });
});
