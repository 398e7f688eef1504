import { expect } from 'chai';
import { dueAfterMessage, isAllowedRecipient, isMessageSubject, isOverdue, isSendableBody, lateAnswer, mayReply, MESSAGE_BODY_MAX_LENGTH, MESSAGE_SUBJECTS, recipientChoices, recipientFromKey, recipientKey, type ClinicVisit, type Recipient } from '../../domain/messaging.ts';

describe('message subjects', () => {
  it('are the eight of the compose list, in order', () => {
    expect(MESSAGE_SUBJECTS).to.deep.equal(['prescription', 'test-result', 'medical-question', 'referral', 'follow-up', 'form-request', 'photo-upload', 'other']);
  });
  it('accept only a listed code', () => {
    expect(isMessageSubject('photo-upload')).to.equal(true);
    for (const value of ['Photo upload', 'photo_upload', '', undefined, 3, 'toString']) expect(isMessageSubject(value), String(value)).to.equal(false);
  });
});

describe('recipientChoices', () => {
  const careTeam = [
    { practitionerId: 7, name: 'Zoe Young, MD' },
    { practitionerId: 3, name: 'Ana Bell, NP' },
    { practitionerId: 7, name: 'Zoe Young, MD' },
  ];
  const visit = (departmentCode: string, clinicName: string, more: Partial<ClinicVisit> = {}): ClinicVisit => ({ departmentCode, clinicName, confidential: false, status: 'finished', ...more });
  const visits = [
    visit('CARD', 'Cardiology'),
    visit('CARD', 'Cardiology', { status: 'planned' }),
    visit('ADOL', 'Adolescent Medicine', { confidential: true }),
    visit('DERM', 'Dermatology', { status: 'cancelled' }),
    visit('ENDO', 'Endocrinology', { status: 'entered-in-error' }),
    visit('ALLG', 'Allergy'),
  ];
  const labels = (viewer: 'patient' | 'guardian') => recipientChoices({ careTeam, visits, viewer }).map((choice) => choice.label);

  it('offers care-team practitioners then clinics, each by name, once', () => {
    expect(labels('patient')).to.deep.equal(['Ana Bell, NP', 'Zoe Young, MD', 'Adolescent Medicine', 'Allergy', 'Cardiology']);
  });
  it("never offers a parent a clinic known only from the teen's confidential visits", () => {
    expect(labels('guardian')).to.deep.equal(['Ana Bell, NP', 'Zoe Young, MD', 'Allergy', 'Cardiology']);
  });
  it('offers a clinic to a parent when it also has a visit that is not confidential', () => {
    const choices = recipientChoices({ careTeam: [], visits: [visit('ADOL', 'Adolescent Medicine', { confidential: true }), visit('ADOL', 'Adolescent Medicine')], viewer: 'guardian' });
    expect(choices.map((choice) => choice.recipient)).to.deep.equal([{ kind: 'clinic', departmentCode: 'ADOL' }]);
  });
  it('ignores cancelled and entered-in-error visits', () => {
    expect(labels('patient')).not.to.include('Dermatology').and.not.to.include('Endocrinology');
  });
  it('checks a posted recipient against the choices, by kind and id', () => {
    const choices = recipientChoices({ careTeam, visits, viewer: 'guardian' });
    expect(isAllowedRecipient(choices, { kind: 'practitioner', practitionerId: 3 })).to.equal(true);
    expect(isAllowedRecipient(choices, { kind: 'clinic', departmentCode: 'CARD' })).to.equal(true);
    expect(isAllowedRecipient(choices, { kind: 'practitioner', practitionerId: 99 })).to.equal(false);
    expect(isAllowedRecipient(choices, { kind: 'clinic', departmentCode: 'ADOL' }), 'confidential clinic, parent').to.equal(false);
    expect(isAllowedRecipient(choices, { kind: 'clinic', departmentCode: 'DERM' }), 'cancelled visit').to.equal(false);
  });
});

