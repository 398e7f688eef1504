import { expect } from 'chai';
import { staffMayOpenRecord, type PatientCareTies, type StaffMember } from '../../domain/staffRecordAccess.ts';

describe('staffMayOpenRecord', () => {
  const nurse: StaffMember = { accountId: 7, departmentCodes: ['CARD'], practitionerIds: [40] };
  const nothing: PatientCareTies = { careTeamPractitionerIds: [], visits: [], threads: [] };

  it('lets in staff who work the inbox of a practitioner on the care team', () => {
    expect(staffMayOpenRecord(nurse, { ...nothing, careTeamPractitionerIds: [12, 40] })).to.deep.equal({ allowed: true, basis: 'care-team-practitioner' });
  });
  it('lets in staff of a clinic the patient was seen in, but not for a visit that did not happen', () => {
    expect(staffMayOpenRecord(nurse, { ...nothing, visits: [{ departmentCode: 'CARD', status: 'finished' }] })).to.deep.equal({ allowed: true, basis: 'clinic-visit' });
    for (const status of ['cancelled', 'entered-in-error']) {
      expect(staffMayOpenRecord(nurse, { ...nothing, visits: [{ departmentCode: 'CARD', status }] }), status).to.deep.equal({ allowed: false, reason: 'not-on-care-team' });
    }
  });
  it('lets in staff whose inbox a thread of the patient is addressed to, or who were assigned one', () => {
    expect(staffMayOpenRecord(nurse, { ...nothing, threads: [{ recipient: { kind: 'practitioner', practitionerId: 40 }, assignedStaffId: null }] })).to.deep.equal({ allowed: true, basis: 'message-thread' });
    expect(staffMayOpenRecord(nurse, { ...nothing, threads: [{ recipient: { kind: 'clinic', departmentCode: 'DERM' }, assignedStaffId: 7 }] })).to.deep.equal({ allowed: true, basis: 'message-thread' });
  });
  it('refuses everyone else', () => {
    const elsewhere: PatientCareTies = { careTeamPractitionerIds: [12], visits: [{ departmentCode: 'DERM', status: 'finished' }], threads: [{ recipient: { kind: 'clinic', departmentCode: 'DERM' }, assignedStaffId: 8 }] };
    expect(staffMayOpenRecord(nurse, elsewhere)).to.deep.equal({ allowed: false, reason: 'not-on-care-team' });
    expect(staffMayOpenRecord({ accountId: 9, departmentCodes: [], practitionerIds: [] }, elsewhere)).to.deep.equal({ allowed: false, reason: 'not-on-care-team' });
  });
});
