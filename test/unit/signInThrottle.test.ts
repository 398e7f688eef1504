import { expect } from 'chai';
import { afterFailedSignIn, currentPause } from '../../domain/signInThrottle.ts';

describe('afterFailedSignIn', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const minutesAfter = (decision: ReturnType<typeof afterFailedSignIn>) =>
    decision.locked ? (decision.until === 'password-reset' ? 'reset' : (decision.until.getTime() - now.getTime()) / 60_000) : 0;

  it('lets the first four mistakes through, then pauses 1, 2, 4, 8 and at most 15 minutes', () => {
    const pauses = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50, 99].map((failures) => minutesAfter(afterFailedSignIn(failures, now)));
    expect(pauses).to.deep.equal([0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15, 15]);
  });

  it('asks for a password reset from the 100th failure in a row', () => {
    expect(afterFailedSignIn(100, now)).to.deep.equal({ locked: true, until: 'password-reset' });
    expect(afterFailedSignIn(250, now)).to.deep.equal({ locked: true, until: 'password-reset' });
  });
});

describe('currentPause', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  it('is over exactly when the pause ends', () => {
    expect(currentPause({ consecutiveFailures: 5, lockedUntil: new Date('2026-11-23T12:00:00.001Z') }, now)).to.deep.equal({
      locked: true,
      until: new Date('2026-11-23T12:00:00.001Z'),
    });
    expect(currentPause({ consecutiveFailures: 5, lockedUntil: now }, now)).to.deep.equal({ locked: false });
    expect(currentPause({ consecutiveFailures: 0, lockedUntil: null }, now)).to.deep.equal({ locked: false });
  });
  it('stays paused after 100 failures until a reset clears the count', () => {
    expect(currentPause({ consecutiveFailures: 100, lockedUntil: null }, now)).to.deep.equal({ locked: true, until: 'password-reset' });
  });
});