describe('dueAfterMessage', () => {
  const dueFor = (sentAt: Date) => new Date(sentAt.getTime() + 48 * 3600_000);
  const first = new Date('2026-12-04T23:00:00Z');
  const later = new Date('2026-12-07T15:00:00Z');
  it('starts the clock at the first unanswered family message', () => {
    expect(dueAfterMessage(null, 'family', first, dueFor)).to.deep.equal(dueFor(first));
  });
  it('keeps the due time of the oldest unanswered message when the family writes again', () => {
    expect(dueAfterMessage(dueFor(first), 'family', later, dueFor)).to.deep.equal(dueFor(first));
  });
  it('stops the clock when the care team answers', () => {
    expect(dueAfterMessage(dueFor(first), 'staff', later, dueFor)).to.equal(null);
    expect(dueAfterMessage(null, 'staff', later, dueFor)).to.equal(null);
  });
});

describe('lateAnswer', () => {
  const due = new Date('2026-12-01T22:00:00Z');
  const after = new Date(due.getTime() + 1);
  it('is not late until the due instant has passed, nor when closed or answered', () => {
    expect(lateAnswer({ status: 'open', dueAt: due, recipientPhone: '555-0142' }, due, '555-0100')).to.deep.equal({ late: false });
    expect(lateAnswer({ status: 'closed', dueAt: due, recipientPhone: '555-0142' }, after, '555-0100')).to.deep.equal({ late: false });
    expect(lateAnswer({ status: 'open', dueAt: null, recipientPhone: '555-0142' }, after, '555-0100')).to.deep.equal({ late: false });
  });
  it('says to call the clinic or provider on its own number, else the main line', () => {
    expect(lateAnswer({ status: 'open', dueAt: due, recipientPhone: '555-0142' }, after, '555-0100')).to.deep.equal({ late: true, phone: '555-0142', viaMainLine: false });
    for (const recipientPhone of [null, '', '  ']) expect(lateAnswer({ status: 'open', dueAt: due, recipientPhone }, after, '555-0100'), String(recipientPhone)).to.deep.equal({ late: true, phone: '555-0100', viaMainLine: true });
  });
});

describe('isOverdue and mayReply', () => {
  const due = new Date('2026-12-09T22:00:00Z');
  it('marks an open thread overdue only after its due instant', () => {
    expect(isOverdue({ status: 'open', dueAt: due }, new Date(due.getTime() - 1))).to.equal(false);
    expect(isOverdue({ status: 'open', dueAt: due }, due)).to.equal(false);
    expect(isOverdue({ status: 'open', dueAt: due }, new Date(due.getTime() + 1))).to.equal(true);
  });
  it('never marks a thread with nothing waiting, or a closed one', () => {
    expect(isOverdue({ status: 'open', dueAt: null }, new Date('2030-01-01'))).to.equal(false);
    expect(isOverdue({ status: 'closed', dueAt: due }, new Date('2030-01-01'))).to.equal(false);
  });
  it('takes replies only in open threads', () => {
    expect(mayReply({ status: 'open' })).to.equal(true);
    expect(mayReply({ status: 'closed' })).to.equal(false);
  });
});

describe('isSendableBody', () => {
  it('takes any text up to the limit, and refuses white space alone or more than the limit', () => {
    expect(isSendableBody('Is the rash contagious?')).to.equal(true);
    expect(isSendableBody('x'.repeat(MESSAGE_BODY_MAX_LENGTH))).to.equal(true);
    expect(isSendableBody('x'.repeat(MESSAGE_BODY_MAX_LENGTH + 1))).to.equal(false);
    expect(isSendableBody(' \n\t ')).to.equal(false);
    expect(isSendableBody('')).to.equal(false);
  });
});

describe('recipient form values', () => {
  it('round-trips a clinic and a practitioner', () => {
    const recipients: Recipient[] = [{ kind: 'clinic', departmentCode: 'CARD' }, { kind: 'clinic', departmentCode: 'PEDS ORTHO' }, { kind: 'practitioner', practitionerId: 12 }];
    for (const recipient of recipients) expect(recipientFromKey(recipientKey(recipient))).to.deep.equal(recipient);
  });
  it('reads nothing else', () => {
    for (const value of [undefined, '', 'clinic:', 'practitioner:', 'practitioner:abc', 'practitioner:1.5', 'doctor:12', ['clinic:CARD'], 12]) expect(recipientFromKey(value), String(value)).to.equal(undefined);
  });
});
