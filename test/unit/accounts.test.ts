import { expect } from 'chai';
import { homePath, secondFactorRequired, sessionState } from '../../domain/accounts.ts';

describe('sessionState', () => {
  const signedInAt = new Date('2026-11-23T08:00:00Z');
  const family = { idleMinutes: 30, absoluteHours: 12 };
  const at = (iso: string) => new Date(iso);

  it('is active just before the idle limit and ends exactly at it', () => {
    const session = { signedInAt, lastSeenAt: at('2026-11-23T09:00:00Z') };
    expect(sessionState(session, family, at('2026-11-23T09:29:59.999Z'))).to.deep.equal({ active: true });
    expect(sessionState(session, family, at('2026-11-23T09:30:00Z'))).to.deep.equal({ active: false, reason: 'idle-timeout' });
  });

  it('ends exactly at the absolute limit however recent the last request', () => {
    const session = { signedInAt, lastSeenAt: at('2026-11-23T19:59:00Z') };
    expect(sessionState(session, family, at('2026-11-23T19:59:59.999Z'))).to.deep.equal({ active: true });
    expect(sessionState(session, family, at('2026-11-23T20:00:00Z'))).to.deep.equal({ active: false, reason: 'absolute-timeout' });
  });

  it('names the absolute limit when both have passed', () => {
    expect(sessionState({ signedInAt, lastSeenAt: signedInAt }, { idleMinutes: 15, absoluteHours: 8 }, at('2026-11-24T08:00:00Z'))).to.deep.equal({
      active: false,
      reason: 'absolute-timeout',
    });
  });
});

describe('account kinds', () => {
  it('requires a second factor of providers and staff only', () => {
    expect([secondFactorRequired('family'), secondFactorRequired('provider'), secondFactorRequired('staff')]).to.deep.equal([false, true, true]);
  });
  it('lands each kind on its own portal', () => {
    expect([homePath('family'), homePath('provider'), homePath('staff')]).to.deep.equal(['/home', '/provider/home', '/staff/home']);
  });
});
